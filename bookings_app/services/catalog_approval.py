"""The owner's approval settings: which appointments are booked as requests, and how they are handled.

One function, one transaction. Invalid settings raise ``CatalogError`` (a ``BookingError``), so
the service edit page shows its ``message``.
"""

from django.db import transaction

from ..models import Business, PaymentPolicy, Service, ServiceKind
from .catalog import CatalogError
from .plans import approval_conflict_message

APPROVAL_FIELDS = (
    "requires_approval",
    "shared_requests",
    "approval_notice_hours",
    "decline_overlapping_requests",
    "overlap_decline_message",
)


def _constraint_message(name: str) -> str:
    return next(each for each in Service._meta.constraints if each.name == name).violation_error_message


def _approval_only_for_appointments_message() -> str:
    """The wording of the model's own check constraint, so the page and the database agree."""
    constraint = next(
        each for each in Service._meta.constraints if each.name == "service_approval_only_appointments"
    )
    return constraint.violation_error_message


def save_approval_settings(
    *,
    service: Service,
    requires_approval: bool,
    shared_requests: bool,
    approval_notice_hours: int | None,
    decline_overlapping_requests: bool,
    overlap_decline_message: str,
    request_reminder_hours: int,
) -> Service:
    """Save the service's approval switches and the business-wide reminder delay together.

    Raises CatalogError when approval is asked for a class or a course, or a service connected to
    a plan. Requests already waiting keep waiting when approval is switched off: the owner still answers them.
    """
    if requires_approval and service.kind != ServiceKind.APPOINTMENT:
        raise CatalogError(_approval_only_for_appointments_message())
    if requires_approval and service.payment_policy != PaymentPolicy.IN_PERSON:
        raise CatalogError(_constraint_message("service_online_payment_not_with_approval"))
    with transaction.atomic():
        # A service connected to a plan is booked with credits (seed 003); the lock orders this
        # save after a plan's save that adds the service (``services.plans.save_plan``).
        Service.objects.select_for_update().filter(pk=service.pk).first()
        if requires_approval and service.plans.exists():
            raise CatalogError(approval_conflict_message())
        service.requires_approval = requires_approval
        service.shared_requests = shared_requests
        service.approval_notice_hours = approval_notice_hours
        service.decline_overlapping_requests = decline_overlapping_requests
        service.overlap_decline_message = overlap_decline_message.strip()
        service.save(update_fields=list(APPROVAL_FIELDS))
        business = Business.current()
        Business.objects.filter(pk=business.pk).update(request_reminder_hours=request_reminder_hours)
    return service
