"""Conditions: every operator of every criterion type, groups combined, evaluated when due."""

from datetime import timedelta

import pytest
from django.utils import timezone

from automations.models import Run, RunReason, RunStatus
from bookings_app.models import Label
from bookings_app.services.changes import cancel_booking
from tests import factories as f

from .builders import automation, book, booking_day

NEXT_TUESDAY = booking_day(1)
TODAY = timezone.localdate(timezone.now(), f.local(NEXT_TUESDAY, "10:00").tzinfo)


@pytest.fixture
def regular_alice(yoga, nina, alice):
    """Alice, a VIP with two visits and one cancellation behind her."""
    alice.labels.add(Label.objects.create(name="VIP"))
    for days_ago in (20, 10):
        f.booking(
            f.session(yoga, nina, timezone.now() - timedelta(days=days_ago)),
            alice,
            attendance="checked_in",
            attendance_at=timezone.now() - timedelta(days=days_ago),
        )
    f.booking(f.session(yoga, nina, timezone.now() - timedelta(days=5)), alice, status="cancelled")
    return alice


def outcome(worker, massage, conditions) -> str:
    """Alice books a massage next Tuesday at 10:00; what the automation's run became."""
    automation("client_books", conditions=conditions)
    book(massage)
    [run] = worker.deliver()
    return run.status


DAY = timedelta(days=1)
CASES = [
    # text
    ("client_email", "is", "ALICE@client.test", True),
    ("client_email", "is", "bob@client.test", False),
    ("client_email", "is_not", "bob@client.test", True),
    ("client_email", "is_not", "alice@client.test", False),
    ("client_email", "contains", "@CLIENT", True),
    ("client_email", "contains", "studio", False),
    ("client_email", "starts_with", "alice", True),
    ("client_email", "starts_with", "bob", False),
    ("client_email", "ends_with", "client.test", True),
    ("client_email", "ends_with", ".com", False),
    ("client_first_name", "is_empty", None, False),
    # number
    ("visits", "eq", 2, True),
    ("visits", "eq", 3, False),
    ("visits", "ne", 3, True),
    ("visits", "ne", 2, False),
    ("visits", "gt", 1, True),
    ("visits", "gt", 3, False),
    ("visits", "lt", 3, True),
    ("visits", "lt", 2, False),
    ("cancellations", "eq", 1, True),
    # date
    ("booking_created", "before", (TODAY + DAY).isoformat(), True),
    ("booking_created", "before", TODAY.isoformat(), False),
    ("booking_created", "after", (TODAY - DAY).isoformat(), True),
    ("booking_created", "after", TODAY.isoformat(), False),
    ("booking_created", "on", TODAY.isoformat(), True),
    ("session_start", "on", NEXT_TUESDAY.isoformat(), True),
    ("session_start", "on", TODAY.isoformat(), False),
    ("booking_created", "before", "2024-01-01", False),
    # choice
    ("service", "is", "massage", True),
    ("service", "is", "yoga", False),
    ("service", "is_not", "yoga", True),
    ("service", "is_not", "massage", False),
    ("service", "is_one_of", ["yoga", "massage"], True),
    ("service", "is_one_of", ["yoga"], False),
    ("booking_status", "is", "confirmed", True),
    ("booking_status", "is_one_of", ["cancelled", "declined"], False),
    ("booking_status", "is_not", "cancelled", True),
    ("attendance", "is", "none", True),
    # labels
    ("client_label", "has_label", "VIP", True),
    ("client_label", "has_not_label", "VIP", False),
    # boolean
    ("booking_paid", "is_true", None, False),
    ("booking_paid", "is_false", None, True),
]


@pytest.mark.parametrize(("field", "operator", "value", "holds"), CASES)
def test_every_operator_of_every_criterion(
    worker, massage, yoga, regular_alice, field, operator, value, holds
):
    names = {"massage": massage.pk, "yoga": yoga.pk, "VIP": Label.objects.get(name="VIP").pk}
    value = [names.get(v, v) for v in value] if isinstance(value, list) else names.get(value, value)

    status = outcome(worker, massage, [[{"field": field, "operator": operator, "value": value}]])

    assert status == (RunStatus.DONE if holds else RunStatus.SKIPPED)


def test_it_treats_a_missing_first_name_as_empty(worker, massage, studio):
    f.client("", email="alice@client.test")
    assert (
        outcome(worker, massage, [[{"field": "client_first_name", "operator": "is_empty"}]]) == RunStatus.DONE
    )


def test_any_group_may_hold(worker, massage, regular_alice):
    vip = Label.objects.get(name="VIP").pk
    conditions = [
        [{"field": "visits", "operator": "gt", "value": 5}],
        [{"field": "client_label", "operator": "has_label", "value": vip}],
    ]
    assert outcome(worker, massage, conditions) == RunStatus.DONE


def test_all_criteria_of_a_group_must_hold_and_the_log_says_which_failed(worker, massage, regular_alice):
    conditions = [
        [
            {"field": "visits", "operator": "gt", "value": 1},
            {"field": "client_email", "operator": "ends_with", "value": "@gmail.com"},
        ]
    ]

    assert outcome(worker, massage, conditions) == RunStatus.SKIPPED

    run = Run.objects.get()
    assert run.reason == RunReason.CONDITION_FALSE
    assert run.detail == "Client's e-mail ends with @gmail.com (it is alice@client.test)"


def test_a_cancelled_booking_no_longer_gets_its_thank_you(worker, massage, alice):
    automation(
        "client_books",
        delay_amount=1,
        delay_unit="days",
        conditions=[[{"field": "booking_status", "operator": "is", "value": "confirmed"}]],
    )
    booking = book(massage)
    [run] = worker.process_events()
    cancel_booking(booking=booking, by_client=False)

    worker.run_due(now=run.due_at)

    run.refresh_from_db()
    assert (run.status, run.reason) == (RunStatus.SKIPPED, RunReason.CONDITION_FALSE)
    assert run.detail == "Booking status is Confirmed (it is Cancelled)"
