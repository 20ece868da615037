"""In Chromium: Olivia builds "first check-in → 2 hours → e-mail" in the builder, activates it,
Sam checks Alice in on the tablet, and once the two hours have passed the run and its e-mail
show in the automation's run log. Also the pictures of every automations page, in en and he."""

from datetime import timedelta

import pytest
from django.utils import timezone

from automations import services, tasks
from automations.models import Automation, Run, RunStatus
from bookings_app.models import Attendance, Booking, DomainEvent, EventKind, OutgoingEmail, ServiceKind
from bookings_app.services.changes import record_attendance
from tests import factories
from tests.automations.builders import automation, email_client
from tests.support.browser import DESKTOP, TABLET, screenshot


@pytest.fixture
def yoga_now(sam):
    """Sam's yoga class, running now, with Alice booked (never checked in before)."""
    business = factories.business(name="Studio Lumen")
    member = factories.staff_member("Sam")
    member.user = sam
    member.save()
    yoga = factories.service("Yoga Flow", kind=ServiceKind.CLASS, staff=[member], capacity=8)
    now = timezone.now()
    today = timezone.localdate(now, timezone=business.tz)
    start = max(now - timedelta(minutes=10), factories.local(today, "00:05", business.time_zone))
    session = factories.session(yoga, member, start)
    factories.booking(session, factories.client("Alice", last_name="Martin", email="alice@client.test"))
    return session


def _sign_in(page, base_url: str, person, *, landing: str) -> None:
    page.goto(f"{base_url}/dashboard/login/")
    page.fill("#id_username", person.email)
    page.fill("#id_password", "s3cret-pass!")
    page.click("button[type=submit].button--primary")
    page.wait_for_url(f"{base_url}{landing}")


def _settled(page) -> None:
    """Every HTMX request answered (the builder's and the e-mail preview's). Not "networkidle":
    the preview's sandboxed frame may keep a request open for as long as it likes."""
    page.wait_for_selector("#builder:not(.htmx-request)")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def _build_first_visit_email(page) -> None:
    """Each step re-renders the builder: wait for it before the next, as a person would look."""
    page.fill("#id_name", "Welcome newcomers")
    page.select_option("#id_app", "bookings")
    _settled(page)
    page.select_option("#id_trigger", "first_check_in")
    _settled(page)
    page.click("button[value=add_delay]")
    _settled(page)
    page.fill("#id_delay_amount", "2")
    page.select_option("#id_delay_unit", "hours")
    _settled(page)
    page.click("button[value=add_action]")
    _settled(page)
    page.select_option("#a-0-kind", "email_client")
    _settled(page)
    page.fill("#a-0-subject", "Welcome, ")
    page.click("details.variables summary")
    _settled(page)
    page.click("button[data-insert='{client_first_name}']")
    _settled(page)
    page.fill("#a-0-body", "So glad you came to {business_name}.")
    _settled(page)


