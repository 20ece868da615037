"""The calendar's session panel shows the waitlist; the team moves a client up, books, removes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Booking, BookingStatus, ServiceKind, Session, WaitlistEntry, WaitlistStatus
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.changes import cancel_booking
from bookings_app.services.waitlist import join_waitlist
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_session():
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=1, price=0, waitlist_enabled=True)
    session = f.session(yoga, nina, timezone.now() + timedelta(days=2))
    book_class_seat(session=session, details=f.racer(1))
    return session


@pytest.fixture
def line(full_session):
    return [join_waitlist(session=full_session, details=f.racer(n)) for n in (2, 3, 4)]


def act(client, session, entry, action):
    url = reverse("dashboard:calendar_waitlist_action", args=[session.pk, entry.pk, action])
    return client.post(url, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")


def names_in_line(session) -> list[str]:
    live = WaitlistEntry.objects.filter(session=session, status__in=["waiting", "offered"])
    return [e.client.email for e in live.order_by("position", "joined_at", "pk")]


def test_the_panel_lists_the_line_with_offers_and_their_expiry(client, olivia, full_session, line):
    cancel_booking(booking=Booking.objects.get(client__email=f.racer(1).email), by_client=True)
    client.force_login(olivia)
    html = client.get(reverse("dashboard:calendar_session", args=[full_session.pk]), HTTP_HX_REQUEST="true")
    html = html.content.decode()
    assert "Waitlist" in html and "Seat offered until" in html
    assert html.count("Client 3") == 1 and html.count("Move up") == 1  # not for the first one waiting


def test_the_owner_moves_a_client_up(client, olivia, full_session, line):
    client.force_login(olivia)
    response = act(client, full_session, line[2], "up")
    assert response.status_code == 200
    assert names_in_line(full_session) == [f.racer(2).email, f.racer(4).email, f.racer(3).email]


def test_booking_from_a_full_line_says_why_with_a_409_and_books_once_a_seat_is_free(
    client, olivia, full_session, line
):
    client.force_login(olivia)
    refused = act(client, full_session, line[1], "book")
    assert refused.status_code == 409
    assert "The session is full" in refused.content.decode()

    Session.objects.filter(pk=full_session.pk).update(capacity=2)
    assert act(client, full_session, line[1], "book").status_code == 200
    line[1].refresh_from_db()
    assert line[1].status == WaitlistStatus.BOOKED
    assert line[1].booking.status == BookingStatus.CONFIRMED
    full_session.refresh_from_db()
    assert full_session.seats_taken == 2


def test_removing_an_offered_client_passes_the_seat_on(client, olivia, full_session, line):
    cancel_booking(booking=Booking.objects.get(client__email=f.racer(1).email), by_client=True)
    client.force_login(olivia)
    assert act(client, full_session, line[0], "remove").status_code == 200
    line[0].refresh_from_db()
    line[1].refresh_from_db()
    assert (line[0].status, line[1].status) == (WaitlistStatus.REMOVED, WaitlistStatus.OFFERED)


def test_an_unknown_action_is_a_404_and_clients_are_kept_out(client, olivia, carla, full_session, line):
    client.force_login(olivia)
    assert act(client, full_session, line[0], "promote").status_code == 404
    client.force_login(carla)
    assert act(client, full_session, line[0], "remove").status_code in (302, 403)
    line[0].refresh_from_db()
    assert line[0].status == WaitlistStatus.WAITING
