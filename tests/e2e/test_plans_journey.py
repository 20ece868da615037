"""Olivia gives Alice a 10-class pack at the desk (tablet); on her phone Alice books a yoga class
with it, sees it under My bookings, cancels in time and gets the credit back. In English and in
Hebrew, with axe-core on each page and a screenshot of each."""

import re
import shutil
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Booking, BookingStatus, ClientPlan, ServiceKind
from bookings_app.services.plans import save_plan
from bookings_app.web.accounts import user_for_client
from tests import factories as f
from tests.support.browser import PHONE, TABLET, screenshot, serious_violations, signed_in_page

SHOTS = Path("/tmp/shots-plans")
USE_PACK = {
    "en": "Use my pack “10 classes” — 10 credits left",
    "he": "להשתמש בכרטיסייה שלי „10 classes” — נשארו 10 קרדיטים",
}


def _shot(page, name: str) -> None:
    path = screenshot(page, name)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


@pytest.fixture
def studio():
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10, price=Decimal("18"))
    session = f.session(yoga, nina, timezone.now() + timedelta(days=3))
    save_plan(
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
    alice = f.client("Alice", last_name="Martin")
    return {"session": session, "alice": alice}


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_pack_given_at_the_desk_books_a_class_and_comes_back_on_cancellation(
    live_server, page_for, olivia, studio, language
):
    alice = studio["alice"]
    desk = signed_in_page(page_for, live_server, olivia, language, TABLET)
    desk.goto(live_server.url + reverse("dashboard:client_plans", args=[alice.pk]))
    desk.select_option("select[name=plan]", label="10 classes")
    assert serious_violations(desk) == []
    _shot(desk, f"plans-desk-give-{language}")
    desk.locator(".give-plan-form button[type=submit]").click()
    desk.wait_for_selector("text=10 / 10")
    _shot(desk, f"plans-desk-given-{language}")
    pack = ClientPlan.objects.get(client=alice)

    phone = signed_in_page(page_for, live_server, user_for_client(alice), language, PHONE)
    phone.goto(live_server.url + reverse("public:book_session", args=["yoga", studio["session"].pk]))
    choice = phone.get_by_label(USE_PACK[language])
    assert choice.is_checked()
    assert serious_violations(phone) == []
    _shot(phone, f"plans-book-with-pack-{language}")
    phone.locator(".booking-form button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/booked/"))
    booking = Booking.objects.get(client=alice)
    assert booking.status == BookingStatus.CONFIRMED
    pack.refresh_from_db()
    assert pack.credits_left == 9

    phone.goto(live_server.url + reverse("my_bookings"))
    assert "9" in phone.locator(".my-plan").inner_text()
    assert serious_violations(phone) == []
    _shot(phone, f"plans-my-bookings-{language}")

    phone.goto(live_server.url + reverse("public:cancel", args=[_manage_token(booking)]))
    phone.locator("form button[type=submit].button--danger").click()
    phone.wait_for_url(re.compile(r"/manage/[^/]+/$"))
    _shot(phone, f"plans-cancelled-{language}")
    pack.refresh_from_db()
    assert pack.credits_left == 10
    desk.goto(live_server.url + reverse("dashboard:client_plans", args=[alice.pk]))
    assert desk.locator("text=10 / 10").count() == 1
    assert serious_violations(desk) == []
    _shot(desk, f"plans-desk-history-{language}")


def _manage_token(booking) -> str:
    from bookings_app.web import links

    return links.manage_token(booking)


@pytest.mark.parametrize("language", ["en", "he"])
def test_olivia_creates_a_pack_and_finds_it_in_the_list(live_server, page_for, olivia, language):
    f.business()
    f.service("Pilates", kind=ServiceKind.CLASS, capacity=8)
    page = signed_in_page(page_for, live_server, olivia, language, TABLET)
    page.goto(live_server.url + reverse("dashboard:plan_new"))
    page.fill("input[name=name]", "Intro: 3 classes")
    page.get_by_label("Pilates").check()
    page.fill("input[name=credits]", "3")
    page.fill("input[name=price]", "36")
    assert serious_violations(page) == []
    _shot(page, f"plans-new-{language}")
    page.locator(".plan-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/plans/$"))
    assert page.locator("table").get_by_text("Intro: 3 classes").count() == 1
    assert serious_violations(page) == []
    _shot(page, f"plans-list-{language}")
