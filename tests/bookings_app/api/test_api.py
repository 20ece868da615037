"""The read-only JSON API: bookable services and free times, and a readable 400 or 404 for bad asks."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings_app.models import ServiceKind
from tests import factories as f

MONDAY = f.next_weekday(0, after=date.today() + timedelta(days=2))
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def studio(db):
    """Nina works Monday to Friday 09–17; a one-hour massage and a yoga class."""
    f.business()
    nina = f.staff_member("Nina")
    massage = f.service("Massage", staff=[nina])
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=8, price="15.00")
    return nina, massage, yoga


def availability(client, slug: str, **params):
    return client.get(reverse("api:availability", args=[slug]), params)


def test_it_lists_the_bookable_services(client, studio):
    nina, _, _ = studio
    f.service("Private room", is_online=False)
    f.service("Old massage", is_archived=True)
    response = client.get(reverse("api:services"))
    assert response.status_code == 200
    assert response.json() == {
        "services": [
            {
                "slug": "massage",
                "name": "Massage",
                "kind": "appointment",
                "duration_minutes": 60,
                "price": "50.00",
                "currency": "EUR",
                "staff_ids": [nina.pk],
            },
            {
                "slug": "yoga",
                "name": "Yoga",
                "kind": "class",
                "duration_minutes": 60,
                "price": "15.00",
                "currency": "EUR",
                "staff_ids": [nina.pk],
            },
        ]
    }


def test_it_gives_the_free_slots_in_the_time_zone_asked_for(client, studio):
    nina, _, _ = studio
    response = availability(
        client, "massage", start=MONDAY.isoformat(), end=MONDAY.isoformat(), tz="America/New_York"
    )
    body = response.json()
    assert response.status_code == 200
    assert body["service"] == "massage" and body["tz"] == "America/New_York"
    first = body["slots"][0]
    assert first == {
        "start": f.local(MONDAY, "09:00").astimezone(NEW_YORK).isoformat(),
        "end": f.local(MONDAY, "10:00").astimezone(NEW_YORK).isoformat(),
        "staff_id": nina.pk,
    }
    assert (
        datetime.fromisoformat(first["start"]).utcoffset()
        == f.local(MONDAY, "09:00").astimezone(NEW_YORK).utcoffset()
    )
    assert len(body["slots"]) == 15  # 09:00 to 16:00 every 30 minutes


def test_it_filters_the_slots_by_staff_member(client, studio):
    _, massage, _ = studio
    omar = f.staff_member("Omar")
    massage.staff.add(omar)
    body = availability(
        client, "massage", start=MONDAY.isoformat(), end=MONDAY.isoformat(), staff=omar.pk
    ).json()
    assert {slot["staff_id"] for slot in body["slots"]} == {omar.pk}
    assert body["tz"] == "Europe/Paris"


def test_it_gives_the_class_sessions_with_seats_left(client, studio):
    nina, _, yoga = studio
    session = f.session(yoga, nina, f.local(MONDAY, "18:00"))
    f.booking(session, f.client("Zoe"))
    f.session(yoga, nina, f.local(MONDAY + timedelta(days=10), "18:00"))  # outside the range
    body = availability(
        client, "yoga", start=MONDAY.isoformat(), end=(MONDAY + timedelta(days=6)).isoformat()
    ).json()
    assert body["sessions"] == [
        {
            "session_id": session.pk,
            "start": f.local(MONDAY, "18:00").isoformat(),
            "end": f.local(MONDAY, "19:00").isoformat(),
            "staff_id": nina.pk,
            "seats_left": 7,
        }
    ]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"end": "2030-01-01"}, "start is required"),
        ({"start": "2030-01-01"}, "end is required"),
        ({"start": "tomorrow", "end": "2030-01-01"}, "start must be a date"),
        ({"start": "2030-02-01", "end": "2030-02-30"}, "end must be a date"),
        ({"start": "2030-02-10", "end": "2030-02-01"}, "end must not be before start"),
        ({"start": "2030-01-01", "end": "2030-03-04"}, "at most 62 days"),
        ({"start": "9999-12-30", "end": "9999-12-31"}, "within 5 years"),
        ({"tz": "Mars/Olympus_Mons"}, "tz must be a time zone"),
        ({"tz": "../../etc/passwd"}, "tz must be a time zone"),
        ({"staff": "nina"}, "staff must be a staff member"),
        ({"staff": "-3"}, "staff must be a staff member"),
        ({"staff": "99999999999999999999999"}, "staff must be a staff member"),
        ({"staff": "424242"}, "does not offer this service"),
    ],
)
def test_it_refuses_a_bad_question_with_a_readable_400(client, studio, params, reason):
    today = date.today()
    defaults = {"start": today.isoformat(), "end": (today + timedelta(days=6)).isoformat()}
    if "start" in params or "end" in params:
        defaults = {}
    response = availability(client, "massage", **{**defaults, **params})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert reason in response.json()["error"]


def test_it_accepts_a_range_of_exactly_62_days(client, studio):
    start = date.today()
    response = availability(
        client, "massage", start=start.isoformat(), end=(start + timedelta(days=61)).isoformat()
    )
    assert response.status_code == 200


def test_it_refuses_a_staff_member_of_another_service_with_400(client, studio):
    omar = f.staff_member("Omar")
    f.service("Reiki", staff=[omar])
    response = availability(
        client, "massage", start=MONDAY.isoformat(), end=MONDAY.isoformat(), staff=omar.pk
    )
    assert response.status_code == 400


@pytest.mark.parametrize("slug", ["nothing-here", "private-room", "old-massage", "not a slug!"])
def test_it_answers_404_in_json_for_an_unknown_or_offline_service(client, studio, slug):
    f.service("Private room", is_online=False)
    f.service("Old massage", is_archived=True)
    response = availability(client, slug, start=MONDAY.isoformat(), end=MONDAY.isoformat())
    assert response.status_code == 404
    assert "error" in response.json()


def _queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def _add_busy_staff(massage, numbers: range) -> None:
    for n in numbers:
        member = f.staff_member(f"Staff {n}")
        massage.staff.add(member)
        f.booking(f.session(massage, member, f.local(MONDAY, "11:00")), f.client(f"Client{n}"))


def test_it_reads_the_availability_in_the_same_queries_for_1_and_50_staff(
    client, studio, django_assert_num_queries
):
    _, massage, _ = studio
    url = reverse("api:availability", args=["massage"])
    params = {"start": MONDAY.isoformat(), "end": (MONDAY + timedelta(days=6)).isoformat()}
    _add_busy_staff(massage, range(1))
    with_one = _queries(client, url, params)
    _add_busy_staff(massage, range(1, 50))
    with django_assert_num_queries(with_one):
        response = client.get(url, params)
    assert len({slot["staff_id"] for slot in response.json()["slots"]}) == 51


def test_it_lists_services_in_the_same_queries_for_1_and_50_staff(client, studio, django_assert_num_queries):
    _, massage, _ = studio
    with_one = _queries(client, reverse("api:services"), {})
    _add_busy_staff(massage, range(50))
    with django_assert_num_queries(with_one):
        client.get(reverse("api:services"))


def test_it_reads_class_sessions_in_the_same_queries_for_1_and_50_sessions(
    client, studio, django_assert_num_queries
):
    nina, _, yoga = studio
    url = reverse("api:availability", args=["yoga"])
    params = {"start": MONDAY.isoformat(), "end": (MONDAY + timedelta(days=13)).isoformat()}
    f.session(yoga, nina, f.local(MONDAY, "18:00"))
    with_one = _queries(client, url, params)
    for n in range(49):
        f.session(yoga, nina, f.local(MONDAY + timedelta(days=1 + n // 8), f"0{n % 8}:00"))
    with django_assert_num_queries(with_one):
        response = client.get(url, params)
    assert len(response.json()["sessions"]) == 50
