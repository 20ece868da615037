"""Racing clients, providers and the release task, real threads, real database: never a seat too
many, never one lost, one charge and one e-mail per payment whatever is delivered twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.core.errors import BookingError
from bookings_app.models import (
    Booking,
    BookingStatus,
    OutgoingEmail,
    PaymentLedgerEntry,
    PaymentStatus,
    Session,
)
from bookings_app.payments import provider
from bookings_app.payments.testing import event_body, sign
from bookings_app.services import payments
from tests.support.payments import hold_seat
from tests.support.races import CROWD, race

CLIENTS = 200
SEATS = 5


def _event(payment, kind: str = "payment.succeeded", event_id: str | None = None):
    body = event_body(
        kind=kind,
        reference=payment.provider_reference,
        amount=payment.amount,
        currency=payment.currency,
        event_id=event_id,
    )
    return provider("test").parse_webhook(body, {"Rendez-Signature": sign(body)})


def _last_seats(yoga_session) -> Session:
    Session.objects.filter(pk=yoga_session.pk).update(capacity=20, seats_taken=20 - SEATS)
    yoga_session.refresh_from_db()
    return yoga_session


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_200_clients_race_for_the_last_5_seats_while_some_abandon(yoga_session):
    """Four waves of 50 at once; in each, half of those who got a place abandon while the others
    pay, all at once with the release task; the last wave all pay."""
    session = _last_seats(yoga_session)
    waves = [range(start, start + CROWD) for start in range(0, CLIENTS, CROWD)]
    held_total, abandoned = 0, []
    for number, wave in enumerate(waves):
        outcomes = race(lambda i: hold_seat(session, i), wave, refused=BookingError)
        holds = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
        held_total += len(holds)
        session.refresh_from_db()
        assert session.seats_taken <= session.capacity
        last = number == len(waves) - 1
        leaving = [] if last else holds[::2]
        abandoned += [booking.pk for booking, _ in leaving]
        moves = [
            (payment, "payment.abandoned" if (booking, payment) in leaving else "payment.succeeded")
            for booking, payment in holds
        ]
        moves.append((None, "release"))

        def move(step):
            payment, kind = step
            if payment is None:
                return payments.release_expired_holds()
            return payments.process_provider_event(_event(payment, kind)).code

        race(move, moves)

    session.refresh_from_db()
    confirmed = Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED).count()
    assert confirmed == SEATS and session.seats_taken == session.capacity  # no seat lost, none too many
    assert set(Booking.objects.filter(status=BookingStatus.RELEASED).values_list("pk", flat=True)) == set(
        abandoned
    )
    assert not Booking.objects.filter(status=BookingStatus.AWAITING_PAYMENT).exists()
    assert PaymentLedgerEntry.objects.filter(kind="charge").count() == SEATS
    assert OutgoingEmail.objects.filter(kind="confirmation").count() == SEATS
    print(
        f"\n{CLIENTS} clients, {SEATS} seats: {held_total} holds, "
        f"{len(abandoned)} abandoned and released, {confirmed} confirmed"
    )


@pytest.mark.django_db(transaction=True)
def test_the_same_paid_event_delivered_at_once_many_times_charges_and_mails_once(yoga_session):
    booking, payment = hold_seat(yoga_session)
    event = _event(payment, event_id="evt_dup")
    outcomes = race(lambda _: payments.process_provider_event(event).code, range(CROWD))
    assert sorted(set(outcomes)) == ["confirmed", "duplicate"] and outcomes.count("confirmed") == 1
    assert PaymentLedgerEntry.objects.filter(payment=payment, kind="charge").count() == 1
    assert OutgoingEmail.objects.filter(booking=booking, kind="confirmation").count() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    print(f"\n{CROWD} deliveries of one event: 1 confirmed, {outcomes.count('duplicate')} duplicates")


@pytest.mark.django_db(transaction=True)
def test_the_release_and_a_late_payment_racing_never_lose_or_double_a_seat(yoga_session):
    """Each round: a hold that just ran out; the release task and the provider's "paid" at once."""
    rounds = 10 if CROWD > 12 else 4
    Session.objects.filter(pk=yoga_session.pk).update(capacity=rounds)
    winners = {"release first": 0, "payment first": 0}
    for number in range(rounds):
        booking, payment = hold_seat(yoga_session, number)
        Booking.objects.filter(pk=booking.pk).update(hold_until=timezone.now() - timedelta(seconds=1))
        event = _event(payment)
        results = race(
            lambda who, event=event: (
                payments.release_expired_holds()
                if who == "release"
                else payments.process_provider_event(event).code
            ),
            ["release", "pay"],
        )
        winners["release first" if results[1] == "confirmed_late" else "payment first"] += 1
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CONFIRMED  # the seat was free: the late payment takes it again
        assert OutgoingEmail.objects.filter(booking=booking, kind="confirmation").count() == 1
    yoga_session.refresh_from_db()
    assert (
        yoga_session.seats_taken == rounds == Booking.objects.filter(status=BookingStatus.CONFIRMED).count()
    )
    assert PaymentLedgerEntry.objects.filter(kind="charge").count() == rounds
    print(f"\nrelease vs late payment, {rounds} rounds: {winners}")


@pytest.mark.django_db(transaction=True)
def test_a_late_payment_racing_for_a_seat_taken_meanwhile_is_refunded(yoga_session):
    Session.objects.filter(pk=yoga_session.pk).update(capacity=1)
    late, payment = hold_seat(yoga_session, 1)
    Booking.objects.filter(pk=late.pk).update(hold_until=timezone.now() - timedelta(seconds=1))
    payments.release_expired_holds()
    other, other_payment = hold_seat(yoga_session, 2)
    outcomes = race(
        lambda which: (
            payments.process_provider_event(_event(payment if which == "late" else other_payment)).code
        ),
        ["late", "other"],
    )
    assert sorted(outcomes) == ["confirmed", "refunding"]
    yoga_session.refresh_from_db()
    assert yoga_session.seats_taken == 1
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 1
