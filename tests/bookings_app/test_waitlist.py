"""The waitlist of a full class: joining, leaving, a freed seat booked or offered, accepting, expiring."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from bookings_app.core.errors import AlreadyBooked, NotBookable, SessionFull
from bookings_app.models import (
    Booking,
    BookingStatus,
    DomainEvent,
    OutgoingEmail,
    PaymentPolicy,
    ServiceKind,
    Session,
    WaitlistEntry,
    WaitlistStatus,
)
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.changes import cancel_booking
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.payments import release_expired_holds
from bookings_app.services.waitlist import (
    AlreadyWaiting,
    OfferGone,
    SeatStillFree,
    WaitlistClosed,
    WaitlistFull,
    accept_offer,
    change_session_capacity,
    expire_offers,
    join_waitlist,
    leave_waitlist,
)
from tests import factories as f


def details(name: str) -> ClientDetails:
    return ClientDetails(email=f"{name}@client.test", first_name=name.title())


@pytest.fixture
def full_class(db):
    """A yoga session of two seats, taken by Alice and Bob; the waitlist holds three."""
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service(
        "Yoga",
        kind=ServiceKind.CLASS,
        staff=[nina],
        capacity=2,
        price=0,
        waitlist_enabled=True,
        waitlist_max=3,
    )
    session = f.session(yoga, nina, timezone.now() + timedelta(days=2))
    book_class_seat(session=session, details=details("alice"))
    book_class_seat(session=session, details=details("bob"))
    return session


def seats(session) -> int:
    session.refresh_from_db()
    return session.seats_taken


def alices_booking(session) -> Booking:
    return Booking.objects.get(session=session, client__email="alice@client.test")


def test_clients_join_the_line_in_order_up_to_its_length(full_class):
    entries = [join_waitlist(session=full_class, details=details(n)) for n in ("carol", "dan", "eve")]
    assert [e.position for e in entries] == [1, 2, 3]
    assert {e.status for e in entries} == {WaitlistStatus.WAITING}
    with pytest.raises(WaitlistFull):
        join_waitlist(session=full_class, details=details("fay"))
    assert DomainEvent.objects.filter(kind="waitlist.joined").count() == 3


def test_joining_is_refused_to_a_client_with_a_seat_twice_when_seats_are_free_and_after_the_start(full_class):
    with pytest.raises(AlreadyBooked):
        join_waitlist(session=full_class, details=details("alice"))
    join_waitlist(session=full_class, details=details("carol"))
    with pytest.raises(AlreadyWaiting):
        join_waitlist(session=full_class, details=details("carol"))
    with pytest.raises(NotBookable):
        join_waitlist(session=full_class, details=details("dan"), now=full_class.start + timedelta(minutes=1))
    other = f.session(full_class.service, full_class.staff, full_class.start + timedelta(days=1))
    with pytest.raises(SeatStillFree):
        join_waitlist(session=other, details=details("dan"))
    assert WaitlistEntry.objects.count() == 1


def test_a_service_without_a_waitlist_refuses_joining(full_class):
    full_class.service.waitlist_enabled = False
    full_class.service.save()
    with pytest.raises(WaitlistClosed):
        join_waitlist(session=full_class, details=details("carol"))


def test_a_cancellation_offers_the_seat_to_the_first_in_line_and_holds_it(full_class):
    carol = join_waitlist(session=full_class, details=details("carol"))
    dan = join_waitlist(session=full_class, details=details("dan"))
    cancel_booking(booking=alices_booking(full_class), by_client=True)

    carol.refresh_from_db()
    dan.refresh_from_db()
    assert carol.status == WaitlistStatus.OFFERED
    assert carol.offer_until - carol.offered_at == timedelta(hours=2)
    assert dan.status == WaitlistStatus.WAITING
    assert seats(full_class) == 2  # the offer holds the freed seat
    with pytest.raises(SessionFull):
        book_class_seat(session=full_class, details=details("zoe"))
    offer = OutgoingEmail.objects.get(kind="waitlist_offer")
    assert offer.to == "carol@client.test"
    assert "/waitlist/" in offer.body_text
    assert "A seat has freed up" in offer.body_text


def test_accepting_books_the_held_seat_without_counting_it_twice(full_class):
    carol = join_waitlist(session=full_class, details=details("carol"))
    cancel_booking(booking=alices_booking(full_class), by_client=True)
    carol.refresh_from_db()

    booking = accept_offer(entry=carol)

    assert booking.status == BookingStatus.CONFIRMED
    assert seats(full_class) == 2
    carol.refresh_from_db()
    assert (carol.status, carol.booking) == (WaitlistStatus.BOOKED, booking)
    assert DomainEvent.objects.filter(kind="waitlist.booked", booking=booking).count() == 1
    assert OutgoingEmail.objects.filter(kind="confirmation", booking=booking).count() == 1
    with pytest.raises(OfferGone):
        accept_offer(entry=carol)


def test_an_offer_runs_out_and_passes_to_the_next_client(full_class):
    carol = join_waitlist(session=full_class, details=details("carol"))
    dan = join_waitlist(session=full_class, details=details("dan"))
    cancel_booking(booking=alices_booking(full_class), by_client=True)
    later = timezone.now() + timedelta(hours=2, minutes=1)

    assert expire_offers(now=later) == 1
    assert expire_offers(now=later) == 0

    carol.refresh_from_db()
    dan.refresh_from_db()
    assert carol.status == WaitlistStatus.EXPIRED
    assert dan.status == WaitlistStatus.OFFERED
    assert seats(full_class) == 2
    with pytest.raises(OfferGone):
        accept_offer(entry=carol, now=later)
    assert DomainEvent.objects.filter(kind="waitlist.offer_expired").count() == 1


def test_the_last_offer_expiring_frees_the_seat_for_anyone(full_class):
    join_waitlist(session=full_class, details=details("carol"))
    cancel_booking(booking=alices_booking(full_class), by_client=True)
    expire_offers(now=timezone.now() + timedelta(hours=3))
    assert seats(full_class) == 1


def test_an_offer_never_runs_past_the_session_start(full_class):
    soon = timezone.now() + timedelta(minutes=30)
    Session.objects.filter(pk=full_class.pk).update(
        start=soon, blocked_start=soon, end=soon + timedelta(hours=1), blocked_end=soon + timedelta(hours=1)
    )
    full_class.refresh_from_db()
    carol = join_waitlist(session=full_class, details=details("carol"))
    cancel_booking(booking=alices_booking(full_class), by_client=False)
    carol.refresh_from_db()
    assert carol.offer_until == full_class.start


def test_leaving_an_offer_passes_the_seat_on(full_class):
    carol = join_waitlist(session=full_class, details=details("carol"))
    dan = join_waitlist(session=full_class, details=details("dan"))
    cancel_booking(booking=alices_booking(full_class), by_client=True)

    assert leave_waitlist(entry=carol) is True
    assert leave_waitlist(entry=carol) is False

    dan.refresh_from_db()
    assert dan.status == WaitlistStatus.OFFERED
    assert seats(full_class) == 2


def test_book_at_once_mode_books_the_first_client_in_the_same_transaction(full_class):
    full_class.service.waitlist_mode = "book"
    full_class.service.save()
    carol = join_waitlist(session=full_class, details=details("carol"))
    cancel_booking(booking=alices_booking(full_class), by_client=True)

    carol.refresh_from_db()
    assert carol.status == WaitlistStatus.BOOKED
    assert carol.booking.status == BookingStatus.CONFIRMED
    assert seats(full_class) == 2
    assert not OutgoingEmail.objects.filter(kind="waitlist_offer").exists()


def test_book_at_once_is_refused_for_a_service_paid_online(full_class):
    service = full_class.service
    service.payment_policy, service.price, service.waitlist_mode = PaymentPolicy.FULL, 20, "book"
    with pytest.raises(IntegrityError):
        service.save()


def test_raising_the_capacity_gives_the_new_seats_to_the_line(full_class):
    carol = join_waitlist(session=full_class, details=details("carol"))
    dan = join_waitlist(session=full_class, details=details("dan"))
    change_session_capacity(session=full_class, capacity=3)
    carol.refresh_from_db()
    dan.refresh_from_db()
    assert (carol.status, dan.status) == (WaitlistStatus.OFFERED, WaitlistStatus.WAITING)
    assert seats(full_class) == 3
    with pytest.raises(SessionFull):
        change_session_capacity(session=full_class, capacity=2)


def test_a_paid_class_offer_is_accepted_into_a_payment_hold_whose_expiry_passes_the_seat_on(full_class):
    service = full_class.service
    service.payment_policy, service.price = PaymentPolicy.FULL, 20
    service.save()
    carol = join_waitlist(session=full_class, details=details("carol"))
    dan = join_waitlist(session=full_class, details=details("dan"))
    cancel_booking(booking=alices_booking(full_class), by_client=False)
    carol.refresh_from_db()

    booking = accept_offer(entry=carol)
    assert booking.status == BookingStatus.AWAITING_PAYMENT
    assert seats(full_class) == 2

    release_expired_holds(now=booking.hold_until + timedelta(seconds=1))
    dan.refresh_from_db()
    assert dan.status == WaitlistStatus.OFFERED
    assert seats(full_class) == 2


def test_the_database_refuses_two_live_entries_for_one_client(full_class):
    carol = join_waitlist(session=full_class, details=details("carol"))
    with pytest.raises(IntegrityError):
        WaitlistEntry.objects.create(
            session=full_class, client=carol.client, position=9, joined_at=timezone.now()
        )


def test_an_offer_to_a_client_the_team_booked_meanwhile_gives_the_held_seat_to_the_next(full_class):
    carol = join_waitlist(session=full_class, details=details("carol"))
    dan = join_waitlist(session=full_class, details=details("dan"))
    cancel_booking(booking=alices_booking(full_class), by_client=True)
    change_session_capacity(session=full_class, capacity=3)  # dan is offered the new seat
    cancel_booking(
        booking=Booking.objects.get(session=full_class, client__email="bob@client.test"), by_client=True
    )
    book_class_seat(session=full_class, details=details("zoe"))  # the seat nobody waited for
    carol.refresh_from_db()
    Booking.objects.filter(session=full_class, client__email="zoe@client.test").update(client=carol.client)

    booking = accept_offer(entry=carol)

    carol.refresh_from_db()
    assert (carol.status, carol.booking) == (WaitlistStatus.BOOKED, booking)
    dan.refresh_from_db()
    assert dan.status == WaitlistStatus.OFFERED
    assert seats(full_class) == 2  # carol's one booking and dan's offer: the seat carol held is free again
