"""The waitlist's public pages: a full session offers to join, the entry's page, taking a seat, leaving."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.models import (
    Booking,
    BookingStatus,
    OutgoingEmail,
    ServiceKind,
    WaitlistEntry,
    WaitlistStatus,
)
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.changes import cancel_booking
from bookings_app.services.waitlist import join_waitlist
from bookings_app.web import links
from bookings_app.web.accounts import user_for_client
from tests import factories as f

pytestmark = pytest.mark.django_db

DETAILS = {"first_name": "Carol", "last_name": "Stone", "email": "carol@client.test", "phone": ""}


@pytest.fixture
def full_session():
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service(
        "Yoga",
        kind=ServiceKind.CLASS,
        staff=[nina],
        capacity=1,
        price=0,
        waitlist_enabled=True,
        waitlist_max=2,
    )
    session = f.session(yoga, nina, timezone.now() + timedelta(days=2))
    book_class_seat(session=session, details=f.racer(1))
    return session


def join_url(session) -> str:
    return f"/s/{session.service.slug}/sessions/{session.pk}/waitlist/"


def test_in_a_frame_on_the_owners_website_joining_opens_in_the_whole_window(client, full_session):
    """The waitlist's own page is not part of the embedded flow: framed, it would be refused."""
    page = client.get(f"/embed/s/{full_session.service.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    link = re.search(r'<a class="button" href="([^"]+)"([^>]*)>Join the waitlist</a>', page)
    assert link.group(1).startswith(join_url(full_session)) and 'target="_top"' in link.group(2)


def form_data(page, **fields) -> dict:
    key = re.search(r'name="request_key" value="([0-9a-f]{32})"', page.content.decode()).group(1)
    return {**DETAILS, "request_key": key, **fields}


def test_a_full_session_offers_the_waitlist_instead_of_booking(client, full_session):
    page = client.get(f"/s/{full_session.service.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert join_url(full_session) in page.content.decode()
    assert "Join the waitlist" in page.content.decode()


def test_a_full_line_says_so_instead_of_offering_to_join(client, full_session):
    join_waitlist(session=full_session, details=f.racer(2))
    join_waitlist(session=full_session, details=f.racer(3))  # the line's length is two
    html = client.get(f"/s/{full_session.service.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Waitlist full" in html
    assert join_url(full_session) not in html


def test_without_a_waitlist_a_full_session_only_says_full(client, full_session):
    full_session.service.waitlist_enabled = False
    full_session.service.save()
    page = client.get(f"/s/{full_session.service.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Join the waitlist" not in page.content.decode()
    assert client.get(join_url(full_session)).status_code == 404


def test_joining_asks_the_booking_details_and_shows_the_place_in_line(client, full_session):
    page = client.get(join_url(full_session), HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(join_url(full_session), form_data(page), HTTP_ACCEPT_LANGUAGE="en")

    entry = WaitlistEntry.objects.get(client__email="carol@client.test")
    assert response.status_code == 303
    assert response["Location"].startswith(links.waitlist_path(entry))
    shown = client.get(links.waitlist_path(entry), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your place in line: 1" in shown
    assert "Leave the waitlist" in shown


def test_bad_details_are_shown_next_to_the_field_and_nothing_is_written(client, full_session):
    page = client.get(join_url(full_session), HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(join_url(full_session), form_data(page, email="not-an-e-mail"))
    assert response.status_code == 400
    assert not WaitlistEntry.objects.exists()


def test_a_refused_join_says_why_with_a_409(client, full_session):
    page = client.get(join_url(full_session), HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        join_url(full_session), form_data(page, email=f.racer(1).email), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    assert "You already have a place in this session." in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_the_offer_link_takes_the_seat_and_books(client, full_session):
    entry = join_waitlist(session=full_session, details=f.racer(2))
    cancel_booking(booking=Booking.objects.get(client__email=f.racer(1).email), by_client=True)
    offer = OutgoingEmail.objects.get(kind="waitlist_offer")
    path = re.search(r"https?://[^/\s]+(/waitlist/\S+?)\?", offer.body_text).group(1)
    assert path == links.waitlist_path(entry)

    page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert "A seat is free for you" in page.content.decode()
    response = client.post(f"{path}accept/", HTTP_ACCEPT_LANGUAGE="en")

    booking = Booking.objects.get(client__email=f.racer(2).email)
    assert booking.status == BookingStatus.CONFIRMED
    assert response.status_code == 303
    assert response["Location"].startswith(f"/booked/{links.manage_token(booking)}/")
    again = client.post(f"{path}accept/", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 409
    assert "no longer valid" in again.content.decode()


def test_leaving_takes_the_client_out_of_the_line(client, full_session):
    entry = join_waitlist(session=full_session, details=f.racer(2))
    response = client.post(f"{links.waitlist_path(entry)}leave/")
    assert response.status_code == 303
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.LEFT


def test_a_tampered_link_is_a_404(client, full_session):
    assert client.get("/waitlist/42:forged/").status_code == 404
    assert client.post("/waitlist/42:forged/accept/").status_code == 404


def test_my_bookings_shows_the_place_in_line(client, full_session):
    entry = join_waitlist(session=full_session, details=f.racer(2))
    client.force_login(user_for_client(entry.client))
    html = client.get("/my/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Place in line: 1" in html
    assert links.waitlist_path(entry) in html


@pytest.mark.parametrize("lines", [1, 8])
def test_my_bookings_reads_the_places_in_line_in_two_queries_however_many(
    client, full_session, django_assert_num_queries, lines
):
    carol = f.client("Carol")
    for day in range(lines):
        session = f.session(
            full_session.service, full_session.staff, full_session.start + timedelta(days=day + 1)
        )
        book_class_seat(session=session, details=f.racer(100 + day))
        join_waitlist(session=session, details=f.racer(200 + day))  # someone ahead of Carol
        WaitlistEntry.objects.create(session=session, client=carol, position=9, joined_at=timezone.now())
    client.force_login(user_for_client(carol))

    # the same for 1 or 8 lines: the entries and who waits ahead in their lines are two queries
    with django_assert_num_queries(11):  # and one for the client's plans
        html = client.get("/my/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert html.count("Place in line: 2") == lines
