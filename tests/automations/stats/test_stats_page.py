"""The statistics page of an automation: totals, rates, each message, the chart; owner only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from automations.drafts import Draft
from automations.email_tracking import record_click, record_open, record_tracking
from automations.models import AutomationMessage, Tracking
from automations.services import update_automation
from bookings_app.mail.delivery import send_email_now
from bookings_app.models import OutgoingEmail

from ..builders import automation, book, email_client

pytestmark = pytest.mark.urls("tests.automations.urls")


def stats_url(automation_) -> str:
    return reverse("automations_dashboard:stats", args=[automation_.pk])


@pytest.fixture
def two_messages(worker, massage, alice, bob):
    """A two-message automation run for Alice; both e-mails sent."""
    welcome = automation(
        "client_books",
        name="Welcome series",
        actions=[
            email_client("Welcome {client_first_name}", "Hello https://studio.test/first"),
            email_client("Your visit", "See https://studio.test/second"),
        ],
    )
    book(massage)
    worker.deliver()
    for email in OutgoingEmail.objects.filter(kind="automation"):
        send_email_now(email_id=email.pk)
    return welcome


def message_at(automation_, position: int) -> AutomationMessage:
    return AutomationMessage.objects.get(automation=automation_, position=position)


def test_it_counts_each_message_once_per_state_with_rates(client, olivia, two_messages):
    first, second = message_at(two_messages, 1), message_at(two_messages, 2)
    record_tracking(message=first, kind=Tracking.DELIVERED)
    record_open(message=first)
    record_open(message=first)
    record_click(message=first)
    record_tracking(message=second, kind=Tracking.BOUNCED)
    client.force_login(olivia)

    response = client.get(stats_url(two_messages))

    assert response.status_code == 200
    totals, (one, two) = response.context["stats"].totals, response.context["stats"].messages
    assert (totals.sent, totals.delivered, totals.opened, totals.clicked) == (2, 1, 1, 1)
    assert (totals.bounced, totals.complained) == (1, 0)
    assert (one.subject, one.opened, one.rate("opened")) == ("Welcome {client_first_name}", 1, 1.0)
    assert (two.bounced, two.rate("opened")) == (1, 0.0)
    page = response.content.decode()
    assert "50%" in page and "Welcome {client_first_name}" in page


def test_the_counts_follow_each_e_mail_when_the_owner_reorders_or_removes_actions(
    client, olivia, two_messages
):
    record_open(message=message_at(two_messages, 1))  # "Welcome …" was opened, "Your visit" not
    welcome, visit = Draft.from_automation(two_messages).actions
    update_automation(automation=two_messages, actions=[visit, welcome])
    client.force_login(olivia)

    one, two = client.get(stats_url(two_messages)).context["stats"].messages

    assert (one.place, one.subject, one.opened) == (1, "Your visit", 0)
    assert (two.place, two.subject, two.opened) == (2, "Welcome {client_first_name}", 1)

    update_automation(automation=two_messages, actions=[visit])
    response = client.get(stats_url(two_messages))

    kept, removed = response.context["stats"].messages
    assert (kept.place, kept.subject, removed.place, removed.opened) == (1, "Your visit", None, 1)
    assert "An e-mail no longer in this automation" in response.content.decode()


def test_the_chart_shows_sent_and_opened_on_the_day(client, olivia, two_messages):
    record_open(message=message_at(two_messages, 1))
    client.force_login(olivia)

    days = client.get(stats_url(two_messages)).context["stats"].days

    assert len(days) == 30
    assert (days[-1].sent, days[-1].opened, days[-1].clicked) == (2, 1, 0)
    assert sum(day.sent for day in days[:-1]) == 0


def test_the_longer_period_counts_older_messages(client, olivia, two_messages):
    AutomationMessage.objects.filter(position=2).update(created_at=timezone.now() - timedelta(days=60))
    client.force_login(olivia)

    short = client.get(stats_url(two_messages)).context["stats"].totals
    longer = client.get(stats_url(two_messages) + "?days=90").context["stats"]

    assert (short.sent, longer.totals.sent, len(longer.days)) == (1, 2, 90)


def test_an_automation_without_emails_sent_shows_no_rates(client, olivia, massage):
    quiet = automation("client_books", name="Quiet")
    client.force_login(olivia)

    response = client.get(stats_url(quiet) + "?days=oops")

    assert response.status_code == 200
    assert response.context["days"] == 30
    assert response.context["stats"].totals.rate("opened") is None
    assert "No e-mails in this period." in response.content.decode()


def test_the_page_reads_a_fixed_number_of_queries(
    client, olivia, two_messages, django_assert_max_num_queries
):
    client.force_login(olivia)
    client.get(stats_url(two_messages))

    with django_assert_max_num_queries(14):
        client.get(stats_url(two_messages))


def test_only_the_owner_sees_the_statistics(client, sam, carla, olivia, two_messages):
    url = stats_url(two_messages)

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(carla)
    assert client.get(url).status_code == 403
    client.force_login(sam)
    assert client.get(url).status_code == 403
    client.force_login(olivia)
    assert client.get(url).status_code == 200
    assert client.get(stats_url(two_messages).replace(str(two_messages.pk), "999999")).status_code == 404
