"""Cancel, reschedule and attendance: within policy, seats given back, events recorded."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.core.errors import InvalidTransition, OutsidePolicy, SessionFull, SlotUnavailable
from bookings_app.models import Attendance, DomainEvent, EventKind, OutgoingEmail, ServiceKind, Session
from bookings_app.services.bookings import book_appointment, book_class_seat, book_course
from bookings_app.services.changes import (
    cancel_booking,
    move_class_seat,
    record_attendance,
    reschedule_appointment,
    undo_attendance,
)
from bookings_app.services.client_matching import ClientDetails
from tests import factories as f

ALICE = ClientDetails(email="alice@client.test", first_name="Alice")
BOB = ClientDetails(email="bob@client.test", first_name="Bob")


@pytest.fixture
def appointment(db):
    f.business(cancel_window_hours=24)
    nina = f.staff_member("Nina")
    massage = f.service("Massage", staff=[nina])
    day = f.next_weekday(0, after=timezone.localdate() + timedelta(days=3))
    return book_appointment(service=massage, start=f.local(day, "10:00"), details=ALICE)


def test_a_client_cancels_within_the_policy_and_the_slot_is_free_again(appointment):
    cancel_booking(booking=appointment, by_client=True)
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert appointment.session.status == "cancelled"
    assert DomainEvent.objects.filter(kind=EventKind.BOOKING_CANCELLED, booking=appointment).exists()
    assert OutgoingEmail.objects.filter(booking=appointment).count() == 2
    again = book_appointment(service=appointment.service, start=appointment.session.start, details=BOB)
    assert again.status == "confirmed"


def test_a_client_cannot_cancel_inside_the_window_but_the_owner_can(appointment):
    late = appointment.session.start - timedelta(hours=2)
    with pytest.raises(OutsidePolicy):
        cancel_booking(booking=appointment, by_client=True, now=late)
    cancel_booking(booking=appointment, by_client=False, now=late)
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_cancelling_twice_is_refused_the_second_time(appointment):
    cancel_booking(booking=appointment, by_client=True)
    appointment.refresh_from_db()
    with pytest.raises(InvalidTransition):
        cancel_booking(booking=appointment, by_client=False)


def test_a_client_reschedules_to_a_free_slot_and_gets_one_email_for_it(appointment):
    new_start = appointment.session.start + timedelta(hours=3)
    reschedule_appointment(booking=appointment, start=new_start, by_client=True)
    appointment.refresh_from_db()
    assert appointment.session.start == new_start
    assert appointment.session.status == "scheduled"
    event = DomainEvent.objects.get(kind=EventKind.BOOKING_RESCHEDULED)
    assert event.payload["to"] == new_start.isoformat()
    assert OutgoingEmail.objects.filter(booking=appointment).count() == 2


def test_a_client_may_move_an_appointment_by_half_an_hour_over_its_own_slot(appointment):
    new_start = appointment.session.start + timedelta(minutes=30)
    reschedule_appointment(booking=appointment, start=new_start, by_client=True)
    appointment.refresh_from_db()
    assert appointment.session.start == new_start


def test_rescheduling_into_a_taken_slot_changes_nothing(appointment):
    taken = appointment.session.start + timedelta(hours=3)
    book_appointment(service=appointment.service, start=taken, details=BOB)
    with pytest.raises(SlotUnavailable):
        reschedule_appointment(booking=appointment, start=taken, by_client=True)
    appointment.refresh_from_db()
    assert appointment.session.start == taken - timedelta(hours=3)
    assert appointment.session.status == "scheduled"


def test_a_class_seat_moves_to_another_session_with_room(db):
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=1)
    monday = f.session(yoga, nina, timezone.now() + timedelta(days=3))
    wednesday = f.session(yoga, nina, timezone.now() + timedelta(days=5))
    friday = f.session(yoga, nina, timezone.now() + timedelta(days=7))
    booking = book_class_seat(session=monday, details=ALICE)
    book_class_seat(session=friday, details=BOB)
    move_class_seat(booking=booking, session=wednesday, by_client=True)
    assert Session.objects.get(pk=monday.pk).seats_taken == 0
    assert Session.objects.get(pk=wednesday.pk).seats_taken == 1
    with pytest.raises(SessionFull):
        move_class_seat(booking=booking, session=friday, by_client=True)


def test_cancelling_a_course_booking_frees_every_session(db):
    f.business()
    nina = f.staff_member("Nina")
    course = f.service("Pottery", kind=ServiceKind.COURSE, staff=[nina], capacity=4)
    for week in range(3):
        f.session(course, nina, timezone.now() + timedelta(days=3 + 7 * week))
    bookings = book_course(service=course, details=ALICE)
    cancelled = cancel_booking(booking=bookings[1], by_client=True)
    assert len(cancelled) == 3
    assert list(Session.objects.filter(service=course).values_list("seats_taken", flat=True)) == [0, 0, 0]


def test_check_in_counts_visits_and_a_double_tap_checks_in_once(db, sam):
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=5)
    first = book_class_seat(session=f.session(yoga, nina, timezone.now() + timedelta(days=1)), details=ALICE)
    second = book_class_seat(session=f.session(yoga, nina, timezone.now() + timedelta(days=2)), details=ALICE)
    record_attendance(booking=first, attendance=Attendance.CHECKED_IN, by=sam)
    record_attendance(booking=first, attendance=Attendance.CHECKED_IN, by=sam)
    record_attendance(booking=second, attendance=Attendance.CHECKED_IN, by=sam)
    events = DomainEvent.objects.filter(kind=EventKind.CHECKED_IN).order_by("pk")
    assert [e.payload for e in events] == [
        {"visit_number": 1, "first_visit": True},
        {"visit_number": 2, "first_visit": False},
    ]
    assert first.attendance_by == sam


def test_a_mistaken_no_show_is_undone_and_then_checked_in(db, sam):
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=5)
    booking = book_class_seat(
        session=f.session(yoga, nina, timezone.now() + timedelta(days=1)), details=ALICE
    )
    record_attendance(booking=booking, attendance=Attendance.NO_SHOW, by=sam)
    with pytest.raises(InvalidTransition):
        record_attendance(booking=booking, attendance=Attendance.CHECKED_IN, by=sam)
    undo_attendance(booking=booking)
    record_attendance(booking=booking, attendance=Attendance.CHECKED_IN, by=sam)
    assert booking.attendance == "checked_in"


def test_a_checked_in_booking_cannot_be_cancelled(db, sam):
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=5)
    booking = book_class_seat(
        session=f.session(yoga, nina, timezone.now() + timedelta(days=1)), details=ALICE
    )
    record_attendance(booking=booking, attendance=Attendance.CHECKED_IN, by=sam)
    with pytest.raises(InvalidTransition):
        cancel_booking(booking=booking, by_client=False)
