"""The public gift card page and the order page, as a visitor who never signed in uses them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Business
from loyalty.models import GiftCard, GiftCardOrder, GiftCardOrderStatus, Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor() -> Browser:
    return Browser()


def _today():
    return timezone.localtime(timezone.now(), Business.current().tz).date()


def _form(card="", **changes) -> dict:
    data = {
        "card": card,
        "amount": "",
        "for_whom": "me",
        "first_name": "Carla",
        "last_name": "Diaz",
        "email": "carla@example.test",
        "recipient_name": "",
        "recipient_email": "",
        "message": "",
        "deliver_on": _today().isoformat(),
    }
    return {**data, **changes}


def _field_error(response, field: str) -> str:
    form = response.context["form"]
    return " ".join(form.errors.get(field, []))


def test_it_shows_the_cards_for_sale_to_anyone(visitor, card_50, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = visitor.get(reverse("gift_shop:buy"))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Gift card 50 · 50.00 EUR" in page
        and "An amount of my choice" in page
        and "From 20.00 to 300.00." in page
    )


def test_it_is_not_found_while_sales_are_off(visitor, card_50):
    Program.objects.filter(pk=1).update(sells_gift_cards=False)
    assert visitor.get(reverse("gift_shop:buy")).status_code == 404


def test_buying_for_oneself_goes_to_the_provider_then_shows_the_card_paid(visitor, card_50):
    response = visitor.post(reverse("gift_shop:buy"), _form(card=str(card_50.pk)))
    assert response.status_code == 303 and "/test/" in response["Location"]

    back = visitor.post(response["Location"], {"action": "pay"})
    order = GiftCardOrder.objects.get()
    page = visitor.get(back["Location"], follow=True)

    assert page.redirect_chain[-1][0] == reverse("gift_shop:order", args=[order.token])
    assert "Thank you: your gift card is paid" in page.content.decode()
    order.refresh_from_db()
    assert order.status == GiftCardOrderStatus.PAID and GiftCard.objects.count() == 1


def test_a_declined_payment_offers_to_try_again(visitor, card_50):
    checkout = visitor.post(reverse("gift_shop:buy"), _form(card="custom", amount="42.50"))["Location"]
    visitor.post(checkout, {"action": "decline"})
    order = GiftCardOrder.objects.get()
    page = visitor.get(reverse("gift_shop:order", args=[order.token]))
    assert "Your payment did not go through" in page.content.decode()

    again = visitor.post(reverse("gift_shop:pay", args=[order.token]))
    assert again.status_code == 303 and again["Location"] != checkout
    visitor.post(again["Location"], {"action": "pay"})
    order.refresh_from_db()
    assert order.status == GiftCardOrderStatus.PAID and order.gift_card.initial_value == Decimal("42.50")
    assert visitor.post(reverse("gift_shop:pay", args=[order.token])).status_code == 409


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"card": "custom", "amount": "19.99"}, "amount", "Choose an amount from 20.00 to 300.00."),
        ({"card": "custom", "amount": "300.01"}, "amount", "Choose an amount from 20.00 to 300.00."),
        ({"card": "custom", "amount": "lots"}, "amount", "Enter an amount such as 40 or 42.50."),
        ({"card": "custom", "amount": ""}, "amount", "Enter the amount of the card."),
        ({"email": "carla@"}, "email", "Enter a valid email address."),
        (
            {"for_whom": "gift", "recipient_email": ""},
            "recipient_email",
            "Enter the recipient's e-mail address.",
        ),
        ({"for_whom": "gift", "recipient_email": "dan@"}, "recipient_email", "Enter a valid email address."),
        (
            {"for_whom": "gift", "recipient_email": "dan@example.test", "deliver_on": "2020-01-01"},
            "deliver_on",
            "Choose today or a later day.",
        ),
        ({"card": "999999"}, "card", "Select a valid choice."),
    ],
)
def test_bad_input_is_told_next_to_its_field(visitor, card_50, changes, field, message):
    response = visitor.post(reverse("gift_shop:buy"), _form(**{"card": str(card_50.pk), **changes}))

    assert response.status_code == 400
    assert message in _field_error(response, field)
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not GiftCardOrder.objects.exists()


def test_a_gift_for_a_later_day_says_when_it_goes(visitor, card_50):
    day = _today() + timedelta(days=5)
    data = _form(
        card=str(card_50.pk), for_whom="gift", recipient_name="Dan", recipient_email="dan@example.test"
    )
    checkout = visitor.post(reverse("gift_shop:buy"), {**data, "deliver_on": day.isoformat()})["Location"]
    visitor.post(checkout, {"action": "pay"})
    order = GiftCardOrder.objects.get()
    page = visitor.get(reverse("gift_shop:order", args=[order.token])).content.decode()
    assert "dan@example.test" in page and order.deliver_on == day and order.delivered_at is None


def test_an_unknown_order_is_not_found(visitor, selling):
    assert visitor.get(reverse("gift_shop:order", args=["nope"])).status_code == 404
    assert visitor.post(reverse("gift_shop:pay", args=["nope"])).status_code == 404


def test_back_from_the_provider_before_its_word_the_page_waits_for_it(visitor, card_50):
    visitor.post(reverse("gift_shop:buy"), _form(card=str(card_50.pk)))
    order = GiftCardOrder.objects.get()
    page = reverse("gift_shop:order", args=[order.token])

    waiting = visitor.get(page, {"returned": "1"}).content.decode()
    cancelled = visitor.get(page, {"cancelled": "1"}).content.decode()

    assert "Confirming your payment" in waiting and 'http-equiv="refresh"' in waiting
    assert "Pay 50.00 EUR for your gift card" in cancelled and 'http-equiv="refresh"' not in cancelled
