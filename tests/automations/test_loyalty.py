"""Automations with the real loyalty app: adding points, the balance in e-mails, and the
"points earned" and "gift card issued" triggers started by loyalty's own services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from automations.execution import execute_run
from automations.models import RunReason, RunStatus
from bookings_app.models import Attendance, DomainEvent, OutgoingEmail
from bookings_app.services.changes import record_attendance
from loyalty.events import GIFT_CARD_ISSUED, POINTS_EARNED
from loyalty.models import EntryKind, LedgerEntry, Program, ServicePoints
from loyalty.selectors import balance_of
from loyalty.services.gift_cards import issue_gift_card
from loyalty.services.points import adjust_points, credit_points_for_ended_sessions
from tests import factories as f

from .builders import automation, book, email_client


@pytest.fixture
def loyalty_on(studio) -> Program:
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True, "credit_delay_hours": 3})
    return Program.current()


def add_points(points: int, description: str = "") -> dict:
    return {"kind": "add_points", "settings": {"points": points, "description": description}}


def automation_subjects() -> list[str]:
    return list(
        OutgoingEmail.objects.filter(kind="automation").order_by("pk").values_list("subject", flat=True)
    )


def test_it_adds_points_to_the_clients_ledger_once(worker, massage, loyalty_on):
    automation("client_books", name="Booking bonus", actions=[add_points(15, "Welcome bonus")])
    booking = book(massage)

    [run] = worker.deliver()

    assert run.status == RunStatus.DONE
    assert balance_of(booking.client) == 15
    [entry] = LedgerEntry.objects.filter(client=booking.client)
    assert (entry.points, entry.kind, entry.description) == (15, EntryKind.AUTOMATION, "Welcome bonus")
    assert execute_run(run_id=run.pk) == ""  # a second delivery adds nothing
    assert balance_of(booking.client) == 15


def test_points_while_the_program_is_off_fail_at_once_with_the_reason(worker, massage, studio):
    automation("client_books", actions=[add_points(5)])
    booking = book(massage)

    [run] = worker.deliver()

    assert (run.status, run.reason, run.detail, run.attempts) == (
        RunStatus.FAILED,
        RunReason.ACTION_FAILED,
        "The loyalty program is switched off.",
        1,
    )
    assert balance_of(booking.client) == 0


def test_the_points_balance_in_an_e_mail_is_the_ledgers(worker, massage, alice, loyalty_on):
    adjust_points(client=alice, points=40, description="Birthday gift", by=None)
    automation("client_books", actions=[email_client(body="You have {points_balance} points.")])
    book(massage)

    worker.deliver()

    assert "You have 40 points." in OutgoingEmail.objects.get(kind="automation").body_text


def test_credited_points_start_the_points_earned_automation(worker, yoga, nina, alice, loyalty_on):
    ServicePoints.objects.create(service=yoga, points=10)
    automation(
        "points_earned", actions=[email_client("You earned {points_earned} points, {client_first_name}")]
    )
    session = f.session(yoga, nina, timezone.now() - timedelta(hours=5))
    record_attendance(
        booking=f.booking(session, alice), attendance=Attendance.CHECKED_IN, by=None, now=session.start
    )

    assert credit_points_for_ended_sessions(now=timezone.now()) == 1
    runs = [run for run in worker.deliver() if run.event.kind == POINTS_EARNED]

    assert [run.status for run in runs] == [RunStatus.DONE]
    assert automation_subjects() == ["You earned 10 points, Alice"]


def test_an_issued_gift_card_starts_the_gift_card_automation(worker, alice, loyalty_on):
    automation("gift_card_issued", actions=[email_client("Your gift card is ready, {client_first_name}")])

    issue_gift_card(value=Decimal("25.00"), client=alice, by=None)
    [run] = worker.deliver()

    assert run.status == RunStatus.DONE
    assert automation_subjects() == ["Your gift card is ready, Alice"]


def test_loyalty_events_have_their_names_in_the_event_log(alice):
    earned = DomainEvent(kind=POINTS_EARNED, occurred_at=timezone.now(), client=alice)
    issued = DomainEvent(kind=GIFT_CARD_ISSUED, occurred_at=timezone.now(), client=alice)

    assert (earned.get_kind_display(), issued.get_kind_display()) == (
        "Loyalty points earned",
        "Gift card issued",
    )
