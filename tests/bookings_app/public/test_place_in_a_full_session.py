"""A client who already holds the last place of a class session is told so, not that it is full."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Booking, ServiceKind
from tests import factories as f

PLACE_HELD = "You already have a place in this session."
FULL = "Sorry, this session is full."


@pytest.fixture
def full_yoga(db, carla):
    """A yoga session of one seat, taken by Carla (signed-in client) for next week."""
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=3)
    session = f.session(yoga, nina, timezone.now() + timedelta(days=7), capacity=1)
    f.booking(session, f.client("Carla", email=carla.email, user=carla))
    return yoga, session


def test_it_shows_carla_her_place_on_the_booking_page_of_the_full_session(client, carla, full_yoga):
    yoga, session = full_yoga
    client.force_login(carla)

    page = client.get(reverse("public:book_session", args=[yoga.slug, session.pk])).content.decode()

    assert PLACE_HELD in page
    assert FULL not in page


def test_it_marks_the_full_session_as_hers_in_the_list_of_sessions(client, carla, full_yoga):
    yoga, session = full_yoga
    client.force_login(carla)

    page = client.get(yoga.get_absolute_url()).content.decode()

    assert "You have a place" in page
    assert "Full" not in page


def test_it_still_shows_the_session_full_to_someone_else(client, olivia, full_yoga):
    yoga, session = full_yoga

    page = client.get(reverse("public:book_session", args=[yoga.slug, session.pk])).content.decode()

    assert FULL in page
    assert PLACE_HELD not in page


def test_it_tells_carla_she_has_a_place_when_she_submits_for_the_full_session(client, full_yoga):
    yoga, session = full_yoga
    form = {
        "first_name": "Carla",
        "last_name": "Rossi",
        "email": "carla@client.test",
        "request_key": "c" * 32,
    }

    response = client.post(reverse("public:book_session", args=[yoga.slug, session.pk]), form)

    page = response.content.decode()
    assert response.status_code == 400
    assert PLACE_HELD in page
    assert FULL not in page
    assert Booking.objects.filter(session=session).count() == 1


def test_it_tells_her_in_french_too(client, carla, full_yoga):
    yoga, session = full_yoga
    client.force_login(carla)

    page = client.get(
        reverse("public:book_session", args=[yoga.slug, session.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()

    assert "Vous avez déjà une place" in page
