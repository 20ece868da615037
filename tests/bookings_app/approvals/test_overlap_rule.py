"""One overlap rule: the inbox marks a request as conflicting exactly when approving it is refused."""

from datetime import date, timedelta

import pytest

from bookings_app.core.errors import SlotUnavailable
from bookings_app.models import Booking, BookingSource, BookingStatus
from bookings_app.selectors import requests_ever
from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.requests import approve_request
from tests import factories as f


@pytest.fixture
def studio(db, olivia):
    f.business(time_zone="Europe/Paris")
    nina = f.staff_member("Nina", hours={d: [("09:00", "17:00")] for d in range(7)})
    therapy = f.service("Therapy", staff=[nina], requires_approval=True, shared_requests=True)
    return {"nina": nina, "therapy": therapy, "day": date.today() + timedelta(days=3), "olivia": olivia}


def _book(studio, *, at: str, email: str, source: str = BookingSource.ONLINE) -> Booking:
    return book_appointment(
        service=studio["therapy"],
        start=f.local(studio["day"], at),
        staff=studio["nina"],
        details=ClientDetails(email=email, first_name="Client"),
        source=source,
    )


@pytest.mark.parametrize(("confirmed_at", "conflicts"), [("10:30", True), ("13:00", False)])
def test_the_inbox_flags_what_approving_refuses(studio, confirmed_at, conflicts):
    request = _book(studio, at="10:00", email="alice@client.test")
    _book(studio, at=confirmed_at, email="zoe@client.test", source=BookingSource.DASHBOARD)

    assert requests_ever().get(pk=request.pk).has_conflict is conflicts
    if conflicts:
        with pytest.raises(SlotUnavailable):
            approve_request(booking=request, by=studio["olivia"])
    else:
        approve_request(booking=request, by=studio["olivia"])
        assert Booking.objects.get(pk=request.pk).status == BookingStatus.CONFIRMED
