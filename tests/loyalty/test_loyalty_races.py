"""Racing purchases and racing checkouts, real threads on PostgreSQL: never a point or a cent too many."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from loyalty.errors import LoyaltyError
from loyalty.ledger_check import check_ledger
from loyalty.models import EntryKind, GiftCard, GiftCardRedemption, LedgerEntry
from loyalty.selectors import balance_of
from loyalty.services import (
    adjust_points,
    apply_gift_card_to_booking,
    buy_gift_card_with_points,
    issue_gift_card,
)
from tests import factories as f
from tests.support.races import in_words, race

THREADS = 20
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(attempt, count: int = THREADS) -> list[str]:
    """``count`` attempts at once; each says "done" or the readable refusal."""
    return in_words(race(attempt, range(count), refused=LoyaltyError), success="done")


def test_it_sells_racing_buyers_only_the_cards_the_balance_pays_for(program, voucher, alice):
    adjust_points(client=alice, points=350, description="Welcome bonus", by=None)  # three vouchers and 50

    outcomes = at_once(lambda i: buy_gift_card_with_points(client=alice, product=voucher))

    assert outcomes.count("done") == 3
    assert set(outcomes) - {"done"} == {"This gift card costs 100 points; you have 50."}
    assert GiftCard.objects.filter(owner=alice).count() == 3
    assert LedgerEntry.objects.filter(kind=EntryKind.REDEEMED).count() == 3
    assert balance_of(alice) == 50
    assert not LedgerEntry.objects.filter(balance_after__lt=0).exists()
    assert check_ledger() == []


def test_it_buys_one_card_for_racing_double_clicks(program, voucher, alice):
    adjust_points(client=alice, points=1000, description="Welcome bonus", by=None)

    def click(i: int) -> None:
        buy_gift_card_with_points(client=alice, product=voucher, request_key="form-42")

    outcomes = at_once(click, 10)

    assert outcomes == ["done"] * 10
    assert GiftCard.objects.count() == 1
    assert balance_of(alice) == 900


def test_it_spends_one_card_exactly_once_across_racing_checkouts(yoga, nina, olivia):
    session = f.session(yoga, nina, timezone.now() + timedelta(days=3))
    bookings = [f.booking(session, f.client(f"Client{i}")) for i in range(THREADS)]  # 20 EUR each
    card = issue_gift_card(value=Decimal("50.00"), by=olivia)

    def checkout(i: int) -> None:
        with transaction.atomic():
            apply_gift_card_to_booking(booking=bookings[i], code=card.display_code)

    outcomes = at_once(checkout)

    card.refresh_from_db()
    paid = sorted(GiftCardRedemption.objects.values_list("amount", flat=True))
    assert paid == [Decimal("10.00"), Decimal("20.00"), Decimal("20.00")]
    assert GiftCardRedemption.objects.aggregate(total=Sum("amount"))["total"] == Decimal("50.00")
    assert card.remaining_value == Decimal("0.00")
    assert outcomes.count("done") == 3
    assert set(outcomes) - {"done"} == {"This gift card has been spent in full."}
