"""Celery tasks of the loyalty app: thin, called with ids, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def credit_points() -> int:
    """Every five minutes (beat): credit the bookings whose session ended the credit delay ago."""
    return services.credit_points_for_ended_sessions()


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=5)
def process_event(event_id: int) -> bool:
    """Queued after a cancelling (or declining) event commits: settle its booking, once."""
    return services.settle_event(event_id=event_id)


@shared_task(acks_late=True)
def process_pending_events() -> int:
    """Every 30 s (beat): settle the events whose task was lost."""
    return services.settle_pending_events()


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=5)
def settle_cancelled_booking(booking_id: int) -> None:
    """Messages queued before cancellations went through the outbox: settle the booking."""
    services.settle_cancelled_booking(booking_id=booking_id)


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


@shared_task(acks_late=True)
def deliver_gift_cards() -> int:
    """Every five minutes (beat): e-mail the paid gifts whose delivery day has come, each once."""
    return services.deliver_due_gift_cards()
