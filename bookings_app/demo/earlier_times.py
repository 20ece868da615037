"""The demo's "tell me if an earlier time opens": the client with the latest massage booking waits
for an earlier time with anyone (docs/waitlist.md, "An earlier time")."""

from django.utils import timezone

from ..core.errors import BookingError
from ..models import Booking, BookingStatus, Service
from ..services.earlier_time_moves import ask_for_earlier_time


def seed_earlier_time(services: dict[str, Service]) -> int:
    """Returns how many wishes were made (0 or 1)."""
    latest = (
        Booking.objects.filter(
            service=services["deep-tissue-massage"],
            status=BookingStatus.CONFIRMED,
            session__start__gt=timezone.now(),
        )
        .order_by("-session__start")
        .first()
    )
    if latest is None:
        return 0
    try:
        ask_for_earlier_time(booking=latest, with_anyone=True)
    except BookingError:
        return 0
    return 1
