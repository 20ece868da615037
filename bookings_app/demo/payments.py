"""The demo's payments, through the same services and the test provider's signed events:
morning pilates paid online in full, the deep tissue massage with a 30 % deposit; paid,
deposit-paid, refunded and released bookings, a provider's fee, and a class paid in cash."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from ..core.errors import BookingError
from ..models import (
    Booking,
    BookingStatus,
    Business,
    Client,
    Payment,
    PaymentLedgerEntry,
    PaymentPolicy,
    Service,
    Session,
)
from ..models.payments import CASH, LedgerKind
from ..payments import provider
from ..payments.testing import event_body, fake_fee, sign
from ..services import fees, payments
from ..services.bookings import book_appointment, book_class_seat
from ..services.client_matching import ClientDetails
from ..services.in_person import record_desk_payment
from ..services.settings import update_business_settings

PROVIDER = "test"
DEMO_FEE = "2.9%+0.30"


def _legal_details() -> None:
    """What the demo's receipts print: left alone once the owner has filled them in."""
    business = Business.current()
    if not business.legal_name:
        update_business_settings(
            business=business,
            legal_name="Studio Lumen SARL",
            legal_address="12 rue des Lilas\n75011 Paris\nFrance",
            tax_number="FR 12 345678901",
            vat_rate=Decimal("20.00"),
        )


def seed_payments(clients: list[Client], services: dict[str, Service]) -> int:
    """Set the two services' policies and make four bookings paid online (each charge with its
    receipt, the refund with its credit note, a provider's fee on one), and one paid in cash at
    the desk with its receipt; returns how many."""
    _legal_details()
    pilates, massage = services["morning-pilates"], services["deep-tissue-massage"]
    Service.objects.filter(pk=pilates.pk).update(payment_policy=PaymentPolicy.FULL)
    Service.objects.filter(pk=massage.pk).update(
        payment_policy=PaymentPolicy.DEPOSIT,
        deposit_percent=30,
        deposit_amount=None,
        refund_policy="deposit_kept",
    )
    pilates.refresh_from_db(), massage.refresh_from_db()
    made = 0
    sessions = list(
        Session.objects.filter(service=pilates, start__gt=timezone.now() + timedelta(days=1)).order_by(
            "start"
        )[:2]
    )
    if not sessions:
        return 0
    paid = _hold_seat(sessions[0], clients[12 % len(clients)])
    refunded = _hold_seat(sessions[0], clients[13 % len(clients)])
    released = _hold_seat(sessions[-1], clients[14 % len(clients)])
    for booking in (paid, refunded):
        if booking:
            _paid(booking)
            made += 1
    if refunded:
        payment = refunded.payments.get()
        payment.refresh_from_db()
        payments.send_refund(refund_id=payments.request_refund(payment=payment, amount=payment.amount).pk)
    if released:
        payments.release_hold(booking_id=released.pk, reason="abandoned")
        made += 1
    deposit = _hold_massage(massage, clients[11 % len(clients)])
    if deposit:
        _paid(deposit)
        made += 1
    if paid:
        made += _fee(paid)
    return made + _paid_at_the_desk()


def _fee(booking: Booking) -> int:
    """The test provider's fake fee (2.9 % + 0.30) on the paid class, as Stripe would report one."""
    charge = PaymentLedgerEntry.objects.filter(booking=booking, kind=LedgerKind.CHARGE).first()
    if charge is None:
        return 0
    fees.enter_fee(charge, amount=fake_fee(charge.amount, DEMO_FEE), now=charge.at)
    return 1


def _paid_at_the_desk() -> int:
    """A class paid in cash at the desk, with its receipt (not e-mailed): once per demo."""
    if Payment.objects.filter(provider=CASH).exists():
        return 0
    booking = (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            service__payment_policy=PaymentPolicy.IN_PERSON,
            price__gt=0,
            prepaid_amount=0,
            paid_at__isnull=True,
            session__start__gt=timezone.now(),
        )
        .order_by("session__start", "pk")
        .first()
    )
    if booking is None:
        return 0
    record_desk_payment(booking=booking, amount=booking.price, method=CASH, request_key=f"demo-{booking.pk}")
    return 1


def _details(client: Client) -> ClientDetails:
    return ClientDetails(email=client.email, first_name=client.first_name, last_name=client.last_name)


def _hold_seat(session: Session, client: Client) -> Booking | None:
    try:
        booking = book_class_seat(
            session=session, details=_details(client), hold_until=payments.hold_deadline()
        )
    except BookingError:
        return None
    return _checkout(booking)


def _hold_massage(massage: Service, client: Client) -> Booking | None:
    tz = Business.current().tz
    for days in range(3, 10):
        day = timezone.localdate() + timedelta(days=days)
        if day.weekday() >= 5:
            continue
        start = datetime.combine(day, time(15, 0), tzinfo=tz)
        try:
            booking = book_appointment(
                service=massage, start=start, details=_details(client), hold_until=payments.hold_deadline()
            )
        except BookingError:
            continue
        return _checkout(booking)
    return None


def _checkout(booking: Booking) -> Booking:
    payment = payments.start_payment(booking=booking, provider_name=PROVIDER)
    if payment is not None:
        payments.open_checkout(payment=payment, success_url="/", cancel_url="/")
    return booking


def _paid(booking: Booking) -> None:
    """The client presses Pay on the test page: its signed event, verified and processed."""
    payment = booking.payments.get(status="pending")
    body = event_body(
        kind="payment.succeeded",
        reference=payment.provider_reference,
        amount=payment.amount,
        currency=payment.currency,
    )
    payments.process_provider_event(provider(PROVIDER).parse_webhook(body, {"Rendez-Signature": sign(body)}))
