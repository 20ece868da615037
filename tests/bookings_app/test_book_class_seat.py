"""Booking a class seat and enrolling in a course: never more clients than seats."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.core.errors import AlreadyBooked, NotBookable, OutsidePolicy, SessionFull
from bookings_app.models import Booking, ServiceKind, Session
from bookings_app.services.bookings import book_class_seat, book_course
from bookings_app.services.client_matching import ClientDetails
from tests import factories as f


def details(name: str) -> ClientDetails:
    return ClientDetails(email=f"{name}@client.test", first_name=name.title())


@pytest.fixture
def yoga(db):
    f.business()
    nina = f.staff_member("Nina")
    service = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=2)
    return f.session(service, nina, timezone.now() + timedelta(days=2))


def test_it_takes_seats_until_the_class_is_full(yoga):
    book_class_seat(session=yoga, details=details("alice"))
    book_class_seat(session=yoga, details=details("bob"))
    with pytest.raises(SessionFull):
        book_class_seat(session=yoga, details=details("carol"))
    yoga.refresh_from_db()
    assert yoga.seats_taken == 2
    assert Booking.objects.filter(session=yoga).count() == 2


def test_a_client_cannot_take_two_seats_in_one_session(yoga):
    book_class_seat(session=yoga, details=details("alice"))
    with pytest.raises(AlreadyBooked):
        book_class_seat(session=yoga, details=details("alice"))
    yoga.refresh_from_db()
    assert yoga.seats_taken == 1


def test_it_refuses_a_session_inside_the_minimum_notice(yoga):
    f.business(min_notice_minutes=60 * 24 * 7)
    with pytest.raises(OutsidePolicy):
        book_class_seat(session=yoga, details=details("alice"))


def test_a_class_session_is_not_booked_as_an_appointment_or_course(yoga):
    with pytest.raises(NotBookable):
        book_course(service=yoga.service, details=details("alice"))


def test_a_course_is_booked_as_a_whole_or_not_at_all(db):
    f.business()
    nina = f.staff_member("Nina")
    course = f.service("Pottery course", kind=ServiceKind.COURSE, staff=[nina], capacity=1)
    start = timezone.now() + timedelta(days=3)
    sessions = [f.session(course, nina, start + timedelta(days=7 * week)) for week in range(3)]
    bookings = book_course(service=course, details=details("alice"))
    assert [b.session for b in bookings] == sessions
    assert len({b.enrollment for b in bookings}) == 1
    Session.objects.filter(pk=sessions[2].pk).update(seats_taken=0, capacity=1)
    with pytest.raises(SessionFull):
        book_course(service=course, details=details("bob"))
    assert not Booking.objects.filter(client__email="bob@client.test").exists()
    assert Session.objects.get(pk=sessions[0].pk).seats_taken == 1
