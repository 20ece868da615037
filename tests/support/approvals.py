"""Clients asking for the therapy of the approvals' studio (tests/bookings_app/approvals/conftest.py)."""

from bookings_app.models import Booking
from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from tests import factories as f

ALICE = ClientDetails(email="alice@client.test", first_name="Alice", last_name="Martin")
BOB = ClientDetails(email="bob@client.test", first_name="Bob")


def request_therapy(studio, details=ALICE, *, at="10:00", staff=None, answers=None) -> Booking:
    """A request for the therapy on the studio's day, waiting for the owner's answer."""
    return book_appointment(
        service=studio["therapy"],
        start=f.local(studio["day"], at),
        staff=staff or studio["nina"],
        details=details,
        answers=answers or {},
    )
