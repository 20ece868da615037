"""Booking with a pack: a credit used once per booking, given back once, kept by a no-show or not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.models import Attendance, Booking, ClientPlan, PlanCreditUse
from bookings_app.services.bookings import book_appointment, book_class_seat
from bookings_app.services.changes import cancel_booking, record_attendance, undo_attendance
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.plans import PlanCreditRefused, give_plan, use_credit
from tests import factories as f

ALICE = ClientDetails(email="alice@client.test", first_name="Alice")


def book_with_pack(session, pack, details=ALICE):
    return book_and_pay(
        book=lambda: book_class_seat(session=session, details=details),
        pay=lambda bookings: use_credit(client_plan_id=pack.pk, bookings=bookings),
    )


def credits_left(pack) -> int:
    pack.refresh_from_db()
    return pack.credits_left


def test_a_booking_with_the_pack_uses_one_credit(alices_pack, yoga_sessions):
    booking = book_with_pack(yoga_sessions[0], alices_pack)
    assert credits_left(alices_pack) == 9
    assert booking.plan_credit.client_plan == alices_pack
    booking.refresh_from_db()
    assert booking.paid_at is not None and booking.get_payment_method_display() == "Class pack"


def test_a_refused_credit_books_nothing(alices_pack, yoga_sessions):
    ClientPlan.objects.filter(pk=alices_pack.pk).update(credits_used=10)
    with pytest.raises(PlanCreditRefused, match="no credits left"):
        book_with_pack(yoga_sessions[0], alices_pack)
    assert not Booking.objects.exists()
    yoga_sessions[0].refresh_from_db()
    assert yoga_sessions[0].seats_taken == 0


def test_someone_elses_pack_pays_for_nothing(alices_pack, yoga_sessions):
    bob = ClientDetails(email="bob@client.test", first_name="Bob")
    with pytest.raises(PlanCreditRefused):
        book_with_pack(yoga_sessions[0], alices_pack, details=bob)
    assert credits_left(alices_pack) == 10


def test_a_pack_pays_only_for_its_services(alices_pack, studio):
    start = f.local(f.next_weekday(1), "10:00")
    with pytest.raises(PlanCreditRefused):
        book_and_pay(
            book=lambda: book_appointment(service=studio["massage"], start=start, details=ALICE),
            pay=lambda bookings: use_credit(client_plan_id=alices_pack.pk, bookings=bookings),
        )
    assert credits_left(alices_pack) == 10


def test_a_pack_pays_for_no_session_after_it_ends(alices_pack, studio):
    late = f.session(studio["yoga"], studio["nina"], alices_pack.valid_until + timedelta(hours=1))
    with pytest.raises(PlanCreditRefused, match="ends before"):
        book_with_pack(late, alices_pack)


def test_a_pack_valid_from_first_use_starts_counting_at_the_first_booking(ten_classes, alice, yoga_sessions):
    ten_classes.valid_from = "first_use"
    ten_classes.save()
    pack = give_plan(plan=ten_classes, client=alice)
    before = timezone.now()
    book_with_pack(yoga_sessions[0], pack)
    pack.refresh_from_db()
    assert before + timedelta(days=90) <= pack.valid_until <= timezone.now() + timedelta(days=90)


def test_cancelling_in_time_gives_the_credit_back_once(alices_pack, yoga_sessions):
    booking = book_with_pack(yoga_sessions[3], alices_pack)
    cancel_booking(booking=booking, by_client=True)
    assert credits_left(alices_pack) == 10
    assert PlanCreditUse.objects.get(booking=booking).return_reason == "cancelled"
    with pytest.raises(Exception):  # noqa: B017,PT011 - already cancelled
        cancel_booking(booking=booking, by_client=False)
    assert credits_left(alices_pack) == 10


def test_a_late_cancellation_by_the_team_gives_the_credit_back(alices_pack, yoga_sessions):
    booking = book_with_pack(yoga_sessions[0], alices_pack)
    cancel_booking(booking=booking, by_client=False, now=yoga_sessions[0].start - timedelta(hours=1))
    assert credits_left(alices_pack) == 10


def test_a_no_show_keeps_the_credit_used_when_the_plan_says_so(alices_pack, yoga_sessions, olivia):
    booking = book_with_pack(yoga_sessions[0], alices_pack)
    record_attendance(booking=booking, attendance=Attendance.NO_SHOW, by=olivia)
    assert credits_left(alices_pack) == 9


def test_a_no_show_gets_the_credit_back_when_the_plan_forgives_it_and_undo_takes_it_again(
    ten_classes, alices_pack, yoga_sessions, olivia
):
    ten_classes.no_show_forfeits = False
    ten_classes.save()
    booking = book_with_pack(yoga_sessions[0], alices_pack)
    record_attendance(booking=booking, attendance=Attendance.NO_SHOW, by=olivia)
    assert credits_left(alices_pack) == 10
    undo_attendance(booking=booking)
    assert credits_left(alices_pack) == 9
    record_attendance(booking=booking, attendance=Attendance.CHECKED_IN, by=olivia)
    assert credits_left(alices_pack) == 9


def test_the_database_refuses_more_credits_used_than_bought(alices_pack):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ClientPlan.objects.filter(pk=alices_pack.pk).update(credits_used=11)
