"""Online payments as tests drive them: hold a place, open the test provider's checkout, and
deliver its signed events through the webhook's verification (tests/bookings_app/payments)."""

from bookings_app.payments import provider
from bookings_app.payments.testing import event_body, sign
from bookings_app.services import payments
from bookings_app.services.bookings import book_appointment, book_class_seat
from tests import factories


def hold_seat(session, number: int = 1, **kwargs):
    """A client books the class and is sent to pay: the held booking and its payment."""
    booking = book_class_seat(
        session=session, details=factories.racer(number), hold_until=payments.hold_deadline(), **kwargs
    )
    payment = payments.start_payment(booking=booking, provider_name="test")
    if payment is not None:
        payments.open_checkout(payment=payment, success_url="/ok", cancel_url="/no")
        payment.refresh_from_db()
    return booking, payment


def hold_appointment(service, start, number: int = 1):
    booking = book_appointment(
        service=service, start=start, details=factories.racer(number), hold_until=payments.hold_deadline()
    )
    payment = payments.start_payment(booking=booking, provider_name="test")
    payments.open_checkout(payment=payment, success_url="/ok", cancel_url="/no")
    payment.refresh_from_db()
    return booking, payment


def deliver(
    payment, kind: str = "payment.succeeded", *, amount=None, currency=None, event_id=None, saved_card=""
):
    """The test provider's signed event for ``payment``, through the webhook's verification;
    ``saved_card`` ("renews", "declines") as its checkout page sends it for a card kept."""
    body = event_body(
        kind=kind,
        reference=payment.provider_reference,
        amount=payment.amount if amount is None else amount,
        currency=currency or payment.currency,
        event_id=event_id,
        saved_card=saved_card,
    )
    event = provider("test").parse_webhook(body, {"Rendez-Signature": sign(body)})
    return payments.process_provider_event(event)
