"""A studio selling gift cards online: a 50 EUR card for sale, or any amount from 20 to 300."""

from decimal import Decimal

import pytest

from loyalty.models import GiftCardProduct, Program


@pytest.fixture
def selling(studio) -> Program:
    Program.objects.update_or_create(
        pk=1,
        defaults={
            "is_enabled": True,
            "sells_gift_cards": True,
            "gift_card_min_amount": Decimal("20.00"),
            "gift_card_max_amount": Decimal("300.00"),
        },
    )
    return Program.current()


@pytest.fixture
def card_50(selling) -> GiftCardProduct:
    return GiftCardProduct.objects.create(
        name="Gift card 50", value=Decimal("50.00"), validity_days=365, sold_for_money=True
    )
