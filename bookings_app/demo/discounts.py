"""The demo's discount codes: WELCOME10 (10 % off, once per client) used on a few yoga seats and on
a pilates class paid online, SPRING5 (5 off yoga this month) and an archived one."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ..core.errors import BookingError
from ..models import Client, DiscountCode, DiscountKind, Service, Session
from ..services import payments
from ..services.bookings import book_class_seat
from ..services.client_matching import ClientDetails
from ..services.discounts import archive_discount_code, create_discount_code, redeem_discount
from .payments import _checkout, _paid


def seed_discounts(clients: list[Client], services: dict[str, Service]) -> int:
    """The codes, and bookings that used WELCOME10; returns how many bookings were made."""
    if DiscountCode.objects.exists():
        return 0
    today = timezone.localdate()
    create_discount_code(
        code="WELCOME10",
        kind=DiscountKind.PERCENT,
        percent=Decimal("10"),
        max_uses=100,
        max_uses_per_client=1,
    )
    create_discount_code(
        code="SPRING5",
        kind=DiscountKind.AMOUNT,
        amount=Decimal("5"),
        services=[services["vinyasa-yoga"]],
        valid_from=today,
        valid_until=today + timedelta(days=30),
    )
    archive_discount_code(
        discount_code=create_discount_code(code="LAUNCH20", kind=DiscountKind.PERCENT, percent=Decimal("20"))
    )
    made = 0
    yoga = Session.objects.filter(service=services["vinyasa-yoga"], start__gt=timezone.now()).order_by(
        "start"
    )
    for session, client in zip(yoga[3:6], clients[1:8:3], strict=False):
        made += _book_with_code(session, client, "WELCOME10", online=False)
    pilates = Session.objects.filter(
        service=services["morning-pilates"], start__gt=timezone.now() + timedelta(days=1)
    ).order_by("start")[1:2]
    for session in pilates:
        made += _book_with_code(session, clients[10 % len(clients)], "welcome10", online=True)
    return made


def _book_with_code(session: Session, client: Client, code: str, *, online: bool) -> int:
    """The booking form's order: the seat and its discount in one transaction, then the payment."""
    details = ClientDetails(email=client.email, first_name=client.first_name, last_name=client.last_name)
    try:
        with transaction.atomic():
            booking = book_class_seat(
                session=session, details=details, hold_until=payments.hold_deadline() if online else None
            )
            redeem_discount(code=code, bookings=[booking])
    except BookingError:
        return 0
    if online:
        _paid(_checkout(booking))
    return 1
