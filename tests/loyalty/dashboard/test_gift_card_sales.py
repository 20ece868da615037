"""The owner's side of gift cards sold online: switching sales on with the amounts, marking a
product for sale, and the sold cards in the gift cards list with their order and payment."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Business
from loyalty.models import GiftCardProduct, Program
from tests.support.gift_sales import order_card
from tests.support.payments import deliver

SETTINGS = "/dashboard/loyalty/settings/"


def settings_post(**changes) -> dict:
    data = {
        "is_enabled": "on",
        "credit_delay_hours": "3",
        "template_points_earned_subject": "",
        "template_points_earned_body": "",
        "template_balance_changed_subject": "",
        "template_balance_changed_body": "",
        "sells_gift_cards": "on",
        "gift_card_min_amount": "20",
        "gift_card_max_amount": "300",
    }
    return {**data, **changes}


def test_it_switches_sales_on_with_the_amounts(as_olivia, program):
    assert as_olivia.post(SETTINGS, settings_post()).status_code == 302

    program = Program.current()
    assert program.sells_online
    assert (program.gift_card_min_amount, program.gift_card_max_amount) == (Decimal("20"), Decimal("300"))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"gift_card_max_amount": ""}, "gift_card_max_amount", "Enter both amounts, or leave both empty."),
        ({"gift_card_min_amount": ""}, "gift_card_min_amount", "Enter both amounts, or leave both empty."),
        (
            {"gift_card_max_amount": "10"},
            "gift_card_max_amount",
            "The largest amount cannot be below the smallest.",
        ),
        (
            {"gift_card_min_amount": "0"},
            "gift_card_min_amount",
            "Ensure this value is greater than or equal to 1.00.",
        ),
    ],
)
def test_it_refuses_amounts_that_cannot_be_next_to_the_field(as_olivia, program, changes, field, message):
    response = as_olivia.post(SETTINGS, settings_post(**changes))

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Program.current().sells_gift_cards


def test_a_product_is_marked_for_sale_online(as_olivia, program):
    response = as_olivia.post(
        reverse("loyalty_dashboard:product_new"),
        {
            "name": "Gift card 50",
            "value": "50",
            "validity_days": "365",
            "is_active": "on",
            "sold_for_money": "on",
        },
    )

    assert response.status_code == 302
    assert GiftCardProduct.objects.get().sold_for_money


def _sell(count: int) -> None:
    for number in range(count):
        order, payment = order_card(f"buyer{number}@example.test", amount=Decimal("40.00"))
        deliver(payment)


def test_the_gift_cards_list_shows_each_sold_card_with_its_payment(as_olivia, program):
    Program.objects.filter(pk=1).update(
        sells_gift_cards=True, gift_card_min_amount=Decimal("20"), gift_card_max_amount=Decimal("300")
    )
    _sell(3)
    today = timezone.localtime(timezone.now(), Business.current().tz).date()
    gift, payment = order_card(
        "carla@example.test", amount=Decimal("25.00"), gift_to="dan@example.test", deliver_on=today
    )
    deliver(payment)

    text = as_olivia.get(reverse("loyalty_dashboard:gift_cards")).content.decode()

    assert text.count("paid 40.00 EUR (test)") == 3 and "paid 25.00 EUR (test)" in text
    assert "Sold online to <bdi>carla@example.test</bdi> as a gift" in text


def test_the_gift_cards_list_reads_as_many_queries_for_one_sold_card_as_for_twenty(as_olivia, program):
    Program.objects.filter(pk=1).update(
        sells_gift_cards=True, gift_card_min_amount=Decimal("20"), gift_card_max_amount=Decimal("300")
    )
    counts = []
    for sold in (1, 19):
        _sell(sold)
        with CaptureQueriesContext(connection) as queries:
            assert as_olivia.get(reverse("loyalty_dashboard:gift_cards")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
