"""The database itself refuses what the services guard: each guard proven on its own."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings_app.models import Booking, ServiceKind, Session
from tests import factories as f


@pytest.mark.postgres
def test_postgresql_refuses_two_overlapping_sessions_for_one_staff_member(db):
    f.business()
    nina = f.staff_member("Nina")
    massage = f.service("Massage", staff=[nina], buffer_after_minutes=15)
    start = timezone.now() + timedelta(days=1)
    f.session(massage, nina, start)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.session(massage, nina, start + timedelta(minutes=70))
    f.session(massage, nina, start + timedelta(minutes=75))


@pytest.mark.postgres
def test_postgresql_lets_a_cancelled_session_be_overlapped(db):
    f.business()
    nina = f.staff_member("Nina")
    massage = f.service("Massage", staff=[nina])
    start = timezone.now() + timedelta(days=1)
    f.session(massage, nina, start, status="cancelled")
    f.session(massage, nina, start)
    assert Session.objects.filter(staff=nina).count() == 2


def test_the_seat_counter_cannot_pass_the_capacity(db):
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=2)
    session = f.session(yoga, nina, timezone.now() + timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(seats_taken=3)


def test_a_client_holds_one_live_booking_per_session(db):
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=5)
    session = f.session(yoga, nina, timezone.now() + timedelta(days=1))
    alice = f.client("Alice")
    Booking.objects.create(session=session, service=yoga, client=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(session=session, service=yoga, client=alice)
    Booking.objects.create(session=session, service=yoga, client=alice, status="cancelled")
