"""Olivia at the desk (tablet), on Alice's Plans page, in English and Hebrew: a form per kind of
plan, each worded for it, and Alice's pack bought online refunded to her; axe-core on each step,
a screenshot of each."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bookings_app.models import ClientPlan, ServiceKind
from bookings_app.services.plans import save_plan
from tests import factories as f
from tests.support.browser import TABLET, screenshot, serious_violations, signed_in_page
from tests.support.memberships import membership_plan
from tests.support.payments import deliver
from tests.support.plan_sales import order_pack

GIVE = {
    "en": ("Give or sell a pack", "Give or sell a membership", "Start the membership"),
    "he": ("לתת או למכור כרטיסייה", "לתת או למכור מנוי", "הפעלת המנוי"),
}
REFUND = {"en": "Refund to the buyer", "he": "החזר לקונה"}
REFUNDED = {"en": "The pack is refunded to its buyer", "he": "הכרטיסייה הוחזרה לקונה"}


@pytest.fixture
def alice():
    f.business(name="Studio Lumen")
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10, price=Decimal("18"))
    ten = save_plan(
        services=[yoga],
        name="10 classes",
        description="",
        credits=10,
        valid_days=90,
        valid_from="purchase",
        price=Decimal("150.00"),
        currency="EUR",
        one_per_client=False,
        no_show_forfeits=True,
    )
    membership_plan([yoga], name="Twice a week", sessions_per_period=2)
    alice = f.client("Alice", last_name="Martin")
    _order, payment = order_pack(ten, alice)
    assert deliver(payment).code == "fulfilled"
    return alice


@pytest.mark.parametrize("language", ["en", "he"])
def test_olivia_sees_a_form_per_kind_and_refunds_alices_pack_bought_online(
    live_server, page_for, olivia, alice, language
):
    desk = signed_in_page(page_for, live_server, olivia, language, TABLET)
    desk.goto(live_server.url + reverse("dashboard:client_plans", args=[alice.pk]))
    pack_title, membership_title, start = GIVE[language]
    text = desk.locator("#client-plans").inner_text()
    assert pack_title in text and membership_title in text
    assert start in desk.locator(".give-plan-form--membership").inner_text()
    assert desk.locator(".give-plan-form--pack select[name=plan] option").all_inner_texts()[1:] == [
        "10 classes"
    ]
    assert serious_violations(desk) == []
    screenshot(desk, f"desk-client-plans-{language}")

    desk.locator(".sale-refund button").click()
    desk.wait_for_selector(".refund-record--succeeded")
    assert REFUNDED[language] in desk.locator("body").inner_text()
    assert serious_violations(desk) == []
    screenshot(desk, f"desk-client-plans-refunded-{language}")
    assert ClientPlan.objects.get(client=alice).voided_at is not None


MEMBERSHIP_REFUNDED = {"en": "the membership has ended", "he": "והמנוי הסתיים"}


@pytest.mark.parametrize("language", ["en", "he"])
def test_olivia_refunds_the_period_of_alices_membership_bought_online(
    live_server, page_for, olivia, alice, language
):
    from bookings_app.models import MembershipStatus, Plan

    _order, payment = order_pack(Plan.objects.get(name="Twice a week"), alice)
    assert deliver(payment, saved_card="renews").code == "fulfilled"
    desk = signed_in_page(page_for, live_server, olivia, language, TABLET)
    desk.goto(live_server.url + reverse("dashboard:client_plans", args=[alice.pk]))
    offer = desk.locator(".membership .sale-refund")
    assert "89" in offer.inner_text()
    assert serious_violations(desk) == []
    screenshot(desk, f"desk-membership-refund-{language}")

    offer.locator("button").click()
    desk.wait_for_selector(".membership .refund-record--succeeded")
    assert MEMBERSHIP_REFUNDED[language] in desk.locator("body").inner_text()
    assert serious_violations(desk) == []
    screenshot(desk, f"desk-membership-refunded-{language}")
    membership = ClientPlan.objects.get(client=alice, plan__name="Twice a week")
    assert membership.status == MembershipStatus.CANCELLED
