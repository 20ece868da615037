"""Gift card products: created and edited with their points price; cards issued by hand."""

from decimal import Decimal

import pytest

from bookings_app.models import Client, OutgoingEmail
from loyalty.models import GiftCard, GiftCardProduct

PRODUCTS = "/dashboard/loyalty/gift-cards/products/"
ISSUE = "/dashboard/loyalty/gift-cards/issue/"


def product_post(**changes) -> dict:
    data = {
        "name": "Voucher 50",
        "description": "",
        "value": "50.00",
        "validity_days": "180",
        "is_active": "on",
        "sold_for_points": "on",
        "points_price": "200",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_it_creates_a_product_sold_for_points(as_olivia, program):
    response = as_olivia.post(f"{PRODUCTS}new/", product_post())

    assert response.status_code == 302
    product = GiftCardProduct.objects.get()
    assert (product.value, product.validity_days, product.points_price) == (Decimal("50.00"), 180, 200)


@pytest.mark.parametrize("price", ["0", "-5"])
def test_it_refuses_a_points_price_of_zero_or_less(as_olivia, program, price):
    response = as_olivia.post(f"{PRODUCTS}new/", product_post(points_price=price))

    assert response.status_code == 400
    assert "A points price must be at least 1 point." in response.content.decode()
    assert not GiftCardProduct.objects.exists()


def test_it_asks_for_a_price_when_sold_for_points(as_olivia, program):
    response = as_olivia.post(f"{PRODUCTS}new/", product_post(points_price=""))

    assert "Enter the price in points." in response.content.decode()
    assert not GiftCardProduct.objects.exists()


def test_it_creates_a_product_not_for_points(as_olivia, program):
    as_olivia.post(f"{PRODUCTS}new/", product_post(sold_for_points=None, points_price="0"))

    assert GiftCardProduct.objects.get().points_price is None


def test_it_edits_a_product(as_olivia, program, voucher):
    as_olivia.post(
        f"{PRODUCTS}{voucher.pk}/", product_post(name="Voucher 25+", value="25", points_price="90")
    )

    voucher.refresh_from_db()
    assert (voucher.name, voucher.points_price) == ("Voucher 25+", 90)


def test_it_lists_and_searches_products(as_olivia, program, voucher):
    assert "Voucher 25" in as_olivia.get(PRODUCTS).content.decode()
    assert "Voucher 25" not in as_olivia.get(f"{PRODUCTS}?q=massage").content.decode()


def test_it_issues_a_card_by_hand_to_a_client(as_olivia, program, voucher, alice, olivia):
    response = as_olivia.post(ISSUE, {"product": voucher.pk, "client": alice.pk})

    assert response.status_code == 302
    card = GiftCard.objects.get()
    assert (card.owner, card.initial_value, card.issued_by) == (alice, Decimal("25.00"), olivia)
    assert OutgoingEmail.objects.filter(kind="loyalty_gift_card", to=alice.email).exists()


def test_it_issues_a_card_of_any_value_to_an_email_address(as_olivia, program):
    as_olivia.post(ISSUE, {"value": "40", "email": "zoe@friends.test", "name": "Zoé"})

    card = GiftCard.objects.get()
    assert card.initial_value == Decimal("40.00")
    assert card.owner == Client.objects.get(email="zoe@friends.test")
    assert card.owner.first_name == "Zoé"


def test_it_asks_for_a_recipient_and_a_value(as_olivia, program):
    response = as_olivia.post(ISSUE, {})

    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "Choose a gift card or enter a value." in page
        and "Choose a client or enter an e-mail address." in page
    )
    assert not GiftCard.objects.exists()
