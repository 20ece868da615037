"""The tablet shows a session's waitlist; a client waiting at the door takes a no-show's seat."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Attendance, Booking, BookingSource, ServiceKind, WaitlistStatus
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.changes import record_attendance
from bookings_app.services.waitlist import join_waitlist
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam_member(sam):
    f.business()
    member = f.staff_member("Sam")
    member.user = sam
    member.save()
    return member


@pytest.fixture
def full_yoga_now(sam_member):
    """Sam's yoga class starting in ten minutes, its one seat taken by client 1, two in line."""
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[sam_member], capacity=1, waitlist_enabled=True)
    session = f.session(yoga, sam_member, timezone.now() + timedelta(hours=2))
    book_class_seat(session=session, details=f.racer(1))
    line = [join_waitlist(session=session, details=f.racer(n)) for n in (2, 3)]
    return session, line


def seat(client, session, entry):
    url = reverse("staff:seat_from_waitlist", args=[session.pk, entry.pk])
    return client.post(url, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")


def test_the_card_lists_the_line_and_offers_the_seat_only_after_a_no_show(client, sam, full_yoga_now):
    session, line = full_yoga_now
    client.force_login(sam)
    card = client.get(reverse("staff:session", args=[session.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "Client 2" in card and "Client 3" in card
    assert "Take the no-show" not in card

    refused = seat(client, session, line[0])
    assert refused.status_code == 409
    assert "Only the seat of a client marked no-show" in refused.content.decode()

    record_attendance(booking=Booking.objects.get(session=session), attendance=Attendance.NO_SHOW, by=sam)
    card = client.get(reverse("staff:session", args=[session.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert card.count("Take the no-show") == 2


def test_a_waiting_client_takes_the_no_shows_seat_once_and_is_checked_in(client, sam, full_yoga_now):
    session, line = full_yoga_now
    record_attendance(booking=Booking.objects.get(session=session), attendance=Attendance.NO_SHOW, by=sam)
    client.force_login(sam)

    assert seat(client, session, line[1]).status_code == 200
    line[1].refresh_from_db()
    assert line[1].status == WaitlistStatus.BOOKED
    assert (line[1].booking.source, line[1].booking.attendance) == (
        BookingSource.WALK_IN,
        Attendance.CHECKED_IN,
    )
    session.refresh_from_db()
    assert (session.seats_taken, session.capacity) == (2, 2)

    assert seat(client, session, line[0]).status_code == 409  # one no-show, one seat
    line[0].refresh_from_db()
    assert line[0].status == WaitlistStatus.WAITING
