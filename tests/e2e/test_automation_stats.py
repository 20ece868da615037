"""In Chromium: the owner reads an automation's e-mail statistics and previews its e-mail."""

from datetime import timedelta

import pytest
from django.utils import timezone

from automations.email_tracking import record_click, record_open, record_tracking
from automations.engine import process_event
from automations.execution import execute_run
from automations.models import AutomationMessage, Run, Tracking
from bookings_app.models import DomainEvent, EmailStatus, OutgoingEmail
from bookings_app.services.client_matching import ClientDetails
from tests import factories
from tests.automations.builders import automation, book, email_client
from tests.support.browser import DESKTOP, SCREENSHOTS, TABLET, screenshot, sign_in_to_dashboard


@pytest.fixture
def welcome_series(db):
    """A two-message automation that wrote to twelve clients over three weeks, some opened, some clicked."""
    factories.business(name="Studio Lumen")
    nina = factories.staff_member("Nina", hours={d: [("08:00", "20:00")] for d in range(7)})
    massage = factories.service("Massage", staff=[nina])
    series = automation(
        "client_books",
        name="Welcome series",
        actions=[
            email_client("Welcome {client_first_name}", "Our schedule: https://studio.test/schedule"),
            email_client("How was your first visit?", "Tell us: https://studio.test/review"),
        ],
    )
    for number in range(12):
        book(
            massage,
            ClientDetails(email=f"client{number}@client.test", first_name=f"Client {number}"),
            weekday=number % 7,
            at=f"{8 + number:02d}:00",
        )
    for event_id in DomainEvent.objects.values_list("pk", flat=True):
        process_event(event_id=event_id)
    for run_id in Run.objects.values_list("pk", flat=True):
        execute_run(run_id=run_id)
    now = timezone.now()
    for number, message in enumerate(AutomationMessage.objects.order_by("pk")):
        sent_at = now - timedelta(days=(number * 2) % 21)
        OutgoingEmail.objects.filter(pk=message.email_id).update(status=EmailStatus.SENT, sent_at=sent_at)
        AutomationMessage.objects.filter(pk=message.pk).update(created_at=sent_at)
        record_tracking(message=message, kind=Tracking.DELIVERED, at=sent_at)
        if number % 3 != 2:
            record_open(message=message, at=sent_at + timedelta(hours=2))
        if number % 4 == 0:
            record_click(message=message, at=sent_at + timedelta(hours=3))
        if number == 5:
            record_tracking(message=message, kind=Tracking.BOUNCED, at=sent_at)
    return series


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_reads_the_statistics_and_previews_an_email(
    live_server, page_for, olivia, welcome_series, language
):
    page = page_for(viewport=DESKTOP, language=language)
    sign_in_to_dashboard(page, live_server.url, olivia)

    page.goto(f"{live_server.url}/dashboard/automations/{welcome_series.pk}/stats/")
    assert page.locator(".email-stats__table tbody tr").count() == 2
    assert page.locator("svg.email-chart rect").count() > 10
    screenshot(page, f"h2-automation-stats-{language}")

    page.goto(f"{live_server.url}/dashboard/automations/{welcome_series.pk}/stats/?days=90")
    page.set_viewport_size(TABLET)
    screenshot(page, f"h2-automation-stats-90-tablet-{language}")

    page.goto(f"{live_server.url}/dashboard/automations/{welcome_series.pk}/edit/")
    preview = page.locator("#email-preview-0 iframe")
    preview.wait_for()
    page.frame_locator("#email-preview-0 iframe").get_by_text("Our schedule").wait_for()
    page.locator("#email-preview-0").locator("xpath=../..").screenshot(
        path=str(SCREENSHOTS / f"h2-email-preview-{language}.png")
    )
    page.locator("#email-preview-0").locator("xpath=..").get_by_role("button").nth(1).click()
    page.locator("#email-preview-0 .email-preview__sent").wait_for()
    assert OutgoingEmail.objects.filter(kind="automation_test", to=olivia.email).count() == 1
