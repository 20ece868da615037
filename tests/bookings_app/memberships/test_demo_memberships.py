"""The demo has an unlimited monthly membership with members booking with it and one renewal
in its history, charged through the test provider; the ledger still adds up."""

import pytest
from django.core.management import call_command

from bookings_app.models import ClientPlan, MembershipRenewal, MembershipStatus, PlanCreditUse, PlanKind
from bookings_app.payments.ledger_check import check_payments_ledger

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_on(settings):
    settings.DEBUG = True


def test_the_demo_has_members_a_renewal_and_bookings_paid_by_a_membership():
    call_command("seed_demo", "--quiet-summary")
    members = ClientPlan.objects.filter(plan__kind=PlanKind.MEMBERSHIP)
    assert members.filter(plan__name="Unlimited monthly", plan__sessions_per_period=None).count() == 2
    renewal = MembershipRenewal.objects.get()
    assert renewal.status == "paid" and renewal.payment.ledger_entries.count() == 1
    assert renewal.client_plan.client.first_name == "Bruno"
    assert PlanCreditUse.objects.filter(client_plan=renewal.client_plan).count() >= 1
    assert members.filter(status=MembershipStatus.CANCELLING).count() == 1
    assert check_payments_ledger() == []
