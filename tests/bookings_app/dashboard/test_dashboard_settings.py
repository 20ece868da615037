"""The owner edits the business settings; bad input stays next to its field."""

from bookings_app.models import Business


def _valid(**changes) -> dict:
    data = {
        "name": "Studio Lumen",
        "time_zone": "Asia/Jerusalem",
        "currency": "ils",
        "language": "he",
        "sender_email": "hello@lumen.test",
        "min_notice_minutes": 60,
        "max_advance_days": 90,
        "cancel_window_hours": 12,
        "slot_step_minutes": 15,
    }
    return {**data, **changes}


def test_the_owner_saves_the_settings(client, olivia):
    client.force_login(olivia)
    response = client.post("/dashboard/settings/", _valid())
    assert response.status_code == 302
    business = Business.current()
    assert (business.time_zone, business.currency, business.slot_step_minutes) == (
        "Asia/Jerusalem",
        "ILS",
        15,
    )


def test_an_unknown_time_zone_is_refused_next_to_its_field(client, olivia):
    client.force_login(olivia)
    response = client.post("/dashboard/settings/", _valid(time_zone="Mars/Olympus"))
    assert response.status_code == 400
    assert "is not a known time zone" in response.content.decode()
    assert Business.current().time_zone == "Europe/Paris"


def test_a_slot_step_of_one_minute_is_refused(client, olivia):
    client.force_login(olivia)
    response = client.post("/dashboard/settings/", _valid(slot_step_minutes=1))
    assert response.status_code == 400
    assert Business.current().slot_step_minutes == 15


def test_staff_cannot_open_the_settings(client, sam):
    client.force_login(sam)
    assert client.get("/dashboard/settings/").status_code == 403
