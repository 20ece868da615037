"""Small builders for automations and the events that start them, through the real services."""

from datetime import datetime, timedelta

from django.utils import timezone

from automations.engine import BEHIND_AFTER
from automations.models import Automation
from automations.services import create_automation
from bookings_app.models import Attendance, Booking
from bookings_app.services.bookings import book_appointment
from bookings_app.services.changes import record_attendance
from bookings_app.services.client_matching import ClientDetails
from tests import factories as f

ALICE = ClientDetails(email="alice@client.test", first_name="Alice", last_name="Martin")
SCHEDULE_URL = "https://studio.test/schedule?week=2&lang=en"  # a link the statistics follow


def email_client(
    subject: str = "Hello {client_first_name}", body: str = "Thank you for visiting {business_name}."
) -> dict:
    return {"kind": "email_client", "settings": {"subject": subject, "body": body}}


def automation(trigger: str, *, actions: list[dict] | None = None, name: str = "", **fields) -> Automation:
    """A live automation on ``trigger`` that e-mails the client unless told otherwise."""
    return create_automation(
        name=name or f"On {trigger}", trigger=trigger, actions=actions or [email_client()], **fields
    )


def book(service, details: ClientDetails = ALICE, *, weekday: int = 1, at: str = "10:00") -> Booking:
    """``details`` books ``service`` on ``weekday`` (0 = Monday) at ``at``, through the booking
    service: the first such day after tomorrow, so that the client may still cancel it online
    whatever day the suite runs."""
    return book_appointment(service=service, start=f.local(booking_day(weekday), at), details=details)


def booking_day(weekday: int):
    """The day ``book`` books on ``weekday``."""
    return f.next_weekday(weekday, after=timezone.localdate() + timedelta(days=1))


def checked_in(service, staff, client, *, days_ago: float = 0, session=None) -> Booking:
    """A confirmed booking in ``session`` (else a new one that started ``days_ago``), checked in
    through the service."""
    session = session or f.session(service, staff, timezone.now() - timedelta(days=days_ago, hours=1))
    booking = f.booking(session, client)
    return record_attendance(booking=booking, attendance=Attendance.CHECKED_IN, by=None, now=session.start)


def later() -> datetime:
    """A moment when the events just recorded have waited long enough to count as a backlog."""
    return timezone.now() + BEHIND_AFTER + timedelta(seconds=1)
