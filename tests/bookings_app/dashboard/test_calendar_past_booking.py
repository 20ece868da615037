"""A booking the owner records from the calendar for a session already over tells the client nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.models import Booking, OutgoingEmail
from bookings_app.services.reminders import queue_due_reminders
from tests import factories
from tests.support.dashboard import calendar_studio

NEW = "/dashboard/calendar/new/"


@pytest.fixture
def studio(db):
    return calendar_studio()


def _book_from_calendar(client, studio, day) -> Booking:
    response = client.post(
        NEW,
        {
            "staff": studio["nina"].pk,
            "start": f"{day}T10:00",
            "service": studio["massage"].pk,
            "first_name": "Alice",
            "email": "alice@client.test",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    return Booking.objects.get()


def test_it_sends_no_confirmation_nor_reminder_for_a_session_already_over(client, olivia, studio):
    client.force_login(olivia)
    yesterday = timezone.localdate() - timedelta(days=1)

    booking = _book_from_calendar(client, studio, yesterday)

    assert booking.session.end < timezone.now()
    queue_due_reminders()
    assert not OutgoingEmail.objects.filter(booking=booking).exists()


def test_it_still_confirms_a_booking_for_a_session_to_come(client, olivia, studio):
    client.force_login(olivia)

    booking = _book_from_calendar(client, studio, studio["monday"])

    assert list(OutgoingEmail.objects.filter(booking=booking).values_list("kind", flat=True)) == [
        "confirmation"
    ]
    assert booking.session.start == factories.local(studio["monday"], "10:00")
