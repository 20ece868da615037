"""My bookings: a signed-in client sees their own bookings, upcoming and past, in their time zone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.models import Attendance, Booking, BookingStatus
from bookings_app.web import links
from bookings_app.web.accounts import user_for_client
from tests import factories as make

pytestmark = pytest.mark.django_db

MY_BOOKINGS = "/my/"


@pytest.fixture
def nina():
    make.business(time_zone="Europe/Paris")
    return make.staff_member("Nina")


@pytest.fixture
def massage(nina):
    return make.service("Massage", staff=[nina])


@pytest.fixture
def yoga(nina):
    return make.service("Yoga", staff=[nina])


@pytest.fixture
def alice(nina):
    return make.client("Alice")


@pytest.fixture
def bob(nina):
    return make.client("Bob")


def book(client_, service_, *, days: int, hour: int = 10, **fields) -> Booking:
    """A booking ``days`` from today (negative: in the past) at ``hour``:00 Paris time."""
    start = make.local(timezone.localdate() + timedelta(days=days), f"{hour:02d}:00")
    session = make.session(service_, service_.staff.get(), start)
    return Booking.objects.create(client=client_, service=service_, session=session, **fields)


def signed_in(browser, client_):
    browser.force_login(user_for_client(client_))
    return browser


def test_it_sends_anonymous_visitors_to_the_code_sign_in(client):
    response = client.get(MY_BOOKINGS)

    assert response.status_code == 302
    assert response["Location"] == "/account/login/code/?next=/my/"


def test_it_lists_upcoming_bookings_with_their_status_and_manage_link(client, alice, massage, yoga):
    confirmed = book(alice, massage, days=3)
    requested = book(alice, yoga, days=4, status=BookingStatus.REQUESTED)

    page = signed_in(client, alice).get(MY_BOOKINGS, HTTP_ACCEPT_LANGUAGE="en")

    upcoming = page.context["upcoming"]
    assert list(upcoming) == [confirmed, requested]
    html = page.content.decode()
    assert 'badge badge--ok">Confirmed' in html
    assert 'badge badge--warn">Requested' in html
    assert links.manage_path(confirmed) in html
    assert "with Nina" in html


def test_it_files_past_and_cancelled_bookings_apart_with_their_attendance(client, alice, massage, yoga):
    attended = book(alice, massage, days=-2, attendance=Attendance.CHECKED_IN)
    missed = book(alice, yoga, days=-9, attendance=Attendance.NO_SHOW)
    cancelled = book(alice, massage, days=5, status=BookingStatus.CANCELLED)

    page = signed_in(client, alice).get(MY_BOOKINGS, HTTP_ACCEPT_LANGUAGE="en")

    assert list(page.context["upcoming"]) == []
    assert list(page.context["past"]) == [cancelled, attended, missed]
    html = page.content.decode()
    assert 'badge badge--ok">Checked in' in html
    assert 'badge badge--warn">No-show' in html
    assert 'badge badge--danger">Cancelled' in html


def test_it_shows_times_in_the_clients_time_zone(client, alice, massage):
    alice.time_zone = "America/New_York"
    alice.save()
    book(alice, massage, days=3, hour=16)  # 16:00 in Paris is 10:00 in New York (or 11:00 around DST changes)

    html = signed_in(client, alice).get(MY_BOOKINGS, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "America/New_York" in html
    assert ("10:00–11:00" in html) or ("11:00–12:00" in html)


def test_it_shows_times_in_the_business_time_zone_when_the_client_has_none(client, alice, massage):
    book(alice, massage, days=3, hour=16)

    html = signed_in(client, alice).get(MY_BOOKINGS, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Europe/Paris" in html
    assert "16:00–17:00" in html


def test_it_never_shows_alice_bobs_bookings(client, alice, bob, massage, yoga):
    alices = book(alice, massage, days=3)
    bobs = [book(bob, yoga, days=4), book(bob, yoga, days=-4)]

    page = signed_in(client, alice).get(MY_BOOKINGS)

    shown = list(page.context["upcoming"]) + list(page.context["past"])
    assert shown == [alices]
    html = page.content.decode()
    assert "Yoga" not in html
    assert all(links.manage_path(booking) not in html for booking in bobs)


def test_it_shows_an_account_that_never_booked_an_empty_page_with_a_way_to_book(client, carla):
    client.force_login(carla)

    page = client.get(MY_BOOKINGS, HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    assert b"No bookings yet" in page.content
    assert b'href="/"' in page.content


def test_it_pages_twenty_bookings_at_a_time(client, alice, massage):
    for day in range(1, 26):
        book(alice, massage, days=day)
    browser = signed_in(client, alice)

    first = browser.get(MY_BOOKINGS)
    second = browser.get(MY_BOOKINGS, {"upcoming": 2})

    assert len(first.context["upcoming"]) == 20
    assert "?upcoming=2" in first.content.decode()
    assert len(second.context["upcoming"]) == 5


@pytest.mark.parametrize("bookings_per_list", [1, 30])
def test_it_reads_the_page_in_the_same_number_of_queries_however_many_bookings(
    client, alice, massage, django_assert_num_queries, bookings_per_list
):
    for day in range(1, bookings_per_list + 1):
        book(alice, massage, days=day)
        book(alice, massage, days=-day)
    browser = signed_in(client, alice)

    # session, user, client, business, a count and a page for each of the two lists, and whether the
    # loyalty program is on (its header links), the client's calendar feed address, their waitlists
    # and their plans
    with django_assert_num_queries(12):
        response = browser.get(MY_BOOKINGS)

    assert response.status_code == 200
