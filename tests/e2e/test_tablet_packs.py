"""In Chromium on a tablet, in English and Hebrew: a row paid with a pack shows the pack and its
credits left, and Sam seats a walk-in with her pack; axe-core on each step, a screenshot of each."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.models import Attendance, Booking, ClientPlan, PaymentMethod, ServiceKind
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.plans import give_plan, save_plan, use_credit
from tests import factories as f
from tests.support.browser import TABLET, screenshot, serious_violations, signed_in_page

LEFT = {"en": "6 left", "he": "נותרו 6"}
USE = {"en": "Use the pack", "he": "שימוש בכרטיסייה"}


@pytest.fixture
def yoga_today(sam):
    """Sam's yoga class later today: Bob booked with his pack (6 left after it); Dana has a pack."""
    f.business(name="Studio Lumen")
    member = f.staff_member("Sam")
    member.user = sam
    member.save()
    yoga = f.service("Yoga Flow", kind=ServiceKind.CLASS, staff=[member], capacity=8, price=Decimal("20"))
    session = f.session(yoga, member, f.later_today(30))
    ten = save_plan(
        services=[yoga],
        name="10 classes",
        description="",
        credits=10,
        valid_days=90,
        valid_from="purchase",
        price=Decimal("150"),
        currency="EUR",
        one_per_client=False,
        no_show_forfeits=True,
    )
    bob = f.client("Bob", last_name="Stone")
    bobs = give_plan(plan=ten, client=bob)
    ClientPlan.objects.filter(pk=bobs.pk).update(credits_used=3)
    book_and_pay(
        book=lambda: book_class_seat(
            session=session, details=ClientDetails(email=bob.email, first_name="Bob", last_name="Stone")
        ),
        pay=lambda bookings: use_credit(client_plan_id=bobs.pk, bookings=bookings),
    )
    dana = f.client("Dana", last_name="Levi")
    give_plan(plan=ten, client=dana)
    return session


@pytest.mark.parametrize("language", ["en", "he"])
def test_sam_sees_the_pack_on_a_row_and_seats_a_walk_in_with_her_pack(
    live_server, page_for, sam, yoga_today, language
):
    page = signed_in_page(page_for, live_server, sam, language, viewport=TABLET)
    page.goto(f"{live_server.url}/staff/")
    badge = page.locator(".roster-row .badge--plan")
    assert LEFT[language] in badge.inner_text() and "10 classes" in badge.inner_text()
    assert serious_violations(page) == []
    screenshot(page, f"tablet-pack-row-{language}")

    page.click(".walk-in__open")
    page.wait_for_selector(".walk-in-form:not(.htmx-added)")
    page.locator(".walk-in-form input[type=search]").press_sequentially("Dana", delay=30)
    page.wait_for_selector(".client-result--pack")
    assert USE[language] in page.locator(".client-result--pack").inner_text()
    assert serious_violations(page) == []
    screenshot(page, f"tablet-walk-in-pack-{language}")

    page.click(".client-result--pack")
    page.wait_for_selector(".roster-row:has-text('Dana Levi').roster-row--checked_in")
    assert page.locator(".roster-row:has-text('Dana Levi') .badge--plan").count() == 1
    assert serious_violations(page) == []
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    screenshot(page, f"tablet-walk-in-pack-done-{language}")
    dana = Booking.objects.get(client__first_name="Dana")
    assert (dana.attendance, dana.payment_method) == (Attendance.CHECKED_IN, PaymentMethod.PLAN)
    assert timezone.localdate(dana.session.start) is not None


MEMBERSHIP = {"en": "Use the membership", "he": "שימוש במנוי"}
WEEK_LEFT = {"en": "1 of 2 left this week", "he": "נותרה 1 מתוך 2 השבוע"}
WEEK_USED = {"en": "2 of 2 this week", "he": "2 מתוך 2 השבוע"}


