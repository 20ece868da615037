"""Racing beats: many workers renewing the same memberships at once charge each period once."""

import pytest
from django.db import connection
from django.utils import timezone

from bookings_app.models import DomainEvent, EventKind, MembershipRenewal, PaymentLedgerEntry
from bookings_app.services.membership_renewals import renew_due_memberships
from tests import factories as f
from tests.support.memberships import member
from tests.support.races import race

AT_ONCE = 20 if connection.vendor == "postgresql" else 8


@pytest.mark.django_db(transaction=True)
def test_twenty_beats_at_once_charge_each_period_once(unlimited):
    bought = timezone.now() - timezone.timedelta(days=40)
    memberships = [member(unlimited, f.client(f"Member{i}"), now=bought) for i in range(3)]
    now = timezone.now()

    race(lambda _: renew_due_memberships(now=now), range(AT_ONCE))

    assert PaymentLedgerEntry.objects.count() == MembershipRenewal.objects.filter(status="paid").count() == 3
    assert DomainEvent.objects.filter(kind=EventKind.MEMBERSHIP_RENEWED).count() == 3
    for membership in memberships:
        membership.refresh_from_db()
        assert membership.period_start == membership.renewals.get().period_start
