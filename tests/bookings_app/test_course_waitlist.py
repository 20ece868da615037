"""The waitlist of a full course: a place is a seat in every session, offered and taken whole."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Booking, ServiceKind, Session, WaitlistEntry
from bookings_app.services.bookings import book_course
from bookings_app.services.changes import cancel_booking
from bookings_app.services.waitlist import (
    SeatStillFree,
    accept_offer,
    expire_offers,
    join_waitlist,
    leave_waitlist,
)
from bookings_app.services.walk_ins import seat_from_waitlist_at_the_door
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def pottery(db):
    """Three Saturday sessions, two places, both taken by Bob and Carla."""
    f.business()
    omar = f.staff_member("Omar")
    course = f.service(
        "Pottery", kind=ServiceKind.COURSE, staff=[omar], capacity=2, price=0, waitlist_enabled=True
    )
    first = timezone.now() + timedelta(days=5)
    for week in range(3):
        f.session(course, omar, first + timedelta(days=7 * week))
    return course


def _fill(course):
    return [book_course(service=course, details=f.racer(n)) for n in (1, 2)]


def _sessions(course) -> list[Session]:
    return list(Session.objects.filter(service=course).order_by("pk"))


def _seats(course) -> list[int]:
    return [session.seats_taken for session in _sessions(course)]


def test_a_full_course_takes_clients_in_one_line_on_its_first_session(pottery):
    _fill(pottery)
    last = _sessions(pottery)[-1]
    entry = join_waitlist(session=last, details=f.racer(3))
    assert entry.session == _sessions(pottery)[0]


def test_a_course_with_a_place_in_every_session_sends_clients_to_enrol(pottery):
    book_course(service=pottery, details=f.racer(1))
    with pytest.raises(SeatStillFree):
        join_waitlist(session=_sessions(pottery)[0], details=f.racer(3))


def test_a_freed_place_is_offered_whole_and_held_in_every_session(pottery):
    bob, _carla = _fill(pottery)
    entry = join_waitlist(session=_sessions(pottery)[0], details=f.racer(3))
    cancel_booking(booking=bob[0], by_client=False)
    entry.refresh_from_db()
    assert entry.status == "offered"
    assert _seats(pottery) == [2, 2, 2]  # Carla and the offered place, in each session
    booking = accept_offer(entry=entry)
    enrolled = Booking.objects.filter(enrollment=booking.enrollment, status="confirmed")
    assert enrolled.count() == 3
    assert _seats(pottery) == [2, 2, 2]


def test_an_offer_left_or_run_out_gives_the_place_back_in_every_session(pottery):
    bob, _carla = _fill(pottery)
    dora = join_waitlist(session=_sessions(pottery)[0], details=f.racer(3))
    eve = join_waitlist(session=_sessions(pottery)[0], details=f.racer(4))
    cancel_booking(booking=bob[0], by_client=False)
    dora.refresh_from_db()
    leave_waitlist(entry=dora)
    eve.refresh_from_db()
    assert eve.status == "offered" and _seats(pottery) == [2, 2, 2]
    expire_offers(now=timezone.now() + timedelta(hours=3))
    eve.refresh_from_db()
    assert eve.status == "expired" and _seats(pottery) == [1, 1, 1]


def test_book_at_once_enrols_the_first_in_line_in_every_session(pottery):
    pottery.waitlist_mode = "book"
    pottery.save()
    bob, _carla = _fill(pottery)
    entry = join_waitlist(session=_sessions(pottery)[0], details=f.racer(3))
    cancel_booking(booking=bob[0], by_client=True)
    entry.refresh_from_db()
    assert entry.status == "booked"
    assert Booking.objects.filter(client=entry.client, status="confirmed").count() == 3


def test_a_course_place_is_not_given_at_the_door(pottery, sam):
    _fill(pottery)
    entry = join_waitlist(session=_sessions(pottery)[0], details=f.racer(3))
    from bookings_app.core.errors import NotBookable

    with pytest.raises(NotBookable):
        seat_from_waitlist_at_the_door(entry=entry, by=sam)


def test_the_full_course_page_offers_the_waitlist_and_the_join_page_lists_every_date(client, pottery):
    _fill(pottery)
    page = client.get(pottery.get_absolute_url()).content.decode()
    first = _sessions(pottery)[0]
    join = reverse("public:waitlist_join", args=[pottery.slug, first.pk])
    assert join in page and "Join the waitlist" in page
    assert page.count('class="visit"') == 3
    form = client.get(join).content.decode()
    assert form.count('class="visit"') == 3
    other = reverse("public:waitlist_join", args=[pottery.slug, _sessions(pottery)[1].pk])
    assert client.get(other).status_code == 404
    key = re.search(r'name="request_key" value="([0-9a-f]{32})"', form).group(1)
    details = {"first_name": "Dora", "last_name": "Lee", "email": "dora@client.test", "request_key": key}
    response = client.post(join, details)
    assert response.status_code == 303
    entry = WaitlistEntry.objects.get(client__email="dora@client.test")
    assert client.get(response["Location"]).content.decode().count('class="visit"') == 3
    assert entry.session == first
