"""Racing walk-ins paid with one membership: with one session left in its week, desks seating the
member in different classes at once seat them once (the membership's row lock counts them one
after the other); the others are refused with the reason and seat nobody."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from bookings_app.core.errors import BookingError
from bookings_app.models import Booking, PlanCreditUse, ServiceKind
from bookings_app.services.walk_ins import add_walk_in
from tests import factories as f
from tests.support.memberships import member, membership_plan
from tests.support.races import in_words, race

AT_ONCE = 10 if connection.vendor == "postgresql" else 6  # SQLite serialises writers


@pytest.mark.django_db(transaction=True)
def test_walk_ins_at_once_with_one_session_left_in_the_week_seat_once(sam):
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=4)
    monday = f.next_weekday(0)
    sessions = [
        f.session(yoga, nina, f.local(monday, "07:00") + timedelta(minutes=70 * i)) for i in range(AT_ONCE)
    ]
    bob = f.client("Bob")
    membership = member(
        membership_plan([yoga], name="Once a week", sessions_per_period=1), bob, now=timezone.now()
    )

    def seat(i):
        return add_walk_in(session=sessions[i], client=bob, client_plan_id=membership.pk, by=sam)

    outcomes = in_words(race(seat, range(AT_ONCE), refused=BookingError), success="seated")

    assert outcomes.count("seated") == 1
    assert set(outcomes) - {"seated"} == {"Your membership has no sessions left that week."}
    assert Booking.objects.count() == PlanCreditUse.objects.count() == 1
