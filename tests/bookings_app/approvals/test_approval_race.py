"""Two owners approving overlapping requests at the same moment: exactly one wins."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from bookings_app.errors import BookingError
from bookings_app.models import Booking, BookingStatus, Service, Session
from bookings_app.services.bookings import book_appointment
from bookings_app.services.clients import ClientDetails
from bookings_app.services.requests import approve_request
from tests import factories as f


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
    gate = threading.Barrier(len(requests))

    def approve(booking: Booking) -> str:
        try:
            gate.wait(timeout=30)
            approve_request(booking=booking, by=None)
            return "approved"
        except BookingError:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        outcomes = list(pool.map(approve, requests))

    assert outcomes.count("approved") == 1
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 1
    assert Session.objects.filter(staff=nina, status="scheduled").count() == 1
    assert Booking.objects.filter(status=BookingStatus.REQUESTED).count() == 5
    assert Service.objects.get(pk=therapy.pk).requires_approval
