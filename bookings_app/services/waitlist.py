"""The waitlist of a full class session: join, leave, fill a freed seat, accept, expire.

Guards (docs/waitlist.md):
- joining locks the session's row (``select_for_update``), then counts the live line and takes
  the last position + 1: twenty clients joining a line of five at once leave exactly five; the
  unique constraints (one live entry per client, one per position) stand behind it;
- a freed seat goes to the line in the transaction that freed it (``fill_freed_seats``), and
  is taken with the same guarded ``seats_taken`` update a booking uses: an offer holds its
  seat as a payment hold does, so it is neither taken by a newcomer nor offered twice;
- an offer is accepted or expired by a conditional update on the entry's status, so accepting
  and the expiry task never both win;
- locks are taken in one order: a booking, then its session, then the line's entries (each
  verb here locks the session first), so racing cancellations, accepts and expiries never
  deadlock (tests/bookings_app/test_waitlist_races.py).
"""

import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.errors import AlreadyBooked, BookingError, NotBookable, SessionFull
from ..core.events import record_event
from ..mail.waitlist_emails import queue_offer_email
from ..models import (
    LIVE_STATUSES,
    LIVE_WAITLIST_STATUSES,
    Actor,
    Booking,
    BookingSource,
    Business,
    EventKind,
    ServiceKind,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistMode,
    WaitlistStatus,
)
from ..web.links import waitlist_url
from .booking_limits import check_booking_limits
from .bookings import _announce_new, _create_booking
from .client_matching import ClientDetails, find_or_create_client

EXPIRE_BATCH = 500


class WaitlistClosed(BookingError):
    default_message = _("This session has no waitlist.")


class WaitlistFull(BookingError):
    default_message = _("Sorry, the waitlist of this session is full.")


class SeatStillFree(BookingError):
    default_message = _("A seat is still free in this session: book it instead.")


class AlreadyWaiting(BookingError):
    default_message = _("You are already on the waitlist of this session.")


class OfferGone(BookingError):
    default_message = _("Sorry, this offer is no longer valid: the seat has gone to the next client.")


def join_waitlist(
    *, session: Session, details: ClientDetails, answers: dict | None = None, now: datetime | None = None
) -> WaitlistEntry:
    """Put the client at the end of the full ``session``'s line.

    Raises WaitlistClosed, NotBookable (started or cancelled), SeatStillFree, AlreadyBooked,
    AlreadyWaiting, WaitlistFull."""
    now = now or timezone.now()
    service = session.service
    if not service.has_waitlist or not service.is_bookable:
        raise WaitlistClosed()
    with transaction.atomic():
        client = find_or_create_client(details=details)
        _check_limits(client=client, session=session, now=now)
        session = _lock_session(line_session_id(session))
        if session.status != SessionStatus.SCHEDULED or session.start <= now:
            raise NotBookable(_("This session has started: its waitlist is closed."))
        live = WaitlistEntry.objects.filter(session=session, status__in=LIVE_WAITLIST_STATUSES)
        if _place_is_free(session) and not live.exists():
            raise SeatStillFree()
        if Booking.objects.filter(session=session, client=client, status__in=LIVE_STATUSES).exists():
            raise AlreadyBooked()
        if live.filter(client=client).exists():
            raise AlreadyWaiting()
        if live.count() >= service.waitlist_max:
            raise WaitlistFull()
        last = WaitlistEntry.objects.filter(session=session).aggregate(last=Max("position"))["last"] or 0
        entry = WaitlistEntry.objects.create(
            session=session, client=client, position=last + 1, joined_at=now, answers=answers or {}
        )
        record_event(EventKind.WAITLIST_JOINED, session=session, client=client, actor=Actor.CLIENT)
        # A seat may have freed up while nobody waited for it and nobody took it: give it now.
        fill_freed_seats(session_id=session.pk, now=now)
    entry.refresh_from_db()
    return entry


def leave_waitlist(*, entry: WaitlistEntry, now: datetime | None = None) -> bool:
    """The client steps out of the line; an offered seat goes to the next one. False if already out."""
    return _close(entry=entry, status=WaitlistStatus.LEFT, actor=Actor.CLIENT, now=now)


def remove_from_waitlist(*, entry: WaitlistEntry, by, now: datetime | None = None) -> bool:
    """The owner takes a client out of the line (an offered seat goes to the next one)."""
    return _close(entry=entry, status=WaitlistStatus.REMOVED, actor=Actor.TEAM, now=now)


