"""A use is given back when its booking ends unpaid, and counted again if a late payment revives it."""

from decimal import Decimal

import pytest

from bookings_app.models import BookingStatus, DiscountCode, PaymentStatus
from bookings_app.payments import ProviderEvent
from bookings_app.payments.base import PAID
from bookings_app.services.changes import cancel_booking
from bookings_app.services.payments import process_provider_event, release_hold
from tests.support.discounts import book_with_code, code, refusal

pytestmark = pytest.mark.django_db


def paid_event(payment, event_id: str = "evt_1") -> ProviderEvent:
    return ProviderEvent(
        provider="test",
        event_id=event_id,
        kind=PAID,
        raw_kind="payment.paid",
        reference=payment.provider_reference,
        amount=payment.amount,
        currency=payment.currency,
    )


def uses(name: str) -> int:
    return DiscountCode.objects.get(code=name).uses


def test_a_released_unpaid_hold_gives_the_use_back_to_the_next_client(pilates_session):
    code(code="ONCE", max_uses=1)
    held = book_with_code(pilates_session, "once", "alice@client.test")
    assert refusal(pilates_session, "once", "bob@client.test") == "This discount code has been used up."

    assert release_hold(booking_id=held.pk, reason="expired")

    held.refresh_from_db()
    assert held.status == BookingStatus.RELEASED and held.discount.given_back_at is not None
    assert uses("ONCE") == 0
    assert book_with_code(pilates_session, "once", "bob@client.test").price == Decimal("36.00")
    assert uses("ONCE") == 1


def test_releasing_twice_gives_back_once(pilates_session):
    code(code="ONCE", max_uses=3)
    held = book_with_code(pilates_session, "once")
    release_hold(booking_id=held.pk, reason="abandoned")
    release_hold(booking_id=held.pk, reason="expired")
    assert uses("ONCE") == 0


def test_a_released_hold_gives_back_the_per_client_use(pilates_session):
    code(code="MINE", max_uses_per_client=1)
    held = book_with_code(pilates_session, "mine")
    release_hold(booking_id=held.pk, reason="abandoned")
    assert book_with_code(pilates_session, "mine").discount.code == "MINE"


def test_cancelling_a_booking_paid_in_person_gives_the_use_back(yoga_session):
    code(code="ONCE", max_uses=1)
    booking = book_with_code(yoga_session, "once")
    cancel_booking(booking=booking, by_client=True)
    assert uses("ONCE") == 0
    booking.refresh_from_db()
    assert booking.discount.given_back_at is not None and booking.price == Decimal("18.00")


def test_cancelling_a_booking_paid_online_keeps_the_use(pilates_session):
    code(code="ONCE", max_uses=1)
    booking = book_with_code(pilates_session, "once")
    payment = booking.payments.get()
    payment.provider_reference = "chk_1"
    payment.save(update_fields=["provider_reference"])
    assert process_provider_event(paid_event(payment)).code
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED

    cancel_booking(booking=booking, by_client=False)

    assert uses("ONCE") == 1
    booking.refresh_from_db()
    assert booking.discount.given_back_at is None


def test_a_late_payment_counts_the_use_again(pilates_session):
    code(code="ONCE", max_uses=2)
    held = book_with_code(pilates_session, "once")
    payment = held.payments.get()
    payment.provider_reference = "chk_late"
    payment.save(update_fields=["provider_reference"])
    release_hold(booking_id=held.pk, reason="expired")
    assert uses("ONCE") == 0

    process_provider_event(paid_event(payment, "evt_late"))

    held.refresh_from_db()
    assert held.status == BookingStatus.CONFIRMED
    assert held.payments.get().status == PaymentStatus.PAID
    assert held.discount.given_back_at is None and uses("ONCE") == 1


def test_a_late_payment_counted_again_is_counted_once_whatever_repeats(pilates_session):
    from bookings_app.services.discounts import take_use_again

    code(code="ONCE", max_uses=1)
    held = book_with_code(pilates_session, "once")
    payment = held.payments.get()
    payment.provider_reference = "chk_late"
    payment.save(update_fields=["provider_reference"])
    release_hold(booking_id=held.pk, reason="expired")

    process_provider_event(paid_event(payment, "evt_late"))
    process_provider_event(paid_event(payment, "evt_late_again"))  # the provider says so twice
    take_use_again(booking=held)  # and once more, as a retried worker would

    held.refresh_from_db()
    assert held.status == BookingStatus.CONFIRMED and uses("ONCE") == 1
    assert DiscountCode.objects.get(code="ONCE").max_uses == 1


def test_a_cancelled_booking_keeps_its_discounted_price_in_the_ledger(pilates_session):
    from bookings_app.models import PaymentLedgerEntry, Receipt
    from bookings_app.services.payments import send_refund

    code(code="ONCE", max_uses=1)
    booking = book_with_code(pilates_session, "once")
    payment = booking.payments.get()
    payment.provider_reference = "chk_2"
    payment.save(update_fields=["provider_reference"])
    process_provider_event(paid_event(payment, "evt_2"))

    cancel_booking(booking=booking, by_client=False)
    for refund in payment.refunds.all():
        send_refund(refund_id=refund.pk)

    booking.refresh_from_db()
    assert booking.price == Decimal("36.00") and booking.discount.price_before == Decimal("40.00")
    charge = PaymentLedgerEntry.objects.get(kind="charge")
    refund = PaymentLedgerEntry.objects.get(kind="refund")
    assert charge.amount == refund.amount == Decimal("36.00")
    receipt = Receipt.objects.get(series="R")
    assert receipt.snapshot["discount"] == {"label": "ONCE", "amount": "4.00"}
    assert Receipt.objects.get(series="CN").snapshot["discount"] is None
