"""Booking requests: requested, approved, rescheduled, declined, expired — once each."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings_app.core.errors import InvalidTransition, SlotUnavailable
from bookings_app.models import BookingStatus, DomainEvent, EventKind, OutgoingEmail, Service, ServiceKind
from bookings_app.selectors import availability
from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.requests import (
    approve_request,
    decline_request,
    expire_requests,
    remind_about_waiting_requests,
    reschedule_request,
)
from tests import factories as f

ALICE = ClientDetails(email="alice@client.test", first_name="Alice", language="fr")
BOB = ClientDetails(email="bob@client.test", first_name="Bob")


@pytest.fixture
def therapy(db, olivia):
    f.business()
    nina = f.staff_member("Nina")
    service = f.service("Therapy", staff=[nina], requires_approval=True)
    day = f.next_weekday(0, after=timezone.localdate() + timedelta(days=3))
    return service, nina, day


def _request(service, day, details=ALICE, at="10:00"):
    return book_appointment(service=service, start=f.local(day, at), details=details)


def test_a_booking_for_an_approval_service_is_a_request_that_tells_everyone(therapy, olivia):
    service, nina, day = therapy
    booking = _request(service, day)
    assert booking.status == BookingStatus.REQUESTED
    assert booking.session.status == "tentative"
    assert DomainEvent.objects.filter(kind=EventKind.BOOKING_REQUESTED, booking=booking).exists()
    client_mail = OutgoingEmail.objects.get(booking=booking, kind="request_received")
    assert client_mail.to == "alice@client.test" and client_mail.language == "fr"
    team = set(OutgoingEmail.objects.filter(kind="team_request_new").values_list("to", flat=True))
    assert team == {olivia.email, nina.email}


def test_the_team_notice_links_to_the_requests_inbox_at_the_sites_address(therapy, settings):
    settings.SITE_URL = "https://book.studio.example/"
    service, _, day = therapy
    _request(service, day)

    notice = OutgoingEmail.objects.filter(kind="team_request_new").first()
    assert "https://book.studio.example/dashboard/requests/" in notice.body_text


def test_with_shared_requests_off_a_pending_request_holds_the_slot(therapy):
    service, nina, day = therapy
    _request(service, day)
    assert not availability.is_slot_free(service=service, staff=nina, start=f.local(day, "10:00"))
    with pytest.raises(SlotUnavailable):
        _request(service, day, BOB)


def test_with_shared_requests_on_others_may_request_the_same_slot_until_one_is_approved(
    therapy, olivia, as_sent
):
    service, nina, day = therapy
    Service.objects.filter(pk=service.pk).update(shared_requests=True)
    service.refresh_from_db()
    first, second = _request(service, day), _request(service, day, BOB)
    assert availability.is_slot_free(service=service, staff=nina, start=f.local(day, "10:00"))
    approve_request(booking=first, by=olivia)
    assert not availability.is_slot_free(service=service, staff=nina, start=f.local(day, "10:00"))
    with pytest.raises(SlotUnavailable):
        approve_request(booking=second, by=olivia)
    second.refresh_from_db()
    assert second.status == BookingStatus.REQUESTED
    decline_request(booking=second, by=olivia, message="Tuesday is free")
    assert (
        "Tuesday is free"
        in as_sent(OutgoingEmail.objects.get(booking=second, kind="request_declined")).body_text
    )


def test_approving_confirms_and_sends_the_confirmation_with_the_calendar_file(therapy, olivia, as_sent):
    service, _, day = therapy
    booking = approve_request(booking=_request(service, day), by=olivia)
    assert booking.status == BookingStatus.CONFIRMED and booking.decided_by == olivia
    booking.session.refresh_from_db()
    assert booking.session.status == "scheduled"
    confirmation = as_sent(OutgoingEmail.objects.get(booking=booking, kind="confirmation"))
    assert confirmation.attachments[0]["filename"].endswith(".ics")
    assert DomainEvent.objects.filter(kind=EventKind.BOOKING_APPROVED, booking=booking).exists()


def test_approving_twice_or_after_a_decline_changes_nothing_and_sends_nothing(therapy, olivia):
    service, _, day = therapy
    booking = approve_request(booking=_request(service, day), by=olivia)
    sent = OutgoingEmail.objects.count()
    with pytest.raises(InvalidTransition):
        approve_request(booking=booking, by=olivia)
    other = _request(service, day, BOB, at="14:00")
    decline_request(booking=other, by=olivia, notify=False)
    with pytest.raises(InvalidTransition):
        approve_request(booking=other, by=olivia)
    # Only Bob's receipt and the notice to Olivia and Nina; nothing for the refused approvals.
    assert OutgoingEmail.objects.count() == sent + 3


def test_reschedule_then_approve_moves_it_keeps_the_note_private_and_tells_the_client(
    therapy, olivia, as_sent
):
    service, nina, day = therapy
    omar = f.staff_member("Omar")
    service.staff.add(omar)
    booking = _request(service, day)
    new_start = f.local(day, "15:00")
    reschedule_request(
        booking=booking,
        start=new_start,
        staff=omar,
        by=olivia,
        private_note="Client prefers Omar",
        notify=True,
        message="See you at three",
    )
    booking.refresh_from_db()
    assert (booking.status, booking.session.start, booking.session.staff) == ("confirmed", new_start, omar)
    assert booking.notes == "Client prefers Omar"
    mail = as_sent(OutgoingEmail.objects.get(booking=booking, kind="confirmation"))
    assert "See you at three" in mail.body_text and "prefers Omar" not in mail.body_text


def test_rescheduling_a_request_into_a_taken_slot_is_refused(therapy, olivia):
    service, nina, day = therapy
    Service.objects.filter(pk=service.pk).update(requires_approval=False)
    service.refresh_from_db()
    book_appointment(service=service, start=f.local(day, "15:00"), details=BOB)
    Service.objects.filter(pk=service.pk).update(requires_approval=True)
    service.refresh_from_db()
    booking = _request(service, day)
    with pytest.raises(SlotUnavailable):
        reschedule_request(booking=booking, start=f.local(day, "15:30"), staff=nina, by=olivia)
    booking.refresh_from_db()
    assert booking.status == "requested" and booking.session.start == f.local(day, "10:00")


def test_overlapping_requests_are_declined_with_the_message_when_the_switch_is_on(therapy, olivia, as_sent):
    service, _, day = therapy
    Service.objects.filter(pk=service.pk).update(
        shared_requests=True, decline_overlapping_requests=True, overlap_decline_message="That hour is taken"
    )
    service.refresh_from_db()
    first, second = _request(service, day), _request(service, day, BOB, at="10:30")
    approve_request(booking=first, by=olivia)
    second.refresh_from_db()
    assert second.status == BookingStatus.DECLINED
    assert (
        "That hour is taken"
        in as_sent(OutgoingEmail.objects.get(booking=second, kind="request_declined")).body_text
    )


def test_a_request_whose_start_passed_expires_once_and_the_client_is_told(therapy):
    service, _, day = therapy
    booking = _request(service, day)
    later = booking.session.start + timedelta(minutes=1)
    assert expire_requests(now=later) == 1
    assert expire_requests(now=later) == 0
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
    assert OutgoingEmail.objects.filter(booking=booking, kind="request_expired").count() == 1
    with pytest.raises(InvalidTransition):
        approve_request(booking=booking, by=None, now=later)


def test_the_team_is_reminded_once_of_a_request_waiting_too_long(therapy):
    service, _, day = therapy
    booking = _request(service, day)
    assert remind_about_waiting_requests(now=booking.created_at + timedelta(hours=1)) == 0
    assert remind_about_waiting_requests(now=booking.created_at + timedelta(hours=25)) == 1
    assert remind_about_waiting_requests(now=booking.created_at + timedelta(hours=26)) == 0
    assert OutgoingEmail.objects.filter(kind="team_request_waiting").exists()


def test_a_notice_threshold_confirms_bookings_made_well_ahead(therapy):
    service, _, day = therapy
    Service.objects.filter(pk=service.pk).update(approval_notice_hours=24)
    service.refresh_from_db()
    assert _request(service, day).status == BookingStatus.CONFIRMED
    soon = timezone.now() + timedelta(hours=5)
    assert service.needs_approval(notice=soon - timezone.now())


def test_the_owner_booking_from_the_dashboard_is_confirmed_directly(therapy):
    from bookings_app.models import BookingSource

    service, _, day = therapy
    booking = book_appointment(
        service=service, start=f.local(day, "10:00"), details=ALICE, source=BookingSource.DASHBOARD
    )
    assert booking.status == BookingStatus.CONFIRMED


def test_the_database_refuses_approval_on_a_class(db):
    f.business()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.service("Yoga", kind=ServiceKind.CLASS, capacity=10, requires_approval=True)


def test_a_class_with_approval_is_refused_with_a_message_by_validation(db):
    service = Service(name="Yoga", slug="yoga", kind=ServiceKind.CLASS, capacity=10, requires_approval=True)
    with pytest.raises(ValidationError, match="appointments only"):
        service.full_clean()