def _close(*, entry: WaitlistEntry, status: str, actor: str, now: datetime | None) -> bool:
    now = now or timezone.now()
    with transaction.atomic():
        _lock_session(entry.session_id)
        entry = WaitlistEntry.objects.select_for_update().filter(pk=entry.pk).first()
        if entry is None or entry.status not in LIVE_WAITLIST_STATUSES:
            return False
        was_offered = entry.status == WaitlistStatus.OFFERED
        entry.status, entry.offer_until, entry.closed_at = status, None, now
        entry.save(update_fields=["status", "offer_until", "closed_at"])
        if was_offered:
            _give_back_seat(entry.session_id, now=now)
    return True


def fill_freed_seats(*, session_id: int, now: datetime | None = None) -> list[WaitlistEntry]:
    """Call inside the transaction that freed a seat of the session (or raised its capacity):
    each free seat goes to the first waiting client, booked at once or offered per the
    service's setting. Returns the entries served."""
    now = now or timezone.now()
    session = Session.objects.select_related("service", "staff").get(pk=session_id)
    if session.service.kind == ServiceKind.COURSE:  # a course's line is on its first session
        session = Session.objects.select_related("service", "staff").get(pk=line_session_id(session))
    service = session.service
    if not service.has_waitlist or session.status != SessionStatus.SCHEDULED or session.start <= now:
        return []
    served = []
    waiting = WaitlistEntry.objects.filter(session=session, status=WaitlistStatus.WAITING).select_related(
        "client"
    )
    for candidate in waiting.order_by("position", "joined_at", "pk"):
        # Locked and read again: the client may be leaving the line at this very moment.
        entry = (
            WaitlistEntry.objects.select_for_update(of=("self",))
            .select_related("client")
            .filter(pk=candidate.pk, status=WaitlistStatus.WAITING)
            .first()
        )
        if entry is None:
            continue
        if Booking.objects.filter(session=session, client=entry.client, status__in=LIVE_STATUSES).exists():
            _mark(entry, WaitlistStatus.REMOVED, now=now)  # booked meanwhile by the team
            continue
        if not _take_place(session):
            break
        entry.session = session
        if service.waitlist_mode == WaitlistMode.BOOK and not service.takes_online_payment:
            _book(entry, now=now, held_until=None)
        else:
            _offer(entry, now=now)
        served.append(entry)
    return served


