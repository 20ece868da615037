"""Buying a gift card with points: one transaction, one card per click, a clear refusal otherwise."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bookings_app.models import DomainEvent, OutgoingEmail
from loyalty.errors import InsufficientPoints, LoyaltyDisabled, NotForSale
from loyalty.ledger_check import check_ledger
from loyalty.models import EntryKind, GiftCard, GiftCardProduct, LedgerEntry, Program
from loyalty.selectors import balance_of, gift_cards_of
from loyalty.services import adjust_points, buy_gift_card_with_points


@pytest.fixture
def rich_alice(program, alice, olivia):
    """Alice holds 130 points: one voucher's worth and 30 more."""
    adjust_points(client=alice, points=130, description="Welcome bonus", by=olivia)
    return alice


def test_it_exchanges_the_points_for_a_card_in_one_go(rich_alice, voucher):
    card = buy_gift_card_with_points(client=rich_alice, product=voucher)

    assert (card.initial_value, card.remaining_value) == (Decimal("25.00"), Decimal("25.00"))
    assert card.currency == "EUR"
    assert (card.owner, card.product) == (rich_alice, voucher)
    spent = LedgerEntry.objects.get(kind=EntryKind.REDEEMED)
    assert (spent.points, spent.balance_after, spent.gift_card) == (-100, 30, card)
    assert spent.description == "Gift card: Voucher 25"
    assert balance_of(rich_alice) == 30
    assert list(gift_cards_of(rich_alice)) == [card]
    assert check_ledger() == []


def test_it_refuses_without_enough_points_and_changes_nothing(rich_alice, voucher):
    buy_gift_card_with_points(client=rich_alice, product=voucher)

    with pytest.raises(InsufficientPoints) as refused:
        buy_gift_card_with_points(client=rich_alice, product=voucher)

    assert str(refused.value.message) == "This gift card costs 100 points; you have 30."
    assert GiftCard.objects.count() == 1
    assert balance_of(rich_alice) == 30


def test_it_buys_one_card_when_select_with_points_is_clicked_twice(rich_alice, voucher):
    first = buy_gift_card_with_points(client=rich_alice, product=voucher, request_key="form-7f3a")
    second = buy_gift_card_with_points(client=rich_alice, product=voucher, request_key="form-7f3a")

    assert first == second
    assert GiftCard.objects.count() == 1
    assert balance_of(rich_alice) == 30


def test_it_buys_again_with_a_new_form(rich_alice, voucher, olivia):
    adjust_points(client=rich_alice, points=70, description="Bonus", by=olivia)

    buy_gift_card_with_points(client=rich_alice, product=voucher, request_key="form-1")
    buy_gift_card_with_points(client=rich_alice, product=voucher, request_key="form-2")

    assert GiftCard.objects.count() == 2
    assert balance_of(rich_alice) == 0


def test_it_refuses_a_product_that_is_not_sold_for_points(rich_alice, voucher):
    no_points = GiftCardProduct.objects.create(name="Cash only", value=Decimal("50.00"), validity_days=30)
    GiftCardProduct.objects.filter(pk=voucher.pk).update(is_active=False)

    for product in (no_points, voucher):
        with pytest.raises(NotForSale):
            buy_gift_card_with_points(client=rich_alice, product=product)

    assert balance_of(rich_alice) == 130


def test_it_refuses_while_the_program_is_off(rich_alice, voucher):
    Program.objects.filter(pk=1).update(is_enabled=False)

    with pytest.raises(LoyaltyDisabled):
        buy_gift_card_with_points(client=rich_alice, product=voucher)


def test_it_records_the_gift_card_issued_event(rich_alice, voucher):
    card = buy_gift_card_with_points(client=rich_alice, product=voucher)

    event = DomainEvent.objects.get(kind="loyalty.gift_card_issued")
    assert event.client == rich_alice
    assert event.payload == {"gift_card_id": card.pk, "value": "25.00"}


def test_it_emails_the_card_with_its_printable_pdf(rich_alice, voucher):
    card = buy_gift_card_with_points(client=rich_alice, product=voucher)

    email = OutgoingEmail.objects.get(kind="loyalty_gift_card")
    assert (email.to, email.dedupe_key) == ("alice@client.test", f"loyalty:gift_card:{card.pk}")
    [attachment] = email.attachments
    assert attachment["mimetype"] == "application/pdf"
    assert attachment["filename"] == f"gift-card-{card.code[-4:]}.pdf"


def test_it_refuses_a_points_price_of_zero(studio):
    product = GiftCardProduct(name="Free lunch", value=Decimal("10.00"), validity_days=30, points_price=0)

    with pytest.raises(ValidationError) as refused:
        product.full_clean()
    assert "points_price" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        product.save()
