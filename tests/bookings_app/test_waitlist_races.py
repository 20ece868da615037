"""Racing the waitlist, real threads, real database: never a client more than seats, never one
seat offered twice, never a line longer than its length."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.core.errors import BookingError
from bookings_app.models import (
    LIVE_STATUSES,
    Booking,
    ServiceKind,
    Session,
    WaitlistEntry,
    WaitlistStatus,
)
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.changes import cancel_booking
from bookings_app.services.waitlist import (
    WaitlistFull,
    accept_offer,
    change_session_capacity,
    expire_offers,
    join_waitlist,
    leave_waitlist,
)
from tests import factories as f
from tests.support.races import in_words, race

SEATS = 5


def _full_class(*, waitlist_max: int = 50, mode: str = "offer") -> Session:
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service(
        "Yoga",
        kind=ServiceKind.CLASS,
        staff=[nina],
        capacity=SEATS,
        price=0,
        waitlist_enabled=True,
        waitlist_max=waitlist_max,
        waitlist_mode=mode,
    )
    session = f.session(yoga, nina, timezone.now() + timedelta(days=2))
    for i in range(SEATS):
        book_class_seat(session=session, details=f.racer(1000 + i))
    return session


def _assert_seats_are_counted_exactly(session: Session) -> None:
    """Every seat taken is a live booking or a live offer; never more than capacity; one offer per seat."""
    session.refresh_from_db()
    booked = Booking.objects.filter(session=session, status__in=LIVE_STATUSES).count()
    offered = WaitlistEntry.objects.filter(session=session, status=WaitlistStatus.OFFERED).count()
    assert session.seats_taken <= session.capacity
    assert session.seats_taken == booked + offered
    offered_clients = WaitlistEntry.objects.filter(
        session=session, status=WaitlistStatus.OFFERED
    ).values_list("client_id", flat=True)
    assert not Booking.objects.filter(
        session=session, status__in=LIVE_STATUSES, client_id__in=offered_clients
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_clients_joining_a_line_of_five_at_once_leave_exactly_five():
    session = _full_class(waitlist_max=5)

    outcomes = in_words(
        race(lambda i: join_waitlist(session=session, details=f.racer(i)), range(20), refused=BookingError),
        success="joined",
    )

    assert outcomes.count("joined") == 5
    assert set(outcomes) - {"joined"} == {str(WaitlistFull.default_message)}
    live = WaitlistEntry.objects.filter(session=session, status=WaitlistStatus.WAITING)
    assert sorted(live.values_list("position", flat=True)) == [1, 2, 3, 4, 5]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_cancellations_accepts_expiries_leavers_and_newcomers_at_once_never_overfill(round_):
    session = _full_class()
    line = [join_waitlist(session=session, details=f.racer(i)) for i in range(10)]
    seated = list(Booking.objects.filter(session=session).order_by("pk"))
    for booking in seated[:2]:  # two seats already offered to the first two in line
        cancel_booking(booking=booking, by_client=True)
    first, second = (WaitlistEntry.objects.get(pk=e.pk) for e in line[:2])
    assert (first.status, second.status) == (WaitlistStatus.OFFERED, WaitlistStatus.OFFERED)
    after_the_offers = timezone.now() + timedelta(hours=3)
    actions = [
        lambda: cancel_booking(booking=seated[2], by_client=True),
        lambda: cancel_booking(booking=seated[3], by_client=False),
        lambda: cancel_booking(booking=seated[4], by_client=True),
        lambda: accept_offer(entry=first),
        lambda: accept_offer(entry=second),
        lambda: expire_offers(now=after_the_offers),
        lambda: expire_offers(now=after_the_offers),
        lambda: leave_waitlist(entry=line[2]),
        lambda: leave_waitlist(entry=line[3]),
        lambda: change_session_capacity(session=session, capacity=SEATS + 1),
        *[lambda i=i: book_class_seat(session=session, details=f.racer(500 + i)) for i in range(8)],
        *[lambda i=i: join_waitlist(session=session, details=f.racer(600 + i)) for i in range(4)],
    ]

    race(lambda act: act(), actions, refused=BookingError)

    _assert_seats_are_counted_exactly(session)
    session.refresh_from_db()
    assert session.capacity == SEATS + 1
    # Three cancellations, one more seat: all of them went to the line, none to a newcomer.
    newcomers = [f.racer(500 + i).email for i in range(8)]
    assert not Booking.objects.filter(session=session, client__email__in=newcomers).exists()
    assert session.seats_taken == session.capacity


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_accepting_and_expiring_one_offer_at_once_has_one_winner():
    session = _full_class()
    line = [join_waitlist(session=session, details=f.racer(i)) for i in range(3)]
    cancel_booking(booking=Booking.objects.filter(session=session).first(), by_client=True)
    offered = WaitlistEntry.objects.get(pk=line[0].pk)
    later = offered.offer_until - timedelta(seconds=1)  # accepting is still in time
    expiry = offered.offer_until + timedelta(seconds=1)

    outcomes = race(
        lambda act: act(),
        [lambda: accept_offer(entry=offered, now=later), lambda: expire_offers(now=expiry)],
        refused=BookingError,
    )

    offered.refresh_from_db()
    accepted = isinstance(outcomes[0], Booking)
    assert offered.status == (WaitlistStatus.BOOKED if accepted else WaitlistStatus.EXPIRED)
    assert outcomes[1] == (0 if accepted else 1)
    _assert_seats_are_counted_exactly(session)
    assert WaitlistEntry.objects.filter(session=session, status=WaitlistStatus.OFFERED).count() == (
        0 if accepted else 1
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_book_at_once_with_racing_cancellations_books_the_line_in_order():
    session = _full_class(mode="book")
    line = [join_waitlist(session=session, details=f.racer(i)) for i in range(6)]
    seated = list(Booking.objects.filter(session=session).order_by("pk"))

    race(lambda b: cancel_booking(booking=b, by_client=True), seated[:4], refused=BookingError)

    _assert_seats_are_counted_exactly(session)
    statuses = [WaitlistEntry.objects.get(pk=e.pk).status for e in line]
    assert statuses == [WaitlistStatus.BOOKED] * 4 + [WaitlistStatus.WAITING] * 2