def accept_offer(*, entry: WaitlistEntry, now: datetime | None = None) -> Booking:
    """The client takes the seat held for them: a booking, confirmed, or held for its online
    payment (the caller then opens the checkout, as after booking). Raises OfferGone."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_session(entry.session_id)
        entry = (
            WaitlistEntry.objects.select_for_update(of=("self",))
            .select_related("session__service", "client")
            .filter(pk=entry.pk)
            .first()
        )
        if entry is None or entry.status != WaitlistStatus.OFFERED or entry.offer_until <= now:
            raise OfferGone()
        already = Booking.objects.filter(
            session_id=entry.session_id, client=entry.client, status__in=LIVE_STATUSES
        ).first()
        if already is not None:  # booked another way meanwhile: the held seat goes to the next client
            entry.status, entry.booking, entry.offer_until, entry.closed_at = (
                WaitlistStatus.BOOKED,
                already,
                None,
                now,
            )
            entry.save(update_fields=["status", "booking", "offer_until", "closed_at"])
            _give_back_seat(entry.session_id, now=now)
            return already
        service = entry.session.service
        held_until = None
        if service.takes_online_payment:
            held_until = min(now + Business.current().payment_hold, entry.session.start)
        return _book(entry, now=now, held_until=held_until)


def _check_limits(*, client, session: Session, now: datetime) -> None:
    """The client's booking limits (a class; courses are not counted), under the lock on the
    client's row taken before the session's, in the order a booking takes them.

    Checked when a client joins the line. The seat the line gives later (booked at once by
    ``fill_freed_seats``, or an offer accepted) is not checked again: the first runs in the
    transaction that freed the seat, which already holds the session's row, and locking the
    client's row after it would invert a booking's order (client, then session); a check before
    accepting made the PostgreSQL waitlist races deadlock (docs/plans.md).
    """
    if session.service.kind == ServiceKind.CLASS:
        check_booking_limits(client=client, start=session.start, now=now, service=session.service)


def expire_offer(*, entry_id: int, now: datetime | None = None) -> bool:
    """An offer past its time: the entry expires, its seat goes to the next client. False if it
    was accepted, left or expired already."""
    now = now or timezone.now()
    session_id = WaitlistEntry.objects.filter(pk=entry_id).values_list("session_id", flat=True).first()
    with transaction.atomic():
        _lock_session(session_id)
        gone = WaitlistEntry.objects.filter(pk=entry_id, status=WaitlistStatus.OFFERED, offer_until__lte=now)
        if not gone.update(status=WaitlistStatus.EXPIRED, offer_until=None, closed_at=now):
            return False
        entry = WaitlistEntry.objects.select_related("session", "client").get(pk=entry_id)
        record_event(
            EventKind.WAITLIST_OFFER_EXPIRED, session=entry.session, client=entry.client, actor=Actor.SYSTEM
        )
        _give_back_seat(entry.session_id, now=now)
    return True


def expire_offers(*, now: datetime | None = None) -> int:
    """Beat, every minute: the offers whose time ran out pass to the next client; how many."""
    now = now or timezone.now()
    ids = list(
        WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED, offer_until__lte=now)
        .order_by("offer_until")
        .values_list("pk", flat=True)[:EXPIRE_BATCH]
    )
    return sum(expire_offer(entry_id=pk, now=now) for pk in ids)


def change_session_capacity(*, session: Session, capacity: int, now: datetime | None = None) -> Session:
    """The owner changes one class session's seats; more seats go to the line at once.

    Raises SessionFull when fewer seats than are taken are asked for."""
    if capacity < 1:
        raise SessionFull(_("A session has at least one seat."))
    with transaction.atomic():
        if not Session.objects.filter(pk=session.pk, seats_taken__lte=capacity).update(
            capacity=capacity, sequence=F("sequence") + 1
        ):
            raise SessionFull(_("More clients have a seat than that: cancel bookings first."))
        fill_freed_seats(session_id=session.pk, now=now)
    session.refresh_from_db()
    return session


def _lock_session(session_id: int) -> Session:
    """Every change to a line locks its session's row first, as freeing a seat does (its
    ``seats_taken`` update): one order of locks, session then entries, so they never deadlock."""
    return Session.objects.select_for_update().select_related("service").get(pk=session_id)


def _take_seat(session_id: int) -> bool:
    """The booking guard (services/bookings.py): one seat more, never past capacity."""
    return bool(
        Session.objects.filter(
            pk=session_id, status=SessionStatus.SCHEDULED, seats_taken__lt=F("capacity")
        ).update(seats_taken=F("seats_taken") + 1, sequence=F("sequence") + 1)  # its feed event changes
    )


def _give_back_seat(session_id: int, *, now: datetime) -> None:
    """An offered seat (a course: its seat in every session) nobody took: it leaves the count and
    goes to the next in line."""
    session = Session.objects.select_related("service").get(pk=session_id)
    for pk in _place_session_ids(session):
        Session.objects.filter(pk=pk, seats_taken__gt=0).update(
            seats_taken=F("seats_taken") - 1, sequence=F("sequence") + 1
        )
    fill_freed_seats(session_id=session_id, now=now)


# --- A place: one seat in a class session; a seat in every session of a course -------------------


def line_session_id(session: Session) -> int:
    """The session whose line a client joins: the session itself, or a course's first session by
    id (a course is booked as a whole, so its line is one; the lowest id keeps one lock order,
    the line's session first, as every verb here locks it)."""
    if session.service.kind != ServiceKind.COURSE:
        return session.pk
    first = (
        Session.objects.filter(service_id=session.service_id, status=SessionStatus.SCHEDULED)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return first or session.pk


def _place_session_ids(session: Session) -> list[int]:
    """The sessions one place takes a seat in, in the order every writer locks them (by id)."""
    if session.service.kind != ServiceKind.COURSE:
        return [session.pk]
    return list(
        Session.objects.filter(service_id=session.service_id, status=SessionStatus.SCHEDULED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _place_is_free(session: Session) -> bool:
    return all(
        taken < capacity
        for taken, capacity in Session.objects.filter(pk__in=_place_session_ids(session)).values_list(
            "seats_taken", "capacity"
        )
    )


class _NoSeat(Exception):
    pass


def _take_place(session: Session) -> bool:
    """A seat in each session of the place, with the booking guard, or none at all."""
    try:
        with transaction.atomic():
            for pk in _place_session_ids(session):
                if not _take_seat(pk):
                    raise _NoSeat
    except _NoSeat:
        return False
    return True


def _offer(entry: WaitlistEntry, *, now: datetime) -> None:
    session, service = entry.session, entry.session.service
    entry.status, entry.offered_at = WaitlistStatus.OFFERED, now
    entry.offer_until = min(now + timedelta(hours=service.waitlist_offer_hours), session.start)
    entry.save(update_fields=["status", "offered_at", "offer_until"])
    record_event(
        EventKind.WAITLIST_OFFERED,
        session=session,
        client=entry.client,
        payload={"offer_until": entry.offer_until.isoformat()},
        actor=Actor.SYSTEM,
    )
    queue_offer_email(entry=entry, url=waitlist_url(entry))


def _book(
    entry: WaitlistEntry, *, now: datetime, held_until: datetime | None, source: str = BookingSource.ONLINE
) -> Booking:
    """The entry's seat (already counted) becomes its booking; a course's place, a booking in
    each of its sessions (one enrollment), the first standing for them."""
    sessions = [entry.session]
    enrollment = None
    if entry.session.service.kind == ServiceKind.COURSE:
        ids = _place_session_ids(entry.session)
        sessions = list(Session.objects.select_related("service").filter(pk__in=ids).order_by("start", "pk"))
        enrollment = uuid.uuid4()
    bookings = [
        _create_booking(
            session=session,
            client=entry.client,
            answers=entry.answers,
            source=source,
            request_key=None,
            hold_until=held_until,
            enrollment=enrollment,
        )
        for session in sessions
    ]
    # The seat was counted already; the client's name now shows in the team's feeds (in pk
    # order, as seats are taken).
    for pk in sorted(session.pk for session in sessions):
        Session.objects.filter(pk=pk).update(sequence=F("sequence") + 1)
    booking = next((each for each in bookings if each.session_id == entry.session_id), bookings[0])
    entry.status, entry.booking, entry.offer_until = WaitlistStatus.BOOKED, booking, None
    entry.closed_at = now
    entry.save(update_fields=["status", "booking", "offer_until", "closed_at"])
    record_event(EventKind.WAITLIST_BOOKED, booking=booking, actor=Actor.SYSTEM)
    if held_until is None:
        _announce_new(booking, now=now)
    return booking


def _mark(entry: WaitlistEntry, status: str, *, now: datetime) -> None:
    WaitlistEntry.objects.filter(pk=entry.pk).update(status=status, offer_until=None, closed_at=now)


def move_up(*, entry: WaitlistEntry) -> bool:
    """The owner moves a waiting client one place up the line (swapping with the one ahead)."""
    with transaction.atomic():
        _lock_session(entry.session_id)
        line = list(
            WaitlistEntry.objects.select_for_update()
            .filter(session_id=entry.session_id, status=WaitlistStatus.WAITING)
            .order_by("position", "joined_at", "pk")
        )
        ids = [each.pk for each in line]
        if entry.pk not in ids or ids.index(entry.pk) == 0:
            return False
        here = ids.index(entry.pk)
        mine, ahead = line[here], line[here - 1]
        # Positions are unique among live entries: park one out of the way while swapping.
        spare = (
            WaitlistEntry.objects.filter(session_id=entry.session_id).aggregate(m=Max("position"))["m"] or 0
        ) + 1
        positions = (mine.position, ahead.position)
        WaitlistEntry.objects.filter(pk=mine.pk).update(position=spare)
        WaitlistEntry.objects.filter(pk=ahead.pk).update(position=positions[0])
        WaitlistEntry.objects.filter(pk=mine.pk).update(position=positions[1])
    return True


def book_from_waitlist(*, entry: WaitlistEntry, by, now: datetime | None = None) -> Booking:
    """The team books a client from the line: an offered client's held seat, else a free seat
    (taken with the booking guard). Raises SessionFull, OfferGone (no longer in line)."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_session(entry.session_id)
        entry = (
            WaitlistEntry.objects.select_for_update(of=("self",))
            .select_related("session__service", "client")
            .filter(pk=entry.pk, status__in=LIVE_WAITLIST_STATUSES)
            .first()
        )
        if entry is None:
            raise OfferGone(_("This client is no longer on the waitlist."))
        if entry.status == WaitlistStatus.WAITING and not _take_place(entry.session):
            raise SessionFull(_("The session is full: free a seat (or add one) first."))
        return _book(entry, now=now, held_until=None, source=BookingSource.DASHBOARD)
