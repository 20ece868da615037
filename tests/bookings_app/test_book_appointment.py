"""Booking an appointment: the right slot, the right staff, once."""

from datetime import timedelta

import pytest

from bookings_app.core.errors import NotBookable, SlotUnavailable
from bookings_app.models import Booking, BookingSource, DomainEvent, EventKind, OutgoingEmail, Session
from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from tests import factories as f

ALICE = ClientDetails(email="Alice@Client.test", first_name="Alice", phone="+33 6 12 34 56 78")
BOB = ClientDetails(email="bob@client.test", first_name="Bob")


@pytest.fixture
def studio(db):
    f.business()
    nina = f.staff_member("Nina")
    massage = f.service("Massage", staff=[nina], buffer_after_minutes=15)
    monday = f.next_weekday(0)
    return nina, massage, monday


def test_it_books_a_free_slot_and_records_the_event_and_the_confirmation(studio):
    nina, massage, monday = studio
    booking = book_appointment(service=massage, start=f.local(monday, "10:00"), details=ALICE)
    assert booking.status == "confirmed"
    assert booking.session.staff == nina
    assert booking.session.blocked_end == f.local(monday, "11:15")
    assert booking.client.email == "alice@client.test"
    assert DomainEvent.objects.filter(kind=EventKind.BOOKING_CREATED, booking=booking).count() == 1
    assert OutgoingEmail.objects.filter(booking=booking).count() == 1


def test_it_refuses_the_same_slot_to_a_second_client(studio):
    _, massage, monday = studio
    book_appointment(service=massage, start=f.local(monday, "10:00"), details=ALICE)
    with pytest.raises(SlotUnavailable):
        book_appointment(service=massage, start=f.local(monday, "10:30"), details=BOB)
    assert Booking.objects.count() == 1


def test_it_refuses_a_start_that_is_not_an_offered_slot(studio):
    _, massage, monday = studio
    with pytest.raises(SlotUnavailable):
        book_appointment(service=massage, start=f.local(monday, "10:10"), details=ALICE)
    with pytest.raises(SlotUnavailable):
        book_appointment(service=massage, start=f.local(monday, "17:00"), details=ALICE)
    assert not Session.objects.exists()


def test_it_gives_the_slot_to_the_next_free_staff_member(studio):
    nina, massage, monday = studio
    omar = f.staff_member("Omar")
    massage.staff.add(omar)
    first = book_appointment(service=massage, start=f.local(monday, "10:00"), details=ALICE)
    second = book_appointment(service=massage, start=f.local(monday, "10:00"), details=BOB)
    assert {first.session.staff, second.session.staff} == {nina, omar}


def test_the_same_form_submitted_twice_books_once(studio):
    _, massage, monday = studio
    first = book_appointment(service=massage, start=f.local(monday, "10:00"), details=ALICE, request_key="k1")
    again = book_appointment(service=massage, start=f.local(monday, "10:00"), details=ALICE, request_key="k1")
    assert again.pk == first.pk
    assert Booking.objects.count() == 1
    assert OutgoingEmail.objects.count() == 1


def test_a_returning_client_is_matched_by_email_whatever_its_case(studio):
    _, massage, monday = studio
    first = book_appointment(service=massage, start=f.local(monday, "10:00"), details=ALICE)
    second = book_appointment(
        service=massage,
        start=f.local(monday, "14:00"),
        details=ClientDetails(email="ALICE@client.TEST", first_name="A"),
    )
    assert first.client_id == second.client_id


def test_an_offline_service_is_not_bookable_online_but_is_by_the_team(studio):
    _, massage, monday = studio
    massage.is_online = False
    massage.save()
    with pytest.raises(NotBookable):
        book_appointment(service=massage, start=f.local(monday, "10:00"), details=ALICE)
    booking = book_appointment(
        service=massage, start=f.local(monday, "10:00"), details=ALICE, source=BookingSource.DASHBOARD
    )
    assert booking.source == "dashboard"


def test_the_team_may_book_inside_the_minimum_notice(studio):
    _, massage, monday = studio
    f.business(min_notice_minutes=60 * 24 * 30)
    with pytest.raises(SlotUnavailable):
        book_appointment(service=massage, start=f.local(monday, "10:00"), details=ALICE)
    booking = book_appointment(
        service=massage, start=f.local(monday, "10:00"), details=ALICE, source=BookingSource.DASHBOARD
    )
    assert booking.session.start == f.local(monday, "10:00")


def test_the_team_still_cannot_double_book_a_staff_member(studio):
    _, massage, monday = studio
    book_appointment(service=massage, start=f.local(monday, "10:00"), details=ALICE)
    with pytest.raises(SlotUnavailable):
        book_appointment(
            service=massage,
            start=f.local(monday, "10:00") + timedelta(minutes=45),
            details=BOB,
            source=BookingSource.DASHBOARD,
        )
