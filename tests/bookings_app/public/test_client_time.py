"""The client's time zone: one rule for every public page and the links in e-mails."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.models import Booking, ServiceKind
from bookings_app.web import links
from bookings_app.web.accounts import user_for_client
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """A visitor reading French, whose clock is 24-hour whatever the owner chose for English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    return client


JERUSALEM = "Asia%2FJerusalem"  # as static/js/timezone.js writes the cookie


@pytest.fixture
def yoga():
    """Yoga at 18:30 Paris time in three days: 19:30 in Jerusalem, 12:30 in New York."""
    make.business(time_zone="Europe/Paris")
    nina = make.staff_member("Nina")
    yoga = make.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10, duration_minutes=45)
    make.session(yoga, nina, make.local(timezone.localdate() + timedelta(days=3), "18:30"))
    return yoga


@pytest.fixture
def alices_yoga(yoga):
    alice = make.client("Alice", time_zone="Europe/Paris")
    return make.booking(yoga.sessions.get(), alice)


def test_it_reads_the_url_encoded_cookie_the_browser_writes(client, yoga):
    client.cookies["tz"] = JERUSALEM

    page = client.get(yoga.get_absolute_url()).content.decode()

    assert "19:30" in page
    assert "Asia/Jerusalem" in page


def test_it_shows_the_business_zone_for_a_cookie_that_is_no_zone(client, yoga):
    client.cookies["tz"] = "Mars%2FOlympus"

    response = client.get(yoga.get_absolute_url())

    assert response.status_code == 200
    assert "18:30" in response.content.decode()


def test_it_shows_my_bookings_in_the_same_zone_as_the_service_page(client, yoga, alices_yoga):
    client.force_login(user_for_client(alices_yoga.client))
    client.cookies["tz"] = JERUSALEM

    service_page = client.get(yoga.get_absolute_url()).content.decode()
    my_bookings = client.get("/my/").content.decode()

    assert "19:30" in service_page
    assert "19:30" in my_bookings
    assert "18:30" not in my_bookings


def test_it_carries_the_zone_of_the_e_mail_in_its_manage_link(alices_yoga):
    assert links.manage_url(alices_yoga).endswith("?tz=Europe%2FParis")


def test_it_shows_the_e_mail_s_times_on_the_page_its_link_opens(client, alices_yoga):
    client.cookies["tz"] = JERUSALEM
    path = links.manage_url(alices_yoga).split("/", 3)[3]

    page = client.get(f"/{path}").content.decode()

    assert "18:30" in page
    assert "19:30" not in page


def test_it_writes_a_new_client_s_e_mails_in_the_zone_they_booked_in(client, yoga):
    client.cookies["tz"] = "America%2FNew_York"
    session = yoga.sessions.get()

    response = client.post(
        f"/s/{yoga.slug}/sessions/{session.pk}/book/",
        {
            "first_name": "Bob",
            "last_name": "Brown",
            "email": "bob@client.test",
            "phone": "",
            "request_key": "a" * 32,
        },
    )

    booking = Booking.objects.get(client__email="bob@client.test")
    assert response.status_code == 303
    assert booking.client.time_zone == "America/New_York"
    assert links.manage_url(booking).endswith("?tz=America%2FNew_York")
