"""The summary page's run log and its "what would happen" check, which writes nothing."""

from datetime import timedelta

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from automations.engine import EVENT_CONSUMER
from automations.models import Run, RunStatus
from bookings_app.models import DomainEvent, EventKind
from bookings_app.services.event_outbox import is_unprocessed
from tests import factories as f
from tests.automations.builders import automation, checked_in, email_client


def _summary(owner_client, automation, **params):
    return owner_client.get(reverse("automations_dashboard:summary", args=[automation.pk]), params)


def test_it_shows_each_run_for_whom_and_what_happened(owner_client, welcome, massage, nina, alice, worker):
    checked_in(massage, nina, alice)
    worker.process_events()
    worker.run_due(now=timezone.now() + timedelta(hours=3))

    page = _summary(owner_client, welcome).content.decode()

    assert (
        "When a client is checked in for the first time, wait 2 hours, "
        "then e-mail the client “\u2068Welcome!\u2069”." in page
    )
    assert "Alice Martin" in page
    assert "E-mail to alice" in page


def test_it_says_why_a_run_was_skipped_and_filters_by_status(
    owner_client, studio, massage, nina, alice, bob, worker
):
    picky = automation(
        "check_in", name="Picky", conditions=[[{"field": "visits", "operator": "gt", "value": 1}]]
    )
    checked_in(massage, nina, alice, days_ago=2)
    worker.deliver()
    checked_in(massage, nina, alice)
    worker.deliver()

    skipped = _summary(owner_client, picky, status=RunStatus.SKIPPED)
    done = _summary(owner_client, picky, status=RunStatus.DONE)

    assert skipped.context["page"].paginator.count == 1 and done.context["page"].paginator.count == 1
    assert "Condition false" in skipped.content.decode()
    assert "Number of visits is greater than 1 (it is 1)" in skipped.content.decode()


def test_the_log_is_paginated(owner_client, welcome, yoga, nina, studio, worker):
    big_class = f.session(yoga, nina, timezone.now() - timedelta(hours=1), capacity=40)
    for number in range(30):
        checked_in(yoga, nina, f.client(f"Client{number}"), session=big_class)
    worker.process_events()

    page = _summary(owner_client, welcome)

    assert page.context["page"].paginator.num_pages == 2


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("automations", "bookings_app", "loyalty")
    }


def test_what_would_happen_sends_and_writes_nothing(owner_client, studio, massage, nina, alice):
    first_visit = automation(
        "first_check_in",
        name="Thanks",
        actions=[
            email_client(subject="Thank you {client_first_name}"),
            {"kind": "create_task", "settings": {"title": "Call {client_name}"}},
        ],
    )
    checked_in(massage, nina, alice)
    event = DomainEvent.objects.get(kind=EventKind.CHECKED_IN)
    before = _row_counts()

    response = owner_client.get(
        reverse("automations_dashboard:what_would_happen", args=[first_visit.pk]),
        {"event": event.pk},
        headers={"HX-Request": "true"},
    )

    assert _row_counts() == before
    page = response.content.decode()
    assert "would run at" in page
    assert "Thank you Alice" in page
    assert "Call Alice Martin" in page
    assert is_unprocessed(EVENT_CONSUMER, event.pk)


def test_what_would_happen_says_why_not(owner_client, studio, massage, nina, alice, worker):
    picky = automation(
        "check_in", name="Picky", conditions=[[{"field": "visits", "operator": "gt", "value": 5}]]
    )
    checked_in(massage, nina, alice)
    event = DomainEvent.objects.get(kind=EventKind.CHECKED_IN)
    before = _row_counts()

    page = owner_client.get(
        reverse("automations_dashboard:what_would_happen", args=[picky.pk]), {"event": event.pk}
    ).content.decode()

    assert _row_counts() == before
    assert "would not run" in page and "Number of visits is greater than 5 (it is 1)" in page
    assert not Run.objects.exists()


def test_what_would_happen_offers_recent_events_of_the_trigger(owner_client, welcome, massage, nina, alice):
    checked_in(massage, nina, alice)

    page = _summary(owner_client, welcome)

    assert [event.kind for event in page.context["events"]] == [EventKind.CHECKED_IN]
