"""Two owners approving overlapping requests at the same moment: exactly one wins."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.core.errors import BookingError
from bookings_app.models import Booking, BookingStatus, Service, Session
from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.requests import approve_request
from tests import factories as f
from tests.support.races import in_words, race


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_of_overlapping_requests_confirm_exactly_one():
    f.business()
    nina = f.staff_member("Nina")
    therapy = f.service("Therapy", staff=[nina], requires_approval=True, shared_requests=True)
    day = f.next_weekday(1, after=timezone.localdate() + timedelta(days=3))
    requests = [
        book_appointment(
            service=therapy,
            start=f.local(day, at),
            details=ClientDetails(email=f"client{i}@race.test", first_name=f"Client {i}"),
        )
        for i, at in enumerate(["10:00", "10:30", "10:00", "10:30", "10:00", "10:30"])
    ]
    outcomes = race(lambda booking: approve_request(booking=booking, by=None), requests, refused=BookingError)

    assert in_words(outcomes, success="approved").count("approved") == 1
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 1
    assert Session.objects.filter(staff=nina, status="scheduled").count() == 1
    assert Booking.objects.filter(status=BookingStatus.REQUESTED).count() == 5
    assert Service.objects.get(pk=therapy.pk).requires_approval
