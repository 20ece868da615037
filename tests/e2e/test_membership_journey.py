"""Olivia freezes Alice's membership for two days next week from her tablet; on her phone Alice
sees the freeze under My bookings and cannot book a class in it. Olivia also makes a membership
plan. In English and in Hebrew, with axe-core on each page and a screenshot of each."""

import re
import shutil
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Billing, ClientPlan, Plan, ServiceKind
from bookings_app.services.plans import give_plan, save_plan
from bookings_app.web.accounts import user_for_client
from tests import factories as f
from tests.support.browser import PHONE, TABLET, screenshot, signed_in_page

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # pragma: no cover - requirements-dev.txt installs it
    Axe = None

SHOTS = Path("/tmp/shots-memberships")
FROZEN_NOTE = {"en": "no bookings then", "he": "אין הזמנות בזמן הזה"}
USE_MEMBERSHIP = {"en": "Use my membership “Unlimited”", "he": "שימוש במנוי שלי “Unlimited”"}


def _shot(page, name: str) -> None:
    path = screenshot(page, name)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def _serious(page) -> list[str]:
    if Axe is None:
        pytest.fail("axe-playwright-python is missing: pip install -r requirements-dev.txt")
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']}: {' '.join(n['target'])}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
        for n in v["nodes"]
    ]


@pytest.fixture
def studio():
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10, price=Decimal("18"))
    monday = f.next_weekday(0)
    tuesday_class = f.session(yoga, nina, f.local(monday + timedelta(days=1), "18:00"))
    unlimited = save_plan(
        services=[yoga],
        kind="membership",
        name="Unlimited",
        description="",
        price=Decimal("89.00"),
        currency="EUR",
        sessions_per_period=None,
        period="week",
        notice_days=14,
    )
    alice = f.client("Alice", last_name="Martin")
    membership = give_plan(
        plan=unlimited, client=alice, billing=Billing.PROVIDER, provider="test", test_card="renews"
    )
    return {"alice": alice, "membership": membership, "monday": monday, "class": tuesday_class}


@pytest.mark.parametrize("language", ["en", "he"])
def test_olivia_freezes_a_membership_and_alice_sees_it(live_server, page_for, olivia, studio, language):
    alice, membership, monday = studio["alice"], studio["membership"], studio["monday"]
    end = membership.period_end
    phone = signed_in_page(page_for, live_server, user_for_client(alice), language, PHONE)
    phone.goto(live_server.url + reverse("public:book_session", args=["yoga", studio["class"].pk]))
    assert phone.get_by_label(USE_MEMBERSHIP[language]).is_checked()
    _shot(phone, f"membership-book-with-it-{language}")

    desk = signed_in_page(page_for, live_server, olivia, language, TABLET)
    desk.goto(live_server.url + reverse("dashboard:client_plans", args=[alice.pk]))
    prefix = f"m{membership.pk}-freeze"
    desk.fill(f"input[name={prefix}-starts_on]", monday.isoformat())
    desk.fill(f"input[name={prefix}-ends_on]", (monday + timedelta(days=1)).isoformat())
    assert _serious(desk) == []
    _shot(desk, f"membership-desk-freeze-{language}")
    desk.locator(f"form[action$='/{membership.pk}/freeze/'] button[type=submit]").click()
    desk.wait_for_selector(".membership h4 >> nth=1")
    membership.refresh_from_db()
    assert membership.period_end == end + timedelta(days=2)
    assert membership.freezes.count() == 1
    assert _serious(desk) == []
    _shot(desk, f"membership-desk-frozen-{language}")

    phone.goto(live_server.url + reverse("my_bookings"))
    card = phone.locator(".my-membership")
    assert FROZEN_NOTE[language] in card.inner_text()
    assert _serious(phone) == []
    _shot(phone, f"membership-my-bookings-{language}")

    phone.goto(live_server.url + reverse("public:book_session", args=["yoga", studio["class"].pk]))
    assert phone.get_by_label(USE_MEMBERSHIP[language]).count() == 0
    assert timezone.now() < membership.period_end


@pytest.mark.parametrize("language", ["en", "he"])
def test_olivia_creates_a_membership_plan(live_server, page_for, olivia, language):
    f.business()
    f.service("Pilates", kind=ServiceKind.CLASS, capacity=8)
    page = signed_in_page(page_for, live_server, olivia, language, TABLET)
    page.goto(live_server.url + reverse("dashboard:plan_new") + "?kind=membership")
    page.fill("input[name=name]", "Twice a week")
    page.get_by_label("Pilates").check()
    page.fill("input[name=sessions_per_period]", "2")
    page.fill("input[name=price]", "59")
    assert _serious(page) == []
    _shot(page, f"membership-plan-new-{language}")
    page.locator(".plan-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/plans/$"))
    assert Plan.objects.get().kind == "membership"
    assert _serious(page) == []
    _shot(page, f"membership-plan-list-{language}")
    assert not ClientPlan.objects.exists()
