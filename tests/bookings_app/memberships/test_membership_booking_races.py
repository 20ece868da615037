"""Racing a freeze against bookings with the membership: whatever the order, no booking it paid
for is left inside the freeze, and a booking the client cancels at the same moment is cancelled
once."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from bookings_app.core.errors import BookingError
from bookings_app.models import Booking, BookingStatus, DomainEvent, EventKind, OutgoingEmail, PlanCreditUse
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.changes import cancel_booking
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.memberships import freeze_membership
from bookings_app.services.plans import use_credit
from tests import factories as f
from tests.support.races import race

ALICE = ClientDetails(email="alice@client.test", first_name="Alice")
AT_ONCE = 16 if connection.vendor == "postgresql" else 8  # SQLite serialises writers


def _frozen_day(membership, day):
    start = datetime.combine(day, time.min, tzinfo=f.business().tz)
    return freeze_membership(
        membership=membership, starts_at=start, ends_at=start + timedelta(days=1), now=timezone.now()
    )


@pytest.mark.django_db(transaction=True)
def test_bookings_racing_a_freeze_leave_nothing_paid_inside_it(alices_membership, studio, next_week):
    day = next_week[2]
    sessions = [
        f.session(studio["yoga"], studio["nina"], f.local(day, "06:00") + timedelta(minutes=65 * i))
        for i in range(AT_ONCE)
    ]

    def attempt(i):
        if i == AT_ONCE:
            return _frozen_day(alices_membership, day)
        return book_and_pay(
            book=lambda: book_class_seat(session=sessions[i], details=ALICE),
            pay=lambda bookings: use_credit(client_plan_id=alices_membership.pk, bookings=bookings),
        )

    outcomes = race(attempt, range(AT_ONCE + 1), refused=BookingError)

    refused = [o for o in outcomes[:AT_ONCE] if isinstance(o, BookingError)]
    assert {str(o.message) for o in refused} <= {"Your membership is frozen on that day."}
    assert not Booking.objects.filter(status=BookingStatus.CONFIRMED).exists()
    assert Booking.objects.count() == AT_ONCE - len(refused)  # booked first, then cancelled by the freeze
    assert PlanCreditUse.objects.filter(returned_at__isnull=True).count() == 0
    for session in sessions:
        session.refresh_from_db()
        assert session.seats_taken == 0


@pytest.mark.django_db(transaction=True)
def test_a_client_cancelling_as_the_freeze_lands_is_cancelled_once(
    alices_membership, yoga_next_week, next_week
):
    booking = book_and_pay(
        book=lambda: book_class_seat(session=yoga_next_week[6], details=ALICE),
        pay=lambda bookings: use_credit(client_plan_id=alices_membership.pk, bookings=bookings),
    )

    def attempt(who):
        if who == "freeze":
            return _frozen_day(alices_membership, next_week[2])
        return cancel_booking(booking=Booking.objects.get(pk=booking.pk), by_client=True)

    race(attempt, ["freeze", "client"], refused=BookingError)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert DomainEvent.objects.filter(kind=EventKind.BOOKING_CANCELLED).count() == 1
    assert OutgoingEmail.objects.filter(kind="cancellation").count() == 1
    yoga_next_week[6].refresh_from_db()
    assert yoga_next_week[6].seats_taken == 0
