"""Celery tasks of the booking app: thin, called with ids, safe to run twice."""

from celery import shared_task

from .core.availability_version import prune_changes
from .core.planner_statistics import refresh_planner_statistics
from .mail import delivery, outbox
from .services import reminders
from .services import requests as booking_requests
from .services import sessions as session_services


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=60, retry_backoff_max=1800, max_retries=5
)
def send_email(email_id: int) -> str:
    """Send one stored e-mail; the claim makes a duplicate run a no-op."""
    return delivery.send_email_now(email_id=email_id)


@shared_task(acks_late=True)
def send_emails(email_ids: list[int]) -> int:
    """Send e-mails stored together (a batch of automation runs); each row's claim makes a
    duplicate a no-op, and one that fails goes on to ``send_email`` for its retries."""
    return delivery.send_emails_now(email_ids=email_ids)


@shared_task(acks_late=True)
def sweep_emails() -> int:
    """Every 15 s (beat): dispatch e-mails whose task or worker was lost."""
    return outbox.send_due_emails()


@shared_task(acks_late=True)
def generate_class_sessions() -> int:
    """Hourly (beat): create class sessions up to the booking window; never duplicates."""
    return session_services.generate_class_sessions()


@shared_task(acks_late=True)
def emit_session_events() -> int:
    """Every minute (beat): record "session started" and "session ended", once each."""
    return session_services.emit_session_events()


@shared_task(acks_late=True)
def queue_reminders() -> int:
    """Every five minutes (beat): store the 24-hour reminders that are due."""
    return reminders.queue_due_reminders()


@shared_task(acks_late=True)
def expire_requests() -> int:
    """Every five minutes (beat): requests whose start passed without an answer expire."""
    return booking_requests.expire_requests()


@shared_task(acks_late=True)
def remind_about_requests() -> int:
    """Every fifteen minutes (beat): tell the team about requests left unanswered too long."""
    return booking_requests.remind_about_waiting_requests()


@shared_task(acks_late=True)
def expire_waitlist_offers() -> int:
    """Every minute (beat): seats offered from a waitlist and not taken in time pass to the next client."""
    from .services import waitlist

    return waitlist.expire_offers()


@shared_task(acks_late=True)
def pass_on_earlier_times() -> int:
    """Every five minutes (beat): earlier times told to a client and left unused go to the next one."""
    from .services import earlier_times

    return earlier_times.pass_on_unused_notices()


@shared_task(acks_late=True)
def release_expired_holds() -> int:
    """Every minute (beat): give back the places held for payments that never came."""
    from .services import payments

    return payments.release_expired_holds()


@shared_task(acks_late=True)
def renew_memberships() -> int:
    """Every 15 minutes (beat): charge the memberships whose period ended (docs/plans.md)."""
    from .services import membership_renewals

    return len(membership_renewals.renew_due_memberships())


@shared_task(acks_late=True)
def send_refund(refund_id: int) -> str:
    """Ask the provider for one refund; the claim makes a duplicate run a no-op."""
    from .services import payments

    return payments.send_refund(refund_id=refund_id).status


@shared_task(acks_late=True)
def record_payment_fee(payment_id: int) -> bool:
    """After a charge: its provider's fee, entered once (``services.fees``)."""
    from .services import fees

    return fees.record_payment_fee(payment_id=payment_id) is not None


@shared_task(acks_late=True)
def record_missing_fees() -> int:
    """Every 15 minutes (beat): recent charges whose fee was not known yet."""
    from .services import fees

    return fees.record_missing_fees()


@shared_task(acks_late=True)
def send_pending_refunds() -> int:
    """Every minute (beat): refunds whose task was lost."""
    from .services import payments

    return payments.send_pending_refunds()


@shared_task(acks_late=True)
def refresh_outside_calendars() -> int:
    """Every fifteen minutes (beat): hand each staff member's outside calendar to a refresh."""
    from .services import busy_times

    return busy_times.queue_all_refreshes()


@shared_task(acks_late=True)
def refresh_outside_calendar(calendar_id: int) -> str:
    """Fetch one outside calendar and replace its busy times; a failure keeps the old ones."""
    from .services import busy_times

    return busy_times.refresh_outside_calendar(calendar_id=calendar_id)


@shared_task(acks_late=True)
def prune_availability_changes() -> int:
    """Beat, every minute: keep the availability version's count of changes small (PostgreSQL)."""
    return prune_changes()


@shared_task(acks_late=True)
def refresh_database_statistics() -> bool:
    """Beat, every hour: SQLite's query planner statistics (PostgreSQL keeps its own)."""
    return refresh_planner_statistics()
