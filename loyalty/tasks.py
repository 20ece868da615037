"""Celery tasks of the loyalty app: thin, called with ids, safe to run twice."""

from celery import shared_task

from bookings_app.models import Booking

from . import services


@shared_task(acks_late=True)
def credit_points() -> int:
    """Every five minutes (beat): credit the bookings whose session ended the credit delay ago."""
    return services.credit_points_for_ended_sessions()


@shared_task(acks_late=True)
def reverse_points() -> int:
    """Every five minutes (beat): take back the points of credited bookings cancelled since."""
    return services.reverse_points_for_cancelled_bookings()


@shared_task(acks_late=True)
def refund_cancelled_redemptions() -> int:
    """Every five minutes (beat): return gift card payments of cancelled bookings to their cards."""
    return services.refund_cancelled_redemptions()


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=5)
def settle_cancelled_booking(booking_id: int) -> None:
    """Queued when a booking is cancelled: refund its gift card payments and take back its points.

    The beat tasks above do the same, so a lost message only delays it.
    """
    booking = Booking.objects.select_related("client", "service", "session").filter(pk=booking_id).first()
    if booking is None or booking.is_live:
        return
    services.refund_redemptions(booking=booking)
    services.reverse_points_for_booking(booking=booking)


@shared_task(acks_late=True)
def build_points_export(export_id: int) -> bool:
    """Queued when the owner asks for an export: write the file, updating the progress bar."""
    return services.build_points_export(export_id=export_id)


@shared_task(acks_late=True)
def build_pending_exports() -> int:
    """Every minute (beat): build exports whose message or worker was lost."""
    return services.build_pending_exports()


@shared_task(acks_late=True)
def tidy_exports() -> int:
    """Daily (beat): delete exports older than a week with their files; fail abandoned ones."""
    failed, deleted = services.tidy_exports()
    return failed + deleted
