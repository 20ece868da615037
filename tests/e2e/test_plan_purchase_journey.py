"""In Chromium, on a phone: Alice, signed in, opens a yoga class's booking form, sees the 10-class
pack offered beside the single price, buys it on the test provider's page, comes back to the form,
books the class with her new pack, cancels in time and sees the credit back under My bookings.
English, French and Hebrew, with axe on each page and screenshots. Then Bob joins the unlimited
membership on /plans/, tells the test provider's page his saved card renews, and is told when
it renews, there and under My bookings (English and Hebrew)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from bookings_app.models import Billing, Booking, BookingStatus, ClientPlan, PlanOrder, ServiceKind
from bookings_app.services.plans import save_plan
from bookings_app.web import links
from bookings_app.web.accounts import user_for_client
from tests import factories as f
from tests.support.browser import PHONE, screenshot, serious_violations, signed_in_page
from tests.support.memberships import membership_plan


@pytest.fixture
def studio():
    f.business(currency="EUR")
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10, price=Decimal("18"))
    session = f.session(yoga, nina, f.local(f.next_weekday(2) + timedelta(days=7), "18:00"))
    plan = save_plan(
        services=[yoga],
        name="10 classes",
        credits=10,
        valid_days=90,
        valid_from="purchase",
        price=Decimal("120.00"),
        currency="EUR",
    )
    return {"session": session, "plan": plan, "alice": f.client("Alice", last_name="Martin")}


@pytest.mark.parametrize("language", ["en", "fr", "he"])
def test_alice_buys_a_pack_online_books_with_it_and_gets_the_credit_back(
    live_server, page_for, studio, language
):
    alice = studio["alice"]
    phone = signed_in_page(page_for, live_server, user_for_client(alice), language, PHONE)
    booking_page = reverse("public:book_session", args=["yoga", studio["session"].pk])
    phone.goto(live_server.url + booking_page)
    offer = phone.locator(".plan-offer a")
    assert offer.count() == 1 and "120" in offer.inner_text()
    assert serious_violations(phone) == []
    screenshot(phone, f"plans-online/offer-{language}")

    offer.click()
    phone.wait_for_selector(".plan-buy-form")
    assert serious_violations(phone) == []
    screenshot(phone, f"plans-online/buy-{language}")
    phone.locator(".plan-buy-form button[type=submit]").click()
    phone.wait_for_selector(".payment--test")
    assert serious_violations(phone) == []
    screenshot(phone, f"plans-online/test-page-{language}")
    phone.click("button[value=pay]")
    phone.wait_for_selector(".confirmation__mark")
    assert serious_violations(phone) == []
    screenshot(phone, f"plans-online/paid-{language}")
    pack = ClientPlan.objects.get(client=alice)
    assert pack.credits_left == 10 and PlanOrder.objects.get().status == "paid"

    phone.locator(f".confirmation a[href='{booking_page}']").click()
    phone.wait_for_selector(".booking-form")
    assert phone.locator(f"input[name=use_plan][value='{pack.pk}']").is_checked()
    assert phone.locator(".plan-offer").count() == 0
    phone.locator(".booking-form button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/booked/"))
    booking = Booking.objects.get(client=alice)
    assert booking.status == BookingStatus.CONFIRMED
    pack.refresh_from_db()
    assert pack.credits_left == 9

    phone.goto(live_server.url + reverse("public:cancel", args=[links.manage_token(booking)]))
    phone.locator("form button[type=submit].button--danger").click()
    phone.wait_for_url(re.compile(r"/manage/[^/]+/$"))
    pack.refresh_from_db()
    assert pack.credits_left == 10

    phone.goto(live_server.url + reverse("my_bookings"))
    assert "10" in phone.locator(".my-plan").inner_text()
    assert serious_violations(phone) == []
    screenshot(phone, f"plans-online/my-plans-{language}")

    phone.goto(live_server.url + reverse("public:plan_shop"))
    assert phone.locator(".plan-card").count() == 1
    assert serious_violations(phone) == []
    screenshot(phone, f"plans-online/shop-{language}")


@pytest.mark.parametrize("language", ["en", "he"])
def test_bob_joins_a_membership_online_with_a_card_that_renews(live_server, page_for, studio, language):
    yoga = studio["plan"].services.get()
    membership_plan([yoga], notice_days=7)
    bob = f.client("Bob", last_name="Durand")
    phone = signed_in_page(page_for, live_server, user_for_client(bob), language, PHONE)
    phone.goto(live_server.url + reverse("public:plan_shop"))
    assert phone.locator(".plan-card").count() == 2
    assert serious_violations(phone) == []
    screenshot(phone, f"plans-online/membership-shop-{language}")

    phone.locator(".plan-card", has_text="Unlimited").locator("a.button").click()
    phone.wait_for_selector(".plan-buy-form")
    assert serious_violations(phone) == []
    screenshot(phone, f"plans-online/membership-buy-{language}")
    phone.locator(".plan-buy-form button[type=submit]").click()
    phone.wait_for_selector(".payment--test")
    phone.check("input[name=saved_card][value=renews]")
    assert serious_violations(phone) == []
    screenshot(phone, f"plans-online/membership-test-page-{language}")
    phone.click("button[value=pay]")
    phone.wait_for_selector(".confirmation__mark")
    assert serious_violations(phone) == []
    screenshot(phone, f"plans-online/membership-paid-{language}")
    membership = ClientPlan.objects.get(client=bob)
    assert (membership.billing, membership.test_card) == (Billing.PROVIDER, "renews")
    assert phone.locator(".confirmation [role=status]").inner_text().strip() != ""

    phone.goto(live_server.url + reverse("my_bookings"))
    assert phone.locator(".my-membership").count() == 1
    assert serious_violations(phone) == []
    screenshot(phone, f"plans-online/membership-my-plans-{language}")
