"""Booking limits per service (the service's settings), beside the business's for all services;
joining a waitlist is held to them too."""

from datetime import timedelta

import pytest

from bookings_app.models import BookingSource, Business, Service, ServiceKind
from bookings_app.services.booking_limits import BookingLimitReached
from bookings_app.services.bookings import book_appointment, book_class_seat
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.waitlist import join_waitlist
from tests import factories as f

ALICE = ClientDetails(email="alice@client.test", first_name="Alice")


def service_limits(service, *sessions, **values):
    Service.objects.filter(pk=service.pk).update(**values)
    for each in (service, *(session.service for session in sessions)):
        each.refresh_from_db()


def test_a_service_limit_counts_that_service_only(studio, yoga_sessions):
    service_limits(studio["yoga"], max_upcoming_bookings=2)
    book_class_seat(session=yoga_sessions[0], details=ALICE)
    book_class_seat(session=yoga_sessions[1], details=ALICE)
    with pytest.raises(BookingLimitReached, match="at most 2 upcoming bookings of “Yoga”"):
        book_class_seat(session=yoga_sessions[2], details=ALICE)
    book_appointment(service=studio["massage"], start=f.local(f.next_weekday(1), "10:00"), details=ALICE)


def test_a_service_day_limit(studio, yoga_sessions):
    service_limits(studio["yoga"], max_bookings_per_day=1)
    book_class_seat(session=yoga_sessions[0], details=ALICE)
    same_day = f.session(studio["yoga"], studio["nina"], yoga_sessions[0].start + timedelta(hours=2))
    with pytest.raises(BookingLimitReached, match="“Yoga” at most 1 time a day"):
        book_class_seat(session=same_day, details=ALICE)
    book_class_seat(session=yoga_sessions[1], details=ALICE)


def test_a_service_week_limit_from_monday_to_sunday(studio):
    service_limits(studio["yoga"], max_bookings_per_week=1)
    monday = f.next_weekday(0, after=f.next_weekday(0))
    sessions = [
        f.session(studio["yoga"], studio["nina"], f.local(monday + timedelta(days=d), "18:00"))
        for d in (1, 5, 8)
    ]
    book_class_seat(session=sessions[0], details=ALICE)
    with pytest.raises(BookingLimitReached, match="1 time a week"):
        book_class_seat(session=sessions[1], details=ALICE)
    book_class_seat(session=sessions[2], details=ALICE)


def test_an_appointment_service_limit(studio):
    service_limits(studio["massage"], max_upcoming_bookings=1)
    tuesday = f.next_weekday(1)
    book_appointment(service=studio["massage"], start=f.local(tuesday, "10:00"), details=ALICE)
    with pytest.raises(BookingLimitReached, match="“Massage”"):
        book_appointment(service=studio["massage"], start=f.local(tuesday, "14:00"), details=ALICE)


def test_the_business_limit_still_counts_every_service(studio, yoga_sessions):
    Business.objects.filter(pk=1).update(max_upcoming_bookings=1)
    service_limits(studio["yoga"], max_upcoming_bookings=5)
    book_class_seat(session=yoga_sessions[0], details=ALICE)
    with pytest.raises(BookingLimitReached, match="at most 1 upcoming booking\\."):
        book_class_seat(session=yoga_sessions[1], details=ALICE)


def test_the_team_may_book_past_a_service_limit(studio, yoga_sessions):
    service_limits(studio["yoga"], max_upcoming_bookings=1)
    book_class_seat(session=yoga_sessions[0], details=ALICE)
    book_class_seat(session=yoga_sessions[1], details=ALICE, source=BookingSource.DASHBOARD)


@pytest.fixture
def full_yoga(studio, yoga_sessions):
    """The first yoga session holds one seat, taken by Bob; a waitlist of five."""
    Service.objects.filter(pk=studio["yoga"].pk).update(waitlist_enabled=True, waitlist_max=5)
    session = yoga_sessions[0]
    type(session).objects.filter(pk=session.pk).update(capacity=1)
    session.refresh_from_db()
    book_class_seat(session=session, details=ClientDetails(email="bob@client.test", first_name="Bob"))
    return session


def test_joining_a_waitlist_is_held_to_the_limits(studio, yoga_sessions, full_yoga):
    service_limits(studio["yoga"], full_yoga, max_upcoming_bookings=1)
    book_class_seat(session=yoga_sessions[1], details=ALICE)
    with pytest.raises(BookingLimitReached):
        join_waitlist(session=full_yoga, details=ALICE)


def test_a_course_has_no_limit_fields(db):
    from bookings_app.forms.catalog import ServiceForm

    assert "max_upcoming_bookings" not in ServiceForm(kind=ServiceKind.COURSE).fields
    assert "max_upcoming_bookings" in ServiceForm(kind=ServiceKind.CLASS).fields


def _yoga_form(**fields) -> dict:
    return {
        "name": "Yoga",
        "slug": "yoga",
        "duration_minutes": 60,
        "price": "20",
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "capacity": 12,
        **fields,
    }


def test_the_owner_sets_a_services_limits_on_its_page(client, olivia, studio):
    client.force_login(olivia)
    url = f"/dashboard/services/{studio['yoga'].pk}/?tab=details"
    assert b'name="max_bookings_per_week"' in client.get(url).content
    response = client.post(url, _yoga_form(max_upcoming_bookings="3", max_bookings_per_week="2"))
    assert response.status_code == 302
    yoga = Service.objects.get(pk=studio["yoga"].pk)
    assert (yoga.max_upcoming_bookings, yoga.max_bookings_per_day, yoga.max_bookings_per_week) == (3, None, 2)


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1e9", "100000", "2.5", "\u0663"])
def test_bad_limits_are_refused_next_to_the_field(client, olivia, studio, value):
    client.force_login(olivia)
    url = f"/dashboard/services/{studio['yoga'].pk}/?tab=details"
    response = client.post(url, _yoga_form(max_bookings_per_day=value))
    if value == "\u0663":  # an Arabic-Indic three is a three
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert "max_bookings_per_day" in response.context["form"].errors
    assert Service.objects.get(pk=studio["yoga"].pk).max_bookings_per_day is None
