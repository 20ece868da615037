"""Booking with a membership: the sessions counted per week or month, the paid period, freezes,
cancelling with notice, extending, a renewal paid at the desk."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.core.errors import BookingError
from bookings_app.models import (
    Booking,
    ClientPlan,
    MembershipRenewal,
    MembershipStatus,
    PaymentMethod,
    PlanCreditUse,
    RenewalStatus,
)
from bookings_app.selectors import usable_plans
from bookings_app.selectors.memberships import add_months, counting_window
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.changes import cancel_booking
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.memberships import (
    cancel_membership,
    extend_membership,
    freeze_membership,
    record_desk_renewal,
)
from bookings_app.services.plans import PlanError, give_plan, use_credit
from tests import factories as f
from tests.support.memberships import member

ALICE = ClientDetails(email="alice@client.test", first_name="Alice")


def book(session, membership):
    return book_and_pay(
        book=lambda: book_class_seat(session=session, details=ALICE),
        pay=lambda bookings: use_credit(client_plan_id=membership.pk, bookings=bookings),
    )


def refusal(session, membership) -> str:
    with pytest.raises(BookingError) as refused:
        book(session, membership)
    return str(refused.value.message)


def test_a_membership_starts_a_month_with_its_renewal_at_the_end(alices_membership, started):
    assert alices_membership.status == MembershipStatus.ACTIVE
    assert alices_membership.period_start == started
    assert alices_membership.period_end == alices_membership.next_renewal_at == add_months(started)
    assert alices_membership.credits_total == 0


def test_months_keep_the_local_time_and_clamp_the_day(studio):
    january_31 = f.local(timezone.localdate().replace(month=1, day=31), "10:00")
    february = add_months(january_31)
    assert (february.month, february.hour) == (2, 10)
    assert february.day in (28, 29)
    assert add_months(january_31, 12).year == january_31.year + 1


def test_the_week_runs_monday_to_sunday_in_the_business_zone(studio, next_week):
    first, last = counting_window(f.local(next_week[6], "23:30"), "week")
    assert first == f.local(next_week[0], "00:00") and last == f.local(
        next_week[0] + timedelta(days=7), "00:00"
    )
    first, last = counting_window(f.local(next_week[0], "00:10"), "month")
    assert first.day == 1 and first.month == next_week[0].month


def test_an_unlimited_membership_books_every_class_and_marks_them_paid(alices_membership, yoga_next_week):
    for session in yoga_next_week[:5]:
        booking = book(session, alices_membership)
        assert booking.payment_method == PaymentMethod.PLAN and booking.paid_at
    assert PlanCreditUse.objects.filter(client_plan=alices_membership).count() == 5


def test_two_a_week_refuses_the_third_that_week_and_counts_again_the_next(
    twice_a_week, alice, started, studio, next_week
):
    membership = member(twice_a_week, alice, now=started)
    wednesday = [
        f.session(studio["yoga"], studio["nina"], f.local(next_week[2], at))
        for at in ("08:00", "10:00", "12:00")
    ]
    book(wednesday[0], membership)
    book(wednesday[1], membership)
    assert refusal(wednesday[2], membership) == "Your membership has no sessions left that week."
    following_monday = f.session(
        studio["yoga"], studio["nina"], f.local(next_week[0] + timedelta(days=7), "08:00")
    )
    book(following_monday, membership)
    assert Booking.objects.count() == 3


def test_a_cancelled_booking_frees_its_session_in_the_week(twice_a_week, alice, started, studio, next_week):
    membership = member(twice_a_week, alice, now=started)
    sessions = [
        f.session(studio["yoga"], studio["nina"], f.local(next_week[3], at))
        for at in ("08:00", "10:00", "12:00")
    ]
    first = book(sessions[0], membership)
    book(sessions[1], membership)
    cancel_booking(booking=first, by_client=False)
    book(sessions[2], membership)
    assert PlanCreditUse.objects.filter(returned_at__isnull=True).count() == 2


def test_the_booking_form_offers_the_membership_with_what_is_left(
    twice_a_week, alice, started, yoga_next_week
):
    membership = member(twice_a_week, alice, now=started)
    book(yoga_next_week[0], membership)
    [offered] = usable_plans(
        client=alice, service=yoga_next_week[1].service, start=yoga_next_week[1].start, now=timezone.now()
    )
    assert offered.pk == membership.pk and offered.sessions_left == 1


def test_not_for_another_service_nor_after_the_paid_period(alices_membership, studio, yoga_next_week):
    massage = f.session(studio["massage"], studio["nina"], yoga_next_week[0].start + timedelta(hours=1))
    assert (
        usable_plans(
            client=alices_membership.client,
            service=studio["massage"],
            start=massage.start,
            now=timezone.now(),
        )
        == []
    )
    late = f.session(studio["yoga"], studio["nina"], alices_membership.period_end + timedelta(days=1))
    assert refusal(late, alices_membership) == "Your membership's paid period ends before this session."


def test_a_freeze_refuses_its_days_and_moves_the_end(alices_membership, yoga_next_week, next_week):
    end_before = alices_membership.period_end
    freeze_membership(
        membership=alices_membership,
        starts_at=f.local(next_week[0], "00:00"),
        ends_at=f.local(next_week[2], "00:00"),
        now=timezone.now(),
    )
    alices_membership.refresh_from_db()
    assert alices_membership.period_end == end_before + timedelta(days=2)
    assert alices_membership.next_renewal_at == alices_membership.period_end
    assert refusal(yoga_next_week[0], alices_membership) == "Your membership is frozen on that day."
    assert (
        usable_plans(
            client=alices_membership.client,
            service=yoga_next_week[0].service,
            start=yoga_next_week[0].start,
            now=timezone.now(),
        )
        == []
    )


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ((4, 2), "The freeze must end after it starts."),
        ((2, 2), "The freeze must end after it starts."),
        ((1, 400), "A freeze lasts at most a year."),
        ((-30, -20), "A freeze cannot start in the past."),
        ((60, 70), "The freeze must start before the membership's period ends."),
    ],
)
def test_bad_freezes_are_refused_and_change_nothing(alices_membership, next_week, days, message):
    with pytest.raises(PlanError) as refused:
        freeze_membership(
            membership=alices_membership,
            starts_at=f.local(next_week[0] + timedelta(days=days[0]), "00:00"),
            ends_at=f.local(next_week[0] + timedelta(days=days[1]), "00:00"),
            now=timezone.now(),
        )
    assert str(refused.value.message) == message
    before = alices_membership.period_end
    alices_membership.refresh_from_db()
    assert alices_membership.period_end == before and not alices_membership.freezes.exists()


def test_overlapping_freezes_are_refused(alices_membership, next_week):
    freeze = {"membership": alices_membership, "now": timezone.now()}
    freeze_membership(
        **freeze, starts_at=f.local(next_week[1], "00:00"), ends_at=f.local(next_week[3], "00:00")
    )
    with pytest.raises(PlanError, match="overlaps"):
        freeze_membership(
            **freeze, starts_at=f.local(next_week[2], "00:00"), ends_at=f.local(next_week[5], "00:00")
        )


def test_extending_moves_the_end_and_the_renewal(alices_membership):
    before = alices_membership.period_end
    extend_membership(membership=alices_membership, days=10)
    alices_membership.refresh_from_db()
    assert alices_membership.period_end == alices_membership.next_renewal_at == before + timedelta(days=10)
    for days in (0, -1, 367):
        with pytest.raises(PlanError):
            extend_membership(membership=alices_membership, days=days)


def test_cancelling_without_notice_ends_at_the_period_end(alices_membership, started):
    cancel_membership(membership=alices_membership, now=started + timedelta(days=3))
    alices_membership.refresh_from_db()
    assert alices_membership.status == MembershipStatus.CANCELLING
    assert alices_membership.cancel_at == alices_membership.period_end


def test_a_notice_longer_than_the_period_left_runs_one_more_month(unlimited, alice, started):
    unlimited.notice_days = 30
    unlimited.save()
    membership = member(unlimited, alice, now=started)
    cancel_membership(membership=membership, now=started + timedelta(days=10))
    membership.refresh_from_db()
    assert membership.cancel_at == add_months(membership.period_end)


def test_cancelling_at_once_ends_now_and_refuses_bookings(alices_membership, yoga_next_week):
    cancel_membership(membership=alices_membership, at_once=True)
    alices_membership.refresh_from_db()
    assert (
        alices_membership.status == MembershipStatus.CANCELLED and alices_membership.next_renewal_at is None
    )
    assert refusal(yoga_next_week[0], alices_membership) == "Your membership is not active."
    with pytest.raises(PlanError):
        cancel_membership(membership=alices_membership)


def test_a_desk_membership_is_renewed_by_hand_once_per_period(unlimited, alice, started):
    membership = give_plan(plan=unlimited, client=alice, now=started)
    assert membership.billing == "desk" and membership.price_paid == Decimal("89.00")
    renewal = record_desk_renewal(membership=membership, now=started + timedelta(days=29))
    membership.refresh_from_db()
    assert renewal.status == RenewalStatus.PAID_AT_DESK and renewal.amount == Decimal("89.00")
    assert membership.period_start == renewal.period_start and membership.period_end == add_months(
        renewal.period_start
    )
    record_desk_renewal(membership=membership, amount=Decimal("80.00"), now=started + timedelta(days=30))
    assert MembershipRenewal.objects.count() == 2
    with pytest.raises(PlanError):
        record_desk_renewal(membership=membership, amount=Decimal("-1"), now=started)


def test_the_test_card_choice_is_required_for_the_test_provider(unlimited, alice, started):
    with pytest.raises(PlanError, match="test card"):
        member(unlimited, alice, now=started, card="")
    assert not ClientPlan.objects.exists()
