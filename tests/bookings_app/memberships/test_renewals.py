"""Renewals through the test provider on the beat task: paid once per period, declined and tried
again after 1 and 3 days, lapsed after that; a cancelling membership ends instead of renewing."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from bookings_app import tasks
from bookings_app.display.receipts import receipt_context
from bookings_app.models import (
    ClientPlan,
    DomainEvent,
    EventKind,
    MembershipRenewal,
    MembershipStatus,
    OutgoingEmail,
    Payment,
    PaymentLedgerEntry,
    PaymentStatus,
    Receipt,
    RenewalStatus,
)
from bookings_app.selectors.memberships import add_months
from bookings_app.services.membership_renewals import renew_due_memberships
from bookings_app.services.memberships import cancel_membership
from tests.support.memberships import member

DAY = timedelta(days=1)


def ended_membership(plan, client, *, card="renews"):
    """A membership bought 40 days ago: its first month is over, its renewal due."""
    return member(plan, client, now=timezone.now() - 40 * DAY, card=card)


def codes(now):
    return [outcome.code for outcome in renew_due_memberships(now=now)]


def test_the_beat_schedule_runs_the_renewals():
    assert (
        settings.CELERY_BEAT_SCHEDULE["renew-memberships"]["task"] == "bookings_app.tasks.renew_memberships"
    )


def test_the_beat_task_charges_a_due_renewal_once_into_the_ledger(unlimited, alice):
    membership = ended_membership(unlimited, alice)
    old_end = membership.period_end

    assert tasks.renew_memberships() == 1
    assert tasks.renew_memberships() == 0

    membership.refresh_from_db()
    renewal = MembershipRenewal.objects.get()
    assert renewal.status == RenewalStatus.PAID and renewal.period_start == old_end
    assert membership.period_start == old_end and membership.period_end == add_months(old_end)
    assert (
        membership.next_renewal_at == membership.period_end and membership.status == MembershipStatus.ACTIVE
    )
    payment = Payment.objects.get()
    assert (payment.purpose, payment.amount, payment.status) == (
        "membership_renewal",
        Decimal("89.00"),
        PaymentStatus.PAID,
    )
    entry = PaymentLedgerEntry.objects.get()
    assert entry.payment == payment == renewal.payment and entry.kind == "charge" and entry.booking is None
    event = DomainEvent.objects.get(kind=EventKind.MEMBERSHIP_RENEWED)
    assert (
        event.client == alice and event.payload["amount"] == "89.00" and event.payload["plan"] == "Unlimited"
    )
    call_command("check_payments_ledger")
    receipt = Receipt.objects.get()
    assert (receipt.payment, receipt.display_number) == (payment, "R-000001")
    assert receipt_context(receipt)["line"] == "Membership renewal (Unlimited)"
    assert OutgoingEmail.objects.filter(kind="receipt", to=alice.email).count() == 1


def test_a_declined_renewal_stays_active_and_is_tried_after_one_then_three_days_then_lapses(unlimited, alice):
    membership = ended_membership(unlimited, alice, card="declines")
    now = timezone.now()

    assert codes(now) == ["declined"]
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE and membership.next_renewal_at == now + DAY
    assert codes(now + 12 * timedelta(hours=1)) == []  # not before the day is up
    assert codes(now + DAY) == ["declined"]
    membership.refresh_from_db()
    assert membership.next_renewal_at == now + 3 * DAY
    assert codes(now + 3 * DAY) == ["lapsed"]
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.LAPSED and membership.next_renewal_at is None
    assert codes(now + 30 * DAY) == []

    renewal = MembershipRenewal.objects.get()
    assert renewal.status == RenewalStatus.FAILED and renewal.failures == 3
    assert renewal.last_error == "The test card declines renewals."
    assert not Payment.objects.exists() and not PaymentLedgerEntry.objects.exists()
    failed = DomainEvent.objects.filter(kind=EventKind.MEMBERSHIP_RENEWAL_FAILED).order_by("pk")
    assert [(e.payload["attempt"], e.payload["lapsed"]) for e in failed] == [
        (1, False),
        (2, False),
        (3, True),
    ]


def test_a_retry_that_goes_through_renews_the_same_period_once(unlimited, alice):
    membership = ended_membership(unlimited, alice, card="declines")
    now = timezone.now()
    codes(now)
    ClientPlan.objects.filter(pk=membership.pk).update(test_card="renews")

    assert codes(now + DAY) == ["renewed"]

    renewal = MembershipRenewal.objects.get()
    assert renewal.status == RenewalStatus.PAID and renewal.failures == 1
    membership.refresh_from_db()
    assert membership.renewal_failures == 0 and membership.period_start == renewal.period_start
    assert PaymentLedgerEntry.objects.count() == 1


def test_a_cancelling_membership_ends_at_its_period_end_without_a_charge(unlimited, alice):
    membership = ended_membership(unlimited, alice)
    cancel_membership(membership=membership, now=membership.period_end - DAY)

    assert codes(timezone.now()) == ["cancelled"]

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.CANCELLED and membership.next_renewal_at is None
    assert not MembershipRenewal.objects.exists() and not Payment.objects.exists()


def test_a_desk_membership_is_not_charged(unlimited, alice):
    from bookings_app.services.plans import give_plan

    give_plan(plan=unlimited, client=alice, now=timezone.now() - 40 * DAY)
    assert codes(timezone.now()) == []


def test_a_claim_left_by_a_dead_worker_is_taken_again_after_a_while(unlimited, alice):
    membership = ended_membership(unlimited, alice)
    now = timezone.now()
    MembershipRenewal.objects.create(
        client_plan=membership,
        period_start=membership.period_end,
        period_end=add_months(membership.period_end),
        amount=Decimal("89.00"),
        currency="EUR",
        status=RenewalStatus.CHARGING,
        claimed_at=now,
        created_at=now,
    )
    assert codes(now + timedelta(minutes=5)) == ["busy"]
    assert codes(now + timedelta(minutes=20)) == ["renewed"]
    assert PaymentLedgerEntry.objects.count() == 1
