"""What the public pages say to a client: what they may still do and until when, who to contact,
what was sent, and a withdrawn request called withdrawn."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app import links
from bookings_app.models import ServiceKind
from tests import factories as make

pytestmark = pytest.mark.django_db

IN_A_WEEK = make.next_weekday(2, after=timezone.localdate() + timedelta(days=6))


@pytest.fixture
def nina():
    make.business(time_zone="Europe/Paris", cancel_window_hours=24)
    return make.staff_member("Nina")


@pytest.fixture
def massage(nina):
    return make.service("Massage", staff=[nina])


def alices(service, start):
    return make.booking(make.session(service, service.staff.get(), start), make.client("Alice"))


def page(client, name: str, booking) -> str:
    path = links.manage_path(booking).replace("/manage/", "/booked/") if name == "confirmation" \
        else links.manage_path(booking)
    return client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("name", ["confirmation", "manage"])
def test_it_says_until_when_the_client_may_cancel_or_reschedule(client, massage, name):
    booking = alices(massage, make.local(IN_A_WEEK, "10:00"))
    deadline = IN_A_WEEK - timedelta(days=1)

    html = page(client, name, booking)

    assert f"You can cancel or reschedule this booking until {deadline:%A}, {deadline.day} {deadline:%B %Y}, " in html
    assert "\u206610:00\u2069" in html


@pytest.mark.parametrize("name", ["confirmation", "manage"])
def test_it_says_whom_to_contact_once_the_window_has_passed(client, massage, name):
    booking = alices(massage, timezone.now() + timedelta(hours=3))

    html = page(client, name, booking)

    assert "Changes online were possible until" in html
    assert "mailto:" in html
    assert "Cancel or reschedule this booking" not in html
    assert "You can cancel" not in html


def test_it_offers_a_course_only_cancelling(client, nina):
    pottery = make.service("Pottery", kind=ServiceKind.COURSE, staff=[nina])
    booking = alices(pottery, make.local(IN_A_WEEK, "18:00"))

    html = page(client, "confirmation", booking)

    assert "You can cancel this booking until" in html
    assert "or reschedule this booking" not in html
