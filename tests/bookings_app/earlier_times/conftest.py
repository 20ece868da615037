"""Nina gives massages Monday to Friday, 9 to 17; Alice is booked at 10:00 on a Monday, Bob at
15:00 and Carla at 16:00, and both of them would rather come earlier."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from tests import factories as f

ALICE = ClientDetails(email="alice@client.test", first_name="Alice")
BOB = ClientDetails(email="bob@client.test", first_name="Bob")
CARLA = ClientDetails(email="carla@client.test", first_name="Carla", language="he")


@pytest.fixture
def studio(db):
    return f.business()


@pytest.fixture
def nina(studio):
    return f.staff_member("Nina")


@pytest.fixture
def massage(nina):
    return f.service("Massage", staff=[nina])


@pytest.fixture
def monday(studio):
    return f.next_weekday(0, after=timezone.localdate() + timedelta(days=3))


@pytest.fixture
def book(massage, monday):
    def book(details, at, *, service=None, staff=None, **fields):
        return book_appointment(
            service=service or massage, start=f.local(monday, at), details=details, staff=staff, **fields
        )

    return book


@pytest.fixture
def alice(book):
    return book(ALICE, "10:00")


@pytest.fixture
def bob(book):
    return book(BOB, "15:00")


@pytest.fixture
def carla(book):
    return book(CARLA, "16:00")