@pytest.fixture
def members_yoga(sam):
    """Sam's yoga class later today; Eli's "Twice a week" membership paid for one class this week."""
    from bookings_app.services.walk_ins import add_walk_in
    from tests.support.memberships import member, membership_plan

    f.business(name="Studio Lumen")
    staff = f.staff_member("Sam")
    staff.user = sam
    staff.save()
    nina = f.staff_member("Nina")
    yoga = f.service(
        "Yoga Flow", kind=ServiceKind.CLASS, staff=[staff, nina], capacity=8, price=Decimal("20")
    )
    session = f.session(yoga, staff, f.later_today(30))
    # Nina's class, five minutes earlier: a session of Sam's would overlap his (PostgreSQL refuses).
    earlier = f.session(yoga, nina, session.start - timedelta(minutes=5))
    eli = f.client("Eli", last_name="Cohen")
    membership = member(
        membership_plan([yoga], name="Twice a week", sessions_per_period=2), eli, now=timezone.now()
    )
    add_walk_in(session=earlier, client=eli, client_plan_id=membership.pk, by=sam)
    return session


@pytest.mark.parametrize("language", ["en", "he"])
def test_sam_seats_a_walk_in_with_her_membership_and_sees_the_weeks_count(
    live_server, page_for, sam, members_yoga, language
):
    page = signed_in_page(page_for, live_server, sam, language, viewport=TABLET)
    page.goto(f"{live_server.url}/staff/")
    card = page.locator(f"#session-{members_yoga.pk}")
    card.locator(".walk-in__open").click()
    page.wait_for_selector(".walk-in-form:not(.htmx-added)")
    page.locator(".walk-in-form input[type=search]").press_sequentially("Eli", delay=30)
    page.wait_for_selector(".client-result--membership")
    offer = page.locator(".client-result--membership").inner_text()
    assert MEMBERSHIP[language] in offer and WEEK_LEFT[language] in offer
    assert serious_violations(page) == []
    screenshot(page, f"tablet-walk-in-membership-{language}")

    page.click(".client-result--membership")
    row = card.locator(".roster-row:has-text('Eli Cohen').roster-row--checked_in")
    row.wait_for()
    assert WEEK_USED[language] in row.locator(".badge--plan").inner_text()
    assert serious_violations(page) == []
    screenshot(page, f"tablet-walk-in-membership-done-{language}")
    eli = Booking.objects.get(client__first_name="Eli", session=members_yoga)
    assert (eli.attendance, eli.payment_method) == (Attendance.CHECKED_IN, PaymentMethod.PLAN)


HELD_BACK = {"en": "cannot be used", "he": "אי אפשר להשתמש במנוי"}
FROZEN = {"en": "Frozen on that day", "he": "מוקפא ביום הזה"}


@pytest.mark.parametrize("language", ["en", "he"])
def test_sam_is_told_why_a_frozen_membership_is_not_offered(
    live_server, page_for, sam, members_yoga, language
):
    from bookings_app.models import ClientPlan
    from bookings_app.services.memberships import freeze_membership

    now = timezone.now()
    freeze_membership(
        membership=ClientPlan.objects.get(client__first_name="Eli"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=2),
        now=now,
    )
    page = signed_in_page(page_for, live_server, sam, language, viewport=TABLET)
    page.goto(f"{live_server.url}/staff/")
    page.locator(f"#session-{members_yoga.pk} .walk-in__open").click()
    page.wait_for_selector(".walk-in-form:not(.htmx-added)")
    page.locator(".walk-in-form input[type=search]").press_sequentially("Eli", delay=30)
    said = page.locator(".client-result--held-back")
    said.wait_for()
    assert HELD_BACK[language] in said.inner_text() and FROZEN[language] in said.inner_text()
    assert page.locator(".client-result--membership").count() == 0
    assert serious_violations(page) == []
    screenshot(page, f"tablet-walk-in-membership-frozen-{language}")
