"""The plans' triggers ("a client's plan expires in X days", "a client uses the last credit of a
pack"), the condition "client's active plans" and the plan variables."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from automations.models import Run, RunStatus
from bookings_app.models import ClientPlan, DomainEvent, EventKind, OutgoingEmail
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.plans import give_plan, save_plan, use_credit
from tests import factories as f

from .builders import automation, email_client

ALICE = ClientDetails(email="alice@client.test", first_name="Alice")
SECOND = timedelta(seconds=1)


@pytest.fixture
def ten_classes(yoga):
    return save_plan(
        services=[yoga],
        name="10 classes",
        description="",
        credits=10,
        valid_days=30,
        valid_from="purchase",
        price=Decimal("150.00"),
        currency="EUR",
        one_per_client=False,
        no_show_forfeits=True,
    )


@pytest.fixture
def alices_pack(ten_classes, alice):
    return give_plan(plan=ten_classes, client=alice)


def subjects() -> list[str]:
    return list(
        OutgoingEmail.objects.filter(kind="automation").order_by("pk").values_list("subject", flat=True)
    )


def book_with(pack, session):
    return book_and_pay(
        book=lambda: book_class_seat(session=session, details=ALICE),
        pay=lambda bookings: use_credit(client_plan_id=pack.pk, bookings=bookings),
    )


def test_it_tells_a_client_once_7_days_before_their_pack_ends(worker, alices_pack):
    automation(
        "plan_expires",
        trigger_params={"days": 7},
        actions=[email_client("{plan_name}: {plan_credits_left} left until {plan_valid_until}")],
    )
    moment = alices_pack.valid_until - timedelta(days=7)

    assert worker.scan() == 0  # 30 days ahead: not yet
    assert worker.scan(now=moment - timedelta(minutes=5)) == 1
    assert worker.scan(now=moment + timedelta(days=1)) == 0, "once per client plan"
    [run] = Run.objects.all()
    assert (run.client, run.due_at) == (alices_pack.client, moment)
    worker.run_due(now=moment - SECOND)
    assert subjects() == []
    worker.run_due(now=moment + SECOND)
    [subject] = subjects()
    assert subject.startswith("10 classes: 10 left until ")


def test_a_pack_used_up_or_ended_is_not_told(worker, alices_pack, ten_classes, bob):
    automation("plan_expires", trigger_params={"days": 7})
    ClientPlan.objects.filter(pk=alices_pack.pk).update(credits_used=10)
    ended = give_plan(plan=ten_classes, client=bob)
    ClientPlan.objects.filter(pk=ended.pk).update(valid_until=timezone.now() - timedelta(days=1))
    assert worker.scan(now=alices_pack.valid_until - timedelta(days=3)) == 0


def test_a_pack_used_up_after_the_run_was_made_is_skipped_with_the_reason(worker, alices_pack):
    automation("plan_expires", trigger_params={"days": 7})
    moment = alices_pack.valid_until - timedelta(days=7)
    worker.scan(now=moment - timedelta(minutes=5))
    ClientPlan.objects.filter(pk=alices_pack.pk).update(credits_used=10)
    worker.run_due(now=moment + SECOND)
    run = Run.objects.get()
    assert run.status == RunStatus.SKIPPED and subjects() == []


def test_a_pack_valid_from_first_use_is_told_only_once_it_has_an_end(worker, ten_classes, alice):
    ten_classes.valid_from = "first_use"
    ten_classes.save()
    give_plan(plan=ten_classes, client=alice)
    automation("plan_expires", trigger_params={"days": 7})
    assert worker.scan(now=timezone.now() + timedelta(days=40)) == 0


def test_the_last_credit_makes_one_event_and_one_run(worker, yoga, nina, alices_pack):
    ClientPlan.objects.filter(pk=alices_pack.pk).update(credits_used=8)
    automation(
        "plan_credits_used_up",
        actions=[email_client("{plan_name} used up ({plan_credits_left} left) after {service_name}")],
    )
    sessions = [f.session(yoga, nina, f.local(f.next_weekday(d), "18:00")) for d in (1, 2)]
    book_with(alices_pack, sessions[0])
    assert not DomainEvent.objects.filter(kind=EventKind.PLAN_CREDITS_USED_UP).exists()
    booking = book_with(alices_pack, sessions[1])

    [run] = worker.deliver()

    event = DomainEvent.objects.get(kind=EventKind.PLAN_CREDITS_USED_UP)
    assert event.booking_id == booking.pk and event.payload["client_plan_id"] == alices_pack.pk
    assert run.status == RunStatus.DONE
    assert subjects() == ["10 classes used up (0 left) after Yoga"]


@pytest.mark.parametrize(
    ("operator", "value", "has_pack", "status"),
    [
        ("has", "any", True, RunStatus.DONE),
        ("has", "pack", True, RunStatus.DONE),
        ("has", "pack", False, RunStatus.SKIPPED),
        ("has_not", "any", False, RunStatus.DONE),
        ("has_not", "any", True, RunStatus.SKIPPED),
    ],
)
def test_the_condition_reads_the_clients_active_plans(
    worker, yoga, nina, ten_classes, operator, value, has_pack, status
):
    automation(
        "client_books",
        conditions=[[{"field": "active_plan", "operator": operator, "value": value}]],
    )
    session = f.session(yoga, nina, f.local(f.next_weekday(3), "18:00"))
    book_class_seat(session=session, details=ALICE)
    if has_pack:
        give_plan(plan=ten_classes, client=session.bookings.get().client)

    (run,) = worker.deliver()

    assert run.status == status


@pytest.mark.parametrize("value", ["membership?", "", 3, None, ["pack"], "x" * 500])
def test_the_condition_refuses_an_unknown_kind(studio, value):
    with pytest.raises(ValidationError):
        automation("client_books", conditions=[[{"field": "active_plan", "operator": "has", "value": value}]])


@pytest.mark.parametrize("days", [0, -3, 366, "x", "1e9", "7 days"])
def test_the_expiry_notice_refuses_bad_days(studio, days):
    with pytest.raises(ValidationError):
        automation("plan_expires", trigger_params={"days": days})


def test_the_plan_variables_are_refused_where_no_plan_is_known(studio):
    with pytest.raises(ValidationError) as refused:
        automation("client_books", actions=[email_client("{plan_credits_left} left")])
    assert "plan_credits_left" in str(refused.value)
