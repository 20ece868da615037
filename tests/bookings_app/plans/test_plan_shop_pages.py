"""The public plan pages: the packs on sale, buying one (signed in), the order's page, the offer
on the booking form and "Buy again" under My bookings."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from bookings_app.models import ClientPlan, PlanOrder
from bookings_app.services.plans import give_plan, save_plan, set_plan_archived
from bookings_app.web.accounts import user_for_client
from tests.support.payments import deliver
from tests.support.plan_sales import open_payment

pytestmark = pytest.mark.django_db


def _plan(studio, name: str, price: str = "120.00", **changes):
    fields = {
        "name": name,
        "credits": 10,
        "valid_days": 90,
        "valid_from": "purchase",
        "price": Decimal(price),
        "currency": "EUR",
        **changes,
    }
    return save_plan(services=[studio["yoga"]], **fields)


def buy_links(response) -> list[str]:
    return re.findall(r'href="(/plans/\d+/buy/[^"]*)"', response.content.decode())


@pytest.fixture
def alice_signed_in(client, alice):
    client.force_login(user_for_client(alice))
    return client


@pytest.mark.parametrize("rows", [1, 25])
def test_the_plans_on_sale_cost_the_same_queries_for_1_and_25(
    client, studio, rows, django_assert_num_queries
):
    for number in range(rows):
        _plan(studio, f"Pack {number}")
    with django_assert_num_queries(4):
        response = client.get(reverse("public:plan_shop"), {"q": "pack"})
    assert response.status_code == 200 and len(buy_links(response)) == min(rows, 20)


def test_the_list_shows_what_each_pack_gives_and_leaves_out_archived_and_free_ones(client, studio):
    _plan(studio, "10 classes")
    set_plan_archived(plan=_plan(studio, "Old pack"), archived=True)
    _plan(studio, "Free trial", price="0")
    page = client.get(reverse("public:plan_shop")).content.decode()
    assert "10 classes" in page and "120.00 EUR" in page and "90 days from purchase" in page
    assert "Yoga" in page and "Old pack" not in page and "Free trial" not in page
    assert client.get(reverse("public:plan_shop"), {"q": "massage"}).content.decode().count("/buy/") == 0


def test_a_visitor_is_sent_to_sign_in_and_back(client, ten_classes):
    url = reverse("public:plan_buy", args=[ten_classes.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/account/login" in response["Location"]
    assert "next=" in response["Location"] and not PlanOrder.objects.exists()
    assert client.post(url).status_code == 302 and not PlanOrder.objects.exists()


def test_the_team_has_no_client_account_to_buy_with(client, olivia, ten_classes):
    client.force_login(olivia)
    response = client.post(reverse("public:plan_buy", args=[ten_classes.pk]))
    assert response.status_code == 403 and not PlanOrder.objects.exists()


def test_a_client_buys_a_pack_and_comes_back_to_her_booking(alice_signed_in, ten_classes, yoga_sessions):
    booking_page = reverse("public:book_session", args=["yoga", yoga_sessions[0].pk])
    url = reverse("public:plan_buy", args=[ten_classes.pk])
    assert "Pay <bdi>150.00 EUR</bdi>" in alice_signed_in.get(url, {"next": booking_page}).content.decode()

    response = alice_signed_in.post(url, {"next": booking_page})

    assert (
        response.status_code == 303 and "/pay/" in response["Location"] and "/test/" in response["Location"]
    )
    order = PlanOrder.objects.get()
    assert order.return_to == booking_page
    deliver(open_payment(order))
    page = alice_signed_in.get(reverse("public:plan_order", args=[order.token])).content.decode()
    assert "your pack is ready" in page and f'href="{booking_page}"' in page
    assert ClientPlan.objects.get().credits_left == 10


@pytest.mark.parametrize("next_page", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_a_next_page_off_the_site_is_dropped(alice_signed_in, ten_classes, next_page):
    alice_signed_in.post(reverse("public:plan_buy", args=[ten_classes.pk]), {"next": next_page})
    assert PlanOrder.objects.get().return_to == ""


def test_an_archived_plan_cannot_be_bought(alice_signed_in, ten_classes):
    set_plan_archived(plan=ten_classes, archived=True)
    assert alice_signed_in.post(reverse("public:plan_buy", args=[ten_classes.pk])).status_code == 404
    assert not PlanOrder.objects.exists()


def test_a_one_per_client_plan_held_already_is_refused_with_the_reason(alice_signed_in, ten_classes, alice):
    ten_classes.one_per_client = True
    ten_classes.save()
    give_plan(plan=ten_classes, client=alice)
    response = alice_signed_in.post(reverse("public:plan_buy", args=[ten_classes.pk]))
    assert response.status_code == 409 and "already have it" in response.content.decode()
    assert not PlanOrder.objects.exists()


def test_a_declined_order_offers_to_try_again(alice_signed_in, ten_classes):
    alice_signed_in.post(reverse("public:plan_buy", args=[ten_classes.pk]))
    order = PlanOrder.objects.get()
    deliver(open_payment(order), "payment.failed")
    page = alice_signed_in.get(reverse("public:plan_order", args=[order.token])).content.decode()
    assert "did not go through" in page
    response = alice_signed_in.post(reverse("public:plan_order_pay", args=[order.token]))
    assert response.status_code == 303 and order.plan.orders.count() == 1


def test_the_booking_form_offers_the_packs_that_fit_to_a_client_without_one(
    alice_signed_in, alice, ten_classes, yoga_sessions, studio
):
    _plan(studio, "Massage pack").services.set([studio["massage"]])
    url = reverse("public:book_session", args=["yoga", yoga_sessions[0].pk])

    page = alice_signed_in.get(url).content.decode()

    assert "Or buy “<bdi>10 classes</bdi>” — <bdi>150.00 EUR</bdi>, 10 sessions" in page
    assert "Massage pack" not in page
    [link] = buy_links(alice_signed_in.get(url))
    assert link.startswith(f"/plans/{ten_classes.pk}/buy/?next=") and "sessions" in link
    give_plan(plan=ten_classes, client=alice)
    assert "Or buy" not in alice_signed_in.get(url).content.decode()


def test_my_plans_offer_to_buy_a_used_up_pack_again(alice_signed_in, alice, ten_classes):
    pack = give_plan(plan=ten_classes, client=alice)
    assert "Buy again" not in alice_signed_in.get(reverse("my_bookings")).content.decode()
    ClientPlan.objects.filter(pk=pack.pk).update(credits_used=10)
    page = alice_signed_in.get(reverse("my_bookings")).content.decode()
    assert f'href="/plans/{ten_classes.pk}/buy/"' in page and "Buy again" in page
    set_plan_archived(plan=ten_classes, archived=True)
    assert "Buy again" not in alice_signed_in.get(reverse("my_bookings")).content.decode()
