"""Gift cards issued by hand, and what every card's code and dates look like."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bookings_app.models import DomainEvent, OutgoingEmail
from loyalty.codes import ALPHABET, normalise_code
from loyalty.errors import InvalidAmount
from loyalty.models import GiftCard
from loyalty.services import issue_gift_card


def test_it_issues_a_card_from_a_product(voucher, alice, olivia):
    card = issue_gift_card(product=voucher, client=alice, by=olivia)

    assert (card.initial_value, card.remaining_value, card.owner, card.issued_by) == (
        Decimal("25.00"),
        Decimal("25.00"),
        alice,
        olivia,
    )
    assert OutgoingEmail.objects.filter(kind="loyalty_gift_card", to=alice.email).count() == 1
    assert DomainEvent.objects.filter(kind="loyalty.gift_card_issued", client=alice).count() == 1


def test_it_issues_a_card_for_any_value_without_an_owner(studio, olivia):
    card = issue_gift_card(value="30.50", by=olivia, validity_days=90)

    assert (card.initial_value, card.owner, card.product) == (Decimal("30.50"), None, None)
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize("value", [None, "0", "-5", "abc", "10.001", "NaN", "Infinity"])
def test_it_refuses_a_missing_or_wrong_value(studio, olivia, value):
    with pytest.raises(InvalidAmount) as refused:
        issue_gift_card(value=value, by=olivia)

    assert str(refused.value.message) == "Enter a value greater than zero, such as 25 or 25.50."
    assert not GiftCard.objects.exists()


def test_it_refuses_a_validity_under_one_day(studio, olivia):
    with pytest.raises(InvalidAmount):
        issue_gift_card(value="10", by=olivia, validity_days=-1)


def test_it_makes_codes_of_sixteen_unambiguous_characters_in_groups_of_four(studio, olivia):
    cards = [issue_gift_card(value="10", by=olivia) for _ in range(30)]

    assert len({card.code for card in cards}) == 30
    for card in cards:
        assert len(card.code) == 16 and set(card.code) <= set(ALPHABET)
        assert not set(card.code) & set("01OI")
        assert [len(group) for group in card.display_code.split("-")] == [4, 4, 4, 4]
        assert normalise_code(card.display_code.lower()) == card.code


def test_it_keeps_the_card_valid_through_its_last_day_in_business_time(voucher, olivia):
    card = issue_gift_card(product=voucher, by=olivia)

    paris = ZoneInfo("Europe/Paris")
    issued_on = card.created_at.astimezone(paris).date()
    assert card.last_valid_day(paris) == issued_on + timedelta(days=365)
    midnight_after = datetime.combine(issued_on + timedelta(days=366), datetime.min.time(), tzinfo=paris)
    assert card.expires_at == midnight_after
