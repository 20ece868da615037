"""The owner cancels a session from the calendar's session panel; staff only read it."""

import json

import pytest
from django.urls import reverse

from bookings_app.models import Booking, BookingStatus, Session, SessionStatus

pytestmark = pytest.mark.django_db


def _panel(client, session):
    return client.get(reverse("dashboard:calendar_session", args=[session.pk]), HTTP_HX_REQUEST="true")


def _cancel(client, session, **data):
    url = reverse("dashboard:calendar_session_cancel", args=[session.pk])
    return client.post(url, {"notify": "on", **data}, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")


def test_the_owner_sees_how_to_cancel_and_what_it_will_do(client, olivia, full_thursday, thursday):
    client.force_login(olivia)
    html = _panel(client, thursday).content.decode()
    assert "Cancel this session" in html
    assert "4 clients are booked" in html  # three booked, one paying


def test_staff_see_the_panel_without_the_cancel_form_and_cannot_post_it(client, sam, thursday):
    client.force_login(sam)
    assert "Cancel this session" not in _panel(client, thursday).content.decode()
    assert _cancel(client, thursday).status_code == 403
    thursday.refresh_from_db()
    assert thursday.status == SessionStatus.SCHEDULED


def test_cancelling_answers_with_what_was_done_and_reloads_the_calendar(
    client, olivia, full_thursday, thursday
):
    client.force_login(olivia)
    response = _cancel(client, thursday, message="Nina is ill.")

    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"calendarChanged": thursday.pk}
    html = response.content.decode()
    assert "Session cancelled. 3 bookings were cancelled." in html
    assert "1 refund is on its way." in html
    assert "2 clients were taken off the waitlist." in html
    assert "Cancel this session" not in html
    assert Booking.objects.filter(session=thursday, status=BookingStatus.CANCELLED).count() == 3


def test_a_second_cancel_is_refused_with_the_reason(client, olivia, thursday):
    client.force_login(olivia)
    _cancel(client, thursday)
    response = _cancel(client, thursday)
    assert response.status_code == 409
    assert "This session is already cancelled." in response.content.decode()


def test_a_message_too_long_is_refused_next_to_the_field_and_nothing_changes(
    client, olivia, full_thursday, thursday
):
    client.force_login(olivia)
    response = _cancel(client, thursday, message="x" * 1001)
    assert response.status_code == 400
    assert "at most 1000 characters" in response.content.decode()
    assert Session.objects.get(pk=thursday.pk).status == SessionStatus.SCHEDULED
    assert not Booking.objects.filter(status=BookingStatus.CANCELLED).exists()


def test_a_plain_form_post_works_without_javascript(client, olivia, thursday):
    client.force_login(olivia)
    url = reverse("dashboard:calendar_session_cancel", args=[thursday.pk])
    response = client.post(url, {"message": ""})
    assert response.status_code == 200
    assert "Session cancelled." in response.content.decode()
