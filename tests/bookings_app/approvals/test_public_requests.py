"""What a client sees of a request: the confirmation and manage pages, withdrawing, My bookings."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from bookings_app.models import Booking, BookingStatus, Client, Service
from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.requests import approve_request, decline_request, expire_requests
from bookings_app.web import links
from tests import factories as f

ALICE = ClientDetails(email="alice@client.test", first_name="Alice")


@pytest.fixture
def therapy(db):
    f.business()
    nina = f.staff_member("Nina", hours={d: [("09:00", "17:00")] for d in range(7)})
    return f.service("Therapy", staff=[nina], requires_approval=True)


def _request(therapy, *, days: int = 3, at: str = "10:00", details=ALICE) -> Booking:
    start = f.local(date.today() + timedelta(days=days), at)
    return book_appointment(service=therapy, start=start, details=details)


def _confirmation_path(booking: Booking) -> str:
    return reverse("public:confirmation", args=[links.manage_token(booking)])


def test_the_confirmation_says_the_request_waits_for_approval(client, therapy):
    page = client.get(_confirmation_path(_request(therapy))).content.decode()
    assert "Request sent — waiting for approval" in page
    assert "Add to Google Calendar" not in page


def test_the_manage_page_of_a_request_offers_to_withdraw_but_not_to_reschedule(client, therapy):
    response = client.get(links.manage_path(_request(therapy)))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Request sent — waiting for approval." in page and "Withdraw my request" in page
    assert 'id="reschedule-title"' not in page


def test_a_client_withdraws_a_request_and_the_slot_is_free_again(client, therapy):
    booking = _request(therapy)
    response = client.post(reverse("public:cancel", args=[links.manage_token(booking)]))
    assert response.status_code == 303
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert _request(therapy, details=ClientDetails(email="bob@client.test", first_name="Bob")).pk


def test_a_client_cannot_move_a_request(client, therapy):
    booking = _request(therapy)
    start = f.local(date.today() + timedelta(days=3), "14:00")
    response = client.post(
        f"{reverse('public:reschedule', args=[links.manage_token(booking)])}?start={start.isoformat()}"
    )
    assert response.status_code == 400
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED and booking.session.start.hour != 13


def test_an_approved_request_reads_as_a_confirmed_booking(client, therapy, olivia):
    booking = approve_request(booking=_request(therapy), by=olivia)
    page = client.get(links.manage_path(booking)).content.decode()
    assert "Your booking" in page and "Confirmed" in page and "waiting for approval" not in page
    assert 'id="reschedule-title"' in page


@pytest.mark.parametrize("outcome, wording", [("declined", "Declined"), ("expired", "Expired")])
def test_a_closed_request_says_so_on_both_pages(client, therapy, olivia, outcome, wording):
    booking = _request(therapy)
    if outcome == "declined":
        decline_request(booking=booking, by=olivia, notify=False)
    else:
        expire_requests(now=booking.session.start + timedelta(minutes=1))
    manage = client.get(links.manage_path(booking)).content.decode()
    assert f"{wording}:" in manage and "Choose another time" in manage and "Withdraw" not in manage
    assert "booking.ics" not in manage
    confirmation = client.get(_confirmation_path(booking)).content.decode()
    assert f"Request {outcome}" in confirmation and "booking.ics" not in confirmation


@pytest.mark.parametrize("name", ["manage", "cancel", "confirmation", "reschedule"])
def test_a_tampered_link_is_not_found(client, therapy, name):
    booking = _request(therapy)
    token = links.manage_token(booking)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse(f"public:{name}", args=[tampered])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_my_bookings_shows_each_request_with_its_status(client, therapy, olivia, carla):
    details = ClientDetails(email=carla.email, first_name="Carla")
    Service.objects.filter(pk=therapy.pk).update(shared_requests=True)
    therapy.refresh_from_db()
    waiting = _request(therapy, details=details, days=4, at="09:00")
    approve_request(booking=_request(therapy, details=details, days=4, at="11:00"), by=olivia)
    decline_request(booking=_request(therapy, details=details, days=4, at="13:00"), by=olivia, notify=False)
    expired = _request(therapy, details=details, at="15:00")
    expire_requests(now=expired.session.start + timedelta(minutes=1))
    Client.objects.filter(pk=waiting.client_id).update(user=carla)
    client.force_login(carla)
    page = client.get("/my/").content.decode()
    assert 'badge--warn">Requested' in page and 'badge--ok">Approved' in page
    assert "Declined" in page and "Expired" in page
