"""Clients with accounts, signed in to their own loyalty pages; the studio's gift card products."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client as Browser

from loyalty.models import GiftCardProduct
from tests import factories as f
from tests.support.loyalty import account_for, signed_in


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Wrong gift card codes are counted in the cache; each test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def alice_signed_in(alice) -> Browser:
    return signed_in(account_for(alice))


@pytest.fixture
def big_voucher(studio) -> GiftCardProduct:
    """A 50 EUR gift card for 400 points."""
    return GiftCardProduct.objects.create(
        name="Voucher 50", value=Decimal("50.00"), validity_days=180, points_price=400
    )


@pytest.fixture
def massage(nina):
    """A 50 EUR appointment Nina gives on weekdays."""
    return f.service("Massage", staff=[nina], price=Decimal("50.00"))
