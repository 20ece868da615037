"""A pending request is answered where the owner finds it: its booking page and the calendar panel."""

from bookings_app.models import Booking, BookingStatus
from tests.support.approvals import request_therapy


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_offers_approve_reschedule_decline_on_the_booking_page_not_paid_or_cancel(client, olivia, studio):
    booking = request_therapy(studio)
    client.force_login(olivia)

    html = _page(client, f"/dashboard/bookings/{booking.pk}/")

    assert f"/dashboard/requests/{booking.pk}/approve/" in html
    assert f"/dashboard/requests/{booking.pk}/reschedule/" in html
    assert f"/dashboard/requests/{booking.pk}/decline/" in html
    assert "Mark as paid" not in html and "Cancel booking" not in html


def test_it_offers_the_answers_in_the_calendar_panel(client, olivia, studio):
    booking = request_therapy(studio)
    client.force_login(olivia)

    html = _page(client, f"/dashboard/calendar/bookings/{booking.pk}/")

    assert f"/dashboard/requests/{booking.pk}/approve/" in html
    assert f"/dashboard/requests/{booking.pk}/decline/" in html


def test_it_returns_to_the_booking_page_after_approving_there(client, olivia, studio):
    booking = request_therapy(studio)
    client.force_login(olivia)
    page = f"/dashboard/bookings/{booking.pk}/"

    response = client.post(f"/dashboard/requests/{booking.pk}/approve/", {"next": page})

    assert response.status_code == 302 and response["Location"] == page
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_it_does_not_follow_a_next_address_off_the_site(client, olivia, studio):
    booking = request_therapy(studio)
    client.force_login(olivia)

    response = client.post(f"/dashboard/requests/{booking.pk}/approve/", {"next": "https://evil.test/"})

    assert response["Location"] == "/dashboard/requests/"
