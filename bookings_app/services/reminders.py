"""The default reminder e-mail, 24 hours before a confirmed booking's session."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from ..mail.booking_emails import queue_booking_email
from ..models import Booking, BookingStatus, OutgoingEmail, SessionStatus
from ..web.links import manage_url

REMINDER_AHEAD = timedelta(hours=24)


def queue_due_reminders(*, now: datetime | None = None) -> int:
    """Queue a reminder for each booking whose session starts within the next 24 hours.

    A booking made less than 24 hours ahead gets none (its confirmation is fresh). The
    message's dedupe key makes a second run, or a second beat, store nothing new.
    """
    now = now or timezone.now()
    reminded = OutgoingEmail.objects.filter(booking=OuterRef("pk"), kind="reminder")
    due = (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            session__status=SessionStatus.SCHEDULED,
            session__start__gt=now,
            session__start__lte=now + REMINDER_AHEAD,
            created_at__lte=F("session__start") - REMINDER_AHEAD,
        )
        .exclude(Exists(reminded))
        .select_related("session")
    )
    queued = 0
    for booking in due[:500]:
        with transaction.atomic():
            if queue_booking_email(booking=booking, kind="reminder", manage_url=manage_url(booking)):
                queued += 1
    return queued
