"""The public plan pages for a membership: on sale with its monthly price, sessions and notice;
bought by a signed-in client; the test provider's checkout asking how the kept card renews; the
order's page and My bookings telling the next renewal."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Billing, ClientPlan, PlanOrder
from bookings_app.web.accounts import user_for_client
from tests.support.memberships import member
from tests.support.payments import deliver
from tests.support.plan_sales import open_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_signed_in(client, alice):
    client.force_login(user_for_client(alice))
    return client


def _checkout_page(alice_signed_in, unlimited) -> tuple[PlanOrder, str]:
    response = alice_signed_in.post(reverse("public:plan_buy", args=[unlimited.pk]))
    assert response.status_code == 303 and "/test/" in response["Location"]
    return PlanOrder.objects.get(), response["Location"]


def test_the_list_shows_a_membership_with_its_monthly_price_sessions_and_notice(
    client, unlimited, ten_classes
):
    page = client.get(reverse("public:plan_shop")).content.decode()

    assert "Unlimited" in page and "<bdi>89.00 EUR</bdi> a month" in page
    assert "Unlimited sessions" in page and "7 days of notice" in page
    assert "Join for <bdi>89.00 EUR</bdi> a month" in page and "10 classes" in page


def test_the_booking_form_offers_packs_only(alice_signed_in, unlimited, yoga_sessions):
    url = reverse("public:book_session", args=["yoga", yoga_sessions[0].pk])
    assert "Unlimited" not in alice_signed_in.get(url).content.decode().split("plan-offer")[-1]


@override_settings(PAYMENT_PROVIDER="test")
def test_a_client_joins_choosing_how_the_test_card_renews(alice_signed_in, unlimited):
    buy_page = alice_signed_in.get(reverse("public:plan_buy", args=[unlimited.pk])).content.decode()
    assert (
        "Pay the first month: <bdi>89.00 EUR</bdi>" in buy_page
        and "kept for the monthly renewals" in buy_page
    )
    order, checkout = _checkout_page(alice_signed_in, unlimited)
    page = alice_signed_in.get(checkout).content.decode()
    assert 'name="saved_card" value="renews"' in page and 'value="declines"' in page

    response = alice_signed_in.post(checkout, {"action": "pay", "saved_card": "declines"})

    assert response.status_code == 303
    membership = ClientPlan.objects.get()
    assert (membership.billing, membership.test_card) == (Billing.PROVIDER, "declines")
    page = alice_signed_in.get(reverse("public:plan_order", args=[order.token])).content.decode()
    renewal = membership.next_renewal_at.strftime("%B")
    assert (
        "your membership is active" in page and "It is a membership renewing on" in page and renewal in page
    )
    my_page = alice_signed_in.get(reverse("my_bookings")).content.decode()
    assert "Next renewal:" in my_page and "Unlimited" in my_page


@override_settings(PAYMENT_PROVIDER="test")
@pytest.mark.parametrize("saved_card", ["", "sometimes"])
def test_the_test_checkout_refuses_paying_without_a_valid_card_choice(alice_signed_in, unlimited, saved_card):
    _order, checkout = _checkout_page(alice_signed_in, unlimited)

    response = alice_signed_in.post(checkout, {"action": "pay", "saved_card": saved_card})

    assert response.status_code == 400 and not ClientPlan.objects.exists()


@override_settings(PAYMENT_PROVIDER="test")
def test_the_pack_checkout_asks_nothing_about_a_card(alice_signed_in, ten_classes):
    response = alice_signed_in.post(reverse("public:plan_buy", args=[ten_classes.pk]))
    assert 'name="saved_card"' not in alice_signed_in.get(response["Location"]).content.decode()


def test_a_member_is_told_why_she_cannot_join_again(alice_signed_in, alice, unlimited):
    member(unlimited, alice, now=timezone.now())

    response = alice_signed_in.post(reverse("public:plan_buy", args=[unlimited.pk]))

    assert response.status_code == 409 and "already a member of this plan" in response.content.decode()
    assert not PlanOrder.objects.exists()


def test_a_refused_membership_order_says_the_payment_is_refunded(alice_signed_in, alice, unlimited):
    alice_signed_in.post(reverse("public:plan_buy", args=[unlimited.pk]))
    order = PlanOrder.objects.get()
    member(unlimited, alice, now=timezone.now())  # the desk was quicker
    deliver(open_payment(order), saved_card="renews")

    page = alice_signed_in.get(reverse("public:plan_order", args=[order.token])).content.decode()
    assert "You are already a member" in page and "refunded in full" in page


def test_the_order_page_says_renewals_are_paid_at_the_desk_when_no_card_was_kept(alice_signed_in, unlimited):
    alice_signed_in.post(reverse("public:plan_buy", args=[unlimited.pk]))
    order = PlanOrder.objects.get()
    deliver(open_payment(order))  # a paid event that kept no card

    page = alice_signed_in.get(reverse("public:plan_order", args=[order.token])).content.decode()

    assert "your membership is active" in page and "renewals are paid at the desk" in page