def test_olivia_builds_activates_and_sees_the_run_and_its_email(live_server, page_for, olivia, sam, yoga_now):
    owner = page_for(viewport=DESKTOP)
    _sign_in(owner, live_server.url, olivia, landing="/dashboard/")
    owner.goto(f"{live_server.url}/dashboard/automations/new/")
    owner.click("text=Start from scratch")
    owner.wait_for_selector("#builder")
    owner.evaluate("window.stillTheSamePage = true")

    owner.click("button[value=activate]")  # nothing chosen yet: refused, the missing parts named
    owner.wait_for_selector(".form-error")
    assert not Automation.objects.exists()

    _build_first_visit_email(owner)
    assert owner.evaluate("window.stillTheSamePage") is True, "the builder never reloaded"
    assert "wait 2 hours" in owner.inner_text(".builder__sentence")
    screenshot(owner, "h1/builder-built-en")
    owner.click("button[value=activate]")
    owner.wait_for_selector(".automation-sentence")
    automation_ = Automation.objects.get()
    assert (
        automation_.is_active
        and automation_.actions.get().settings["subject"] == "Welcome, {client_first_name}"
    )
    assert (
        "When a client is checked in for the first time, wait 2 hours, then e-mail the client"
        in owner.inner_text(".automation-sentence")
    )

    tablet = page_for(viewport=TABLET)
    _sign_in(tablet, live_server.url, sam, landing="/staff/")
    alice = Booking.objects.get(client__first_name="Alice")
    tablet.click(f"#booking-{alice.pk} .roster-row__check-in")
    tablet.wait_for_selector(f"#booking-{alice.pk}.roster-row--checked_in")

    # What the Celery worker would do, with the real task functions called in-process.
    checked_in_event = DomainEvent.objects.get(kind=EventKind.CHECKED_IN)
    tasks.process_event(checked_in_event.pk)
    run = Run.objects.get(automation=automation_)
    assert run.status == RunStatus.SCHEDULED and run.due_at > timezone.now() + timedelta(hours=1)
    Run.objects.filter(pk=run.pk).update(due_at=timezone.now() - timedelta(minutes=1))  # two hours later
    assert tasks.execute_run(run.pk) == RunStatus.DONE

    owner.reload()
    row = owner.locator(f"tr[data-run='{run.pk}']")
    assert "Alice Martin" in row.inner_text()
    assert "E-mail to alice@client.test" in row.inner_text()
    email = OutgoingEmail.objects.get(kind="automation")
    assert email.subject == "Welcome, Alice"
    assert "Sent e-mail: Welcome, Alice" in row.inner_text()
    screenshot(owner, "h1/summary-after-run-en")


@pytest.fixture
def studio_with_automations(olivia, sam, yoga_now):
    automation(
        "first_check_in",
        name="Welcome newcomers",
        delay_amount=2,
        delay_unit="hours",
        actions=[email_client(subject="Welcome!")],
    )
    automation(
        "client_cancels",
        name="Call after two cancellations",
        is_active=False,
        conditions=[[{"field": "cancellations", "operator": "eq", "value": 2}]],
        actions=[{"kind": "create_task", "settings": {"title": "Call {client_name}"}}],
    )
    booking = yoga_now.bookings.get()
    record_attendance(booking=booking, attendance=Attendance.CHECKED_IN, by=None)
    alice = booking.client
    services.create_task(title="Call Alice Martin", client=alice, assignee=sam, notes="She cancelled twice.")
    services.complete_task(task=services.create_task(title="Order new mats"))
    return Automation.objects.get(name="Welcome newcomers")


@pytest.mark.parametrize("language", ["en", "he"])
def test_every_automations_page_in_english_and_hebrew(
    live_server, page_for, olivia, studio_with_automations, language
):
    page = page_for(viewport=TABLET, language=language)
    _sign_in(page, live_server.url, olivia, landing="/dashboard/")
    base = live_server.url
    pk = studio_with_automations.pk
    for name, path in (
        ("list", "/dashboard/automations/"),
        ("gallery", "/dashboard/automations/new/"),
        ("builder", "/dashboard/automations/new/build/?template=fifth_visit_gift"),
        ("builder-condition", "/dashboard/automations/new/build/?template=call_after_two_cancellations"),
        ("summary", f"/dashboard/automations/{pk}/"),
        ("tasks", "/dashboard/tasks/"),
    ):
        page.goto(base + path)
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
        screenshot(page, f"h1/{name}-{language}")

    page.goto(f"{base}/dashboard/automations/{pk}/")
    page.click("#try-title + form button[type=submit]")
    page.wait_for_selector(".verdict")
    assert "Alice Martin" in page.inner_text(".verdict")
    screenshot(page, f"h1/what-would-happen-{language}")

    page.goto(base + "/dashboard/automations/")
    page.click("details.menu >> nth=0")
    screenshot(page, f"h1/list-menu-{language}")
    switch = page.locator("button.switch").nth(0)
    before = switch.get_attribute("aria-checked")
    switch.click()
    page.wait_for_selector(f"button.switch[aria-checked='{'false' if before == 'true' else 'true'}']")

    page.goto(base + "/dashboard/tasks/")
    page.click("button.tick")
    page.wait_for_selector("button.tick[aria-checked='true']")
