"""The trigger "client buys a plan online": from the pack's paid webhook to an e-mail naming the plan."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from automations.models import RunStatus
from bookings_app.models import OutgoingEmail, ServiceKind
from bookings_app.services.plans import save_plan
from tests import factories as f
from tests.support.memberships import membership_plan
from tests.support.payments import deliver
from tests.support.plan_sales import order_pack

from .builders import automation, email_client


@pytest.fixture
def ten_classes(nina):
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=12)
    return save_plan(
        services=[yoga],
        name="10 classes",
        credits=10,
        valid_days=90,
        valid_from="purchase",
        price=Decimal("120.00"),
        currency="EUR",
    )


def test_a_pack_bought_online_starts_the_automation_once(worker, ten_classes):
    alice = f.client("Alice")
    automation(
        "plan_purchased",
        actions=[email_client("Thanks {client_first_name}: {plan_name}, {payment_amount}")],
    )
    _order, payment = order_pack(ten_classes, alice)
    for _ in range(3):
        deliver(payment)

    runs = worker.deliver()

    assert [run.status for run in runs] == [RunStatus.DONE]
    assert list(OutgoingEmail.objects.filter(kind="automation").values_list("subject", flat=True)) == [
        "Thanks Alice: 10 classes, 120.00 EUR"
    ]
    assert worker.deliver() == []


def test_a_membership_bought_online_starts_the_automation_once(worker, ten_classes):
    alice = f.client("Alice")
    automation("plan_purchased", actions=[email_client("Welcome {client_first_name}: {plan_name}")])
    _order, payment = order_pack(membership_plan(list(ten_classes.services.all())), alice)
    for _ in range(3):
        deliver(payment, saved_card="renews")

    runs = worker.deliver()

    assert [run.status for run in runs] == [RunStatus.DONE]
    assert list(OutgoingEmail.objects.filter(kind="automation").values_list("subject", flat=True)) == [
        "Welcome Alice: Unlimited"
    ]


def test_the_plan_name_is_refused_on_a_trigger_that_does_not_know_it(studio):
    with pytest.raises(ValidationError, match="plan_name"):
        automation("client_books", actions=[email_client("Your {plan_name}")])
