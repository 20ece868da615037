"""Gift cards for a signed-in client: buy one with points, see "Your gift cards", download the PDF."""

import re

import pytest
from django.test import Client as Browser
from django.urls import reverse

from loyalty.models import EntryKind, GiftCard, GiftCardProduct, LedgerEntry
from loyalty.selectors import balance_of
from loyalty.services import issue_gift_card
from tests.support.loyalty import account_for, give_points, signed_in

pytestmark = pytest.mark.django_db
GIFT_CARDS = reverse("loyalty:gift_cards")
KEY = "f" * 32


def buy(browser, product: GiftCardProduct, request_key: str = KEY):
    return browser.post(reverse("loyalty:buy_gift_card", args=[product.pk]), {"request_key": request_key})


def select_buttons(html: str) -> list[str]:
    return re.findall(r"<button[^>]*>Select with points</button>", html)


def test_it_enables_select_with_points_only_where_the_balance_suffices(
    program, alice, alice_signed_in, voucher, big_voucher
):
    give_points(alice, 150)

    page = alice_signed_in.get(GIFT_CARDS)

    cheap, dear = select_buttons(page.content.decode())
    assert "disabled" not in cheap and "disabled" in dear
    assert "You need 250 more points." in page.content.decode()


def test_it_lists_only_products_on_sale_for_points(program, alice_signed_in, voucher, studio):
    GiftCardProduct.objects.create(name="Staff only", value=10, points_price=None)
    GiftCardProduct.objects.create(name="Retired", value=10, points_price=10, is_active=False)

    page = alice_signed_in.get(GIFT_CARDS)

    assert [product.name for product in page.context["products"]] == ["Voucher 25"]


def test_it_buys_a_card_with_enough_points_and_lists_it(program, alice, alice_signed_in, voucher, mailoutbox):
    give_points(alice, 130)

    response = buy(alice_signed_in, voucher)

    assert response.status_code == 303
    card = GiftCard.objects.get(owner=alice)
    assert balance_of(alice) == 30
    assert LedgerEntry.objects.filter(client=alice, kind=EntryKind.REDEEMED, points=-100).count() == 1
    page = alice_signed_in.get(response["Location"])
    assert card.display_code in page.content.decode()
    assert "25.00 EUR" in page.content.decode()
    assert "Your gift card" in page.content.decode()


def test_it_refuses_a_card_the_balance_cannot_pay_and_changes_nothing(
    program, alice, alice_signed_in, voucher
):
    give_points(alice, 60)

    response = buy(alice_signed_in, voucher)

    assert response.status_code == 303
    page = alice_signed_in.get(response["Location"]).content.decode()
    assert "This gift card costs 100 points; you have 60." in page
    assert not GiftCard.objects.exists()
    assert balance_of(alice) == 60 and LedgerEntry.objects.filter(client=alice).count() == 1


def test_it_buys_once_when_select_with_points_is_clicked_twice(program, alice, alice_signed_in, voucher):
    give_points(alice, 500)

    buy(alice_signed_in, voucher)
    buy(alice_signed_in, voucher)

    assert GiftCard.objects.filter(owner=alice).count() == 1
    assert balance_of(alice) == 400


def test_it_buys_again_with_a_new_form(program, alice, alice_signed_in, voucher):
    give_points(alice, 500)

    buy(alice_signed_in, voucher, "a" * 32)
    buy(alice_signed_in, voucher, "b" * 32)

    assert GiftCard.objects.filter(owner=alice).count() == 2


def test_it_gives_each_select_button_its_own_idempotency_key(
    program, alice, alice_signed_in, voucher, big_voucher
):
    keys = re.findall(
        r'name="request_key" value="([0-9a-f]{32})"', alice_signed_in.get(GIFT_CARDS).content.decode()
    )

    assert len(keys) == 2 and keys[0] != keys[1]


def test_it_refuses_a_form_without_a_key(program, alice, alice_signed_in, voucher):
    give_points(alice, 500)

    buy(alice_signed_in, voucher, "")

    assert not GiftCard.objects.exists() and balance_of(alice) == 500


def test_it_lets_the_owner_of_a_card_download_its_pdf(program, alice, alice_signed_in, olivia):
    card = issue_gift_card(value="30.00", client=alice, by=olivia)

    response = alice_signed_in.get(reverse("loyalty:gift_card_pdf", args=[card.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_it_never_shows_nor_serves_another_clients_card(program, alice, bob, olivia, alice_signed_in):
    bobs = issue_gift_card(value="30.00", client=bob, by=olivia)

    page = alice_signed_in.get(GIFT_CARDS).content.decode()
    pdf = alice_signed_in.get(reverse("loyalty:gift_card_pdf", args=[bobs.pk]))

    assert bobs.display_code not in page
    assert pdf.status_code == 404


def test_it_sends_a_visitor_to_sign_in_before_buying(program, voucher):
    response = buy(Browser(), voucher)

    assert response.status_code == 302 and not GiftCard.objects.exists()


def test_it_answers_404_to_buying_while_the_program_is_off(program, alice, alice_signed_in, voucher):
    give_points(alice, 500)
    program.is_enabled = False
    program.save()

    assert buy(alice_signed_in, voucher).status_code == 404
    assert balance_of(alice) == 500


def test_it_refuses_buying_for_an_account_that_never_booked(program, carla, voucher):
    browser = Browser()
    browser.force_login(carla)

    assert buy(browser, voucher).status_code == 404


def test_it_shows_bob_his_own_card_not_alices(program, alice, bob, olivia):
    issue_gift_card(value="30.00", client=alice, by=olivia)
    bobs = issue_gift_card(value="40.00", client=bob, by=olivia)

    page = signed_in(account_for(bob)).get(GIFT_CARDS)

    assert [card.pk for card in page.context["cards"]] == [bobs.pk]
