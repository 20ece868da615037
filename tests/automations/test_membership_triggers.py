"""The memberships' triggers ("a membership is renewed", "a membership renewal fails"): the beat's
renewals through the test provider start one run per event, e-mailing the client."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from automations.models import RunStatus
from automations.summary import trigger_phrase
from bookings_app.models import Billing, OutgoingEmail
from bookings_app.services.membership_renewals import renew_due_memberships
from bookings_app.services.plans import give_plan, save_plan
from tests import factories as f

from .builders import automation, email_client


def membership(yoga, client, card):
    plan = save_plan(
        services=[yoga],
        kind="membership",
        name="Unlimited",
        description="",
        price=Decimal("89.00"),
        currency="EUR",
        sessions_per_period=None,
        period="week",
        notice_days=0,
    )
    return give_plan(
        plan=plan,
        client=client,
        now=timezone.now() - timedelta(days=40),
        billing=Billing.PROVIDER,
        provider="test",
        test_card=card,
    )


def test_a_renewal_and_a_failed_one_each_start_their_automation(worker, yoga, alice):
    automation("membership_renewed", actions=[email_client("Renewed, {client_first_name}")])
    automation("membership_renewal_failed", actions=[email_client("Renewal failed, {client_first_name}")])
    membership(yoga, alice, "renews")
    membership(yoga, f.client("Bob"), "declines")
    now = timezone.now()
    renew_due_memberships(now=now)
    renew_due_memberships(now=now)

    runs = worker.deliver()

    assert sorted(run.automation.trigger for run in runs) == [
        "membership_renewal_failed",
        "membership_renewed",
    ]
    assert {run.status for run in runs} == {RunStatus.DONE}
    subjects = sorted(OutgoingEmail.objects.filter(kind="automation").values_list("subject", flat=True))
    assert subjects == ["Renewal failed, Bob", "Renewed, Alice"]


def test_the_triggers_read_in_words():
    assert trigger_phrase("membership_renewed", {}) == "a membership is renewed"
    assert trigger_phrase("membership_renewal_failed", {}) == "a membership renewal fails"
