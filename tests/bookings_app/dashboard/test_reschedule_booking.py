"""The owner moves a booking: it opens on the booking's day, says when nothing is free, asks before moving."""

from datetime import timedelta

import pytest

from bookings_app.models import Booking, BookingStatus, OutgoingEmail
from bookings_app.services.changes import cancel_booking
from tests import factories
from tests.support.dashboard import appointment, bookings_studio
from tests.support.htmx import HTMX

BOOKINGS = "/dashboard/bookings/"


@pytest.fixture
def studio(db):
    return bookings_studio()


def _reschedule(booking: Booking) -> str:
    return f"{BOOKINGS}{booking.pk}/reschedule/"


def test_it_opens_on_the_bookings_own_day_with_its_free_times(client, olivia, studio):
    booking = appointment(studio, days=5, at="10:00")
    client.force_login(olivia)

    response = client.get(_reschedule(booking))

    day = booking.session.start.astimezone(factories.business().tz).date()
    assert response.context["day"] == day
    assert factories.local(day, "15:00") in [slot.start for slot, _name in response.context["slots"]]


def test_it_points_to_the_next_free_day_when_the_day_is_full(client, olivia, studio):
    booking = appointment(studio, days=5, at="10:00")
    day = booking.session.start.astimezone(factories.business().tz).date()
    studio["nina"].working_hours.filter(weekday=day.weekday()).delete()
    client.force_login(olivia)

    response = client.get(_reschedule(booking), {"day": day.isoformat()})

    assert response.context["slots"] == []
    assert response.context["next_free_day"] == day + timedelta(days=1)
    assert "The next free time is on" in response.content.decode()


def test_it_asks_to_confirm_showing_the_old_and_new_time_before_moving(client, olivia, studio):
    booking = appointment(studio, at="10:00")
    old_start = booking.session.start
    new_start = old_start + timedelta(hours=5)
    client.force_login(olivia)

    response = client.post(_reschedule(booking), {"start": new_start.isoformat(), "staff": studio["nina"].pk})

    page = response.content.decode()
    assert response.status_code == 200 and "Move this booking?" in page and 'name="notify"' in page
    assert Booking.objects.get(pk=booking.pk).session.start == old_start
    assert not OutgoingEmail.objects.filter(kind="reschedule").exists()


def test_it_moves_without_telling_the_client_when_the_owner_says_so(client, olivia, studio):
    booking = appointment(studio, at="10:00")
    new_start = booking.session.start + timedelta(hours=5)
    client.force_login(olivia)

    response = client.post(
        _reschedule(booking), {"start": new_start.isoformat(), "staff": studio["nina"].pk, "confirm": "1"}
    )

    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).session.start == new_start
    assert not OutgoingEmail.objects.filter(kind="reschedule").exists()


def test_it_drops_the_moved_message_once_the_booking_is_cancelled(client, olivia, studio):
    booking = appointment(studio, at="10:00")
    new_start = booking.session.start + timedelta(hours=5)
    client.force_login(olivia)
    client.post(
        _reschedule(booking),
        {"start": new_start.isoformat(), "staff": studio["nina"].pk, "confirm": "1", "notify": "1"},
    )

    page = client.get(f"{BOOKINGS}{booking.pk}/").content.decode()
    assert page.count("The booking is moved") == 1
    cancelled = client.post(f"{BOOKINGS}{booking.pk}/cancel/", headers=HTMX).content.decode()
    assert "The booking is moved" not in cancelled and "is cancelled" in cancelled


def test_a_cancelled_booking_offers_no_payment_and_shows_no_unpaid(client, olivia, studio):
    booking = appointment(studio)
    cancel_booking(booking=booking, by_client=False, by=olivia)
    client.force_login(olivia)

    page = client.get(f"{BOOKINGS}{booking.pk}/").content.decode()

    assert "Mark as paid" not in page and "Unpaid" not in page


def test_marking_a_cancelled_booking_paid_is_a_409(client, olivia, studio):
    booking = appointment(studio)
    cancel_booking(booking=booking, by_client=False, by=olivia)
    client.force_login(olivia)

    response = client.post(f"{BOOKINGS}{booking.pk}/paid/", {"paid": "1"}, headers=HTMX)

    assert response.status_code == 409
    booking.refresh_from_db()
    assert booking.paid_at is None and booking.status == BookingStatus.CANCELLED
