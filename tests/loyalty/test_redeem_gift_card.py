"""A gift card paying for bookings in full or in part, never twice, and refunded once on cancel."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from bookings_app.models import Booking, BookingStatus
from bookings_app.services.changes import cancel_booking
from loyalty.codes import display_code
from loyalty.errors import (
    AlreadyPaid,
    BookingNotPayable,
    BookingStillLive,
    GiftCardAlreadyApplied,
    GiftCardEmpty,
    GiftCardExpired,
    GiftCardNotFound,
)
from loyalty.models import GiftCard, GiftCardRedemption
from loyalty.selectors import gift_card_paid
from loyalty.services import (
    apply_gift_card_to_booking,
    issue_gift_card,
    redeem_gift_card,
    refund_redemptions,
)
from tests import factories as f
from tests.support.loyalty import settle_cancellations


@pytest.fixture
def card(studio, olivia) -> GiftCard:
    """A 50 EUR card given to nobody in particular."""
    return issue_gift_card(value=Decimal("50.00"), by=olivia)


@pytest.fixture
def class_session(yoga, nina):
    return f.session(yoga, nina, timezone.now() + timedelta(days=2))


@pytest.fixture
def alices_booking(class_session, alice) -> Booking:
    """Alice's 20 EUR yoga class, next week."""
    return f.booking(class_session, alice)


def remaining(card: GiftCard) -> Decimal:
    card.refresh_from_db()
    return card.remaining_value


def test_it_pays_a_booking_in_full(card, alices_booking):
    redemption = redeem_gift_card(code=card.code, booking=alices_booking, amount_due=Decimal("20.00"))

    assert (redemption.booking, redemption.gift_card) == (alices_booking, card)
    assert redemption.amount == Decimal("20.00")
    assert remaining(card) == Decimal("30.00")


def test_it_pays_what_the_card_holds_and_leaves_the_rest_to_pay_in_person(card, alices_booking):
    GiftCard.objects.filter(pk=card.pk).update(remaining_value=Decimal("12.50"))

    paid = apply_gift_card_to_booking(booking=alices_booking, code=card.code)

    assert paid == Decimal("12.50")
    assert remaining(card) == Decimal("0.00")
    assert gift_card_paid(alices_booking) == Decimal("12.50")


def test_it_forgives_case_dashes_and_spaces_in_the_code(card, alices_booking):
    typed = f"  {display_code(card.code).lower().replace('-', ' - ')} "

    redemption = redeem_gift_card(code=typed, booking=alices_booking, amount_due=Decimal("5"))

    assert redemption.amount == Decimal("5.00")


@pytest.mark.parametrize("code", ["NOPE-NOPE-NOPE-NOPE", "ABCD", "", "0000-1111-OOOO-IIII"])
def test_it_refuses_an_unknown_code(card, alices_booking, code):
    with pytest.raises(GiftCardNotFound) as refused:
        redeem_gift_card(code=code, booking=alices_booking, amount_due=Decimal("20.00"))

    assert str(refused.value.message) == "This gift card code is not valid. Check it and try again."
    assert remaining(card) == Decimal("50.00")


def test_it_refuses_an_expired_card(card, alices_booking):
    GiftCard.objects.filter(pk=card.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    with pytest.raises(GiftCardExpired) as refused:
        redeem_gift_card(code=card.code, booking=alices_booking, amount_due=Decimal("20.00"))

    assert str(refused.value.message) == "This gift card has expired."
    assert not GiftCardRedemption.objects.exists()


def test_it_refuses_a_card_spent_in_full(card, alices_booking, class_session, bob):
    GiftCard.objects.filter(pk=card.pk).update(remaining_value=Decimal("0.00"))

    with pytest.raises(GiftCardEmpty) as refused:
        redeem_gift_card(code=card.code, booking=alices_booking, amount_due=Decimal("20.00"))

    assert str(refused.value.message) == "This gift card has been spent in full."


def test_it_refuses_to_pay_the_same_booking_twice_with_one_card(card, alices_booking):
    redeem_gift_card(code=card.code, booking=alices_booking, amount_due=Decimal("10.00"))

    with pytest.raises(GiftCardAlreadyApplied):
        redeem_gift_card(code=card.code, booking=alices_booking, amount_due=Decimal("10.00"))

    assert remaining(card) == Decimal("40.00")


def test_it_pays_only_what_is_still_due(card, alices_booking, olivia):
    small = issue_gift_card(value=Decimal("15.00"), by=olivia)
    apply_gift_card_to_booking(booking=alices_booking, code=small.code)

    assert apply_gift_card_to_booking(booking=alices_booking, code=card.code) == Decimal("5.00")
    with pytest.raises(AlreadyPaid):
        apply_gift_card_to_booking(booking=alices_booking, code=card.code)
    assert remaining(card) == Decimal("45.00")


def test_it_refuses_to_pay_a_cancelled_booking(card, alices_booking):
    cancel_booking(booking=alices_booking, by_client=False)

    with pytest.raises(BookingNotPayable):
        apply_gift_card_to_booking(booking=alices_booking, code=card.code)


def test_it_rolls_the_payment_back_with_the_booking(card, alices_booking):
    with pytest.raises(RuntimeError), transaction.atomic():
        redeem_gift_card(code=card.code, booking=alices_booking, amount_due=Decimal("20.00"))
        raise RuntimeError("the checkout failed after the payment")

    assert remaining(card) == Decimal("50.00")
    assert not GiftCardRedemption.objects.exists()


def test_it_returns_the_amount_to_the_card_once_when_the_booking_is_cancelled(card, alices_booking):
    apply_gift_card_to_booking(booking=alices_booking, code=card.code)
    cancel_booking(booking=alices_booking, by_client=False)

    [refunded] = refund_redemptions(booking=alices_booking)
    assert refund_redemptions(booking=alices_booking) == []
    assert settle_cancellations() == 1  # loyalty's sweep settles the event, returning nothing more

    assert refunded.refunded_at is not None
    assert remaining(card) == Decimal("50.00")
    assert gift_card_paid(alices_booking) == Decimal("0.00")


def test_it_refunds_the_cancelled_bookings_the_sweep_finds(card, alices_booking, class_session, bob):
    bobs_booking = f.booking(class_session, bob)
    apply_gift_card_to_booking(booking=alices_booking, code=card.code)
    apply_gift_card_to_booking(booking=bobs_booking, code=card.code)
    cancel_booking(booking=alices_booking, by_client=False)

    assert settle_cancellations() == 1
    assert settle_cancellations() == 0
    assert remaining(card) == Decimal("30.00")
    assert Booking.objects.get(pk=bobs_booking.pk).status == BookingStatus.CONFIRMED


def test_it_refuses_to_refund_a_live_booking(card, alices_booking):
    apply_gift_card_to_booking(booking=alices_booking, code=card.code)

    with pytest.raises(BookingStillLive):
        refund_redemptions(booking=alices_booking)

    assert remaining(card) == Decimal("30.00")
