"""Racing the refund of a membership's period: asked many times at once it is asked once; raced by
bookings paid with the membership, either a booking comes first and the refund is refused, or the
refund ends the membership first and every booking is refused — never a refunded period that
paid for a session."""

import pytest

from bookings_app.core.errors import BookingError
from bookings_app.models import Booking, ClientPlan, MembershipStatus, PaymentRefund, PlanCreditUse
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.plan_refunds import MembershipRefundRefused, refund_online_membership
from bookings_app.services.plans import use_credit
from tests.support.payments import deliver
from tests.support.plan_sales import order_pack
from tests.support.races import CROWD, race


@pytest.fixture
def joined(unlimited, alice):
    _order, payment = order_pack(unlimited, alice)
    assert deliver(payment, saved_card="renews").code == "fulfilled"
    return ClientPlan.objects.get(client=alice)


@pytest.mark.django_db(transaction=True)
def test_refunding_one_period_many_times_at_once_asks_once(joined):
    outcomes = race(
        lambda _: refund_online_membership(membership=joined), range(CROWD), refused=MembershipRefundRefused
    )
    assert len([o for o in outcomes if isinstance(o, PaymentRefund)]) == 1
    assert PaymentRefund.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_refund_racing_bookings_never_refunds_a_period_that_paid_for_a_session(joined, yoga_sessions):
    details = ClientDetails(email=joined.client.email, first_name="Alice")
    bookings = min(CROWD, len(yoga_sessions)) - 1

    def attempt(i):
        if i == bookings:
            return refund_online_membership(membership=joined)
        return book_and_pay(
            book=lambda: book_class_seat(session=yoga_sessions[i], details=details),
            pay=lambda booked: use_credit(client_plan_id=joined.pk, bookings=booked),
        )

    outcomes = race(attempt, range(bookings + 1), refused=(BookingError, MembershipRefundRefused))

    joined.refresh_from_db()
    booked = Booking.objects.count()
    if isinstance(outcomes[-1], PaymentRefund):
        assert booked == 0 and joined.status == MembershipStatus.CANCELLED
    else:
        assert "cancel that booking first" in str(outcomes[-1].message)
        assert booked >= 1 and PaymentRefund.objects.count() == 0
        assert joined.status == MembershipStatus.ACTIVE
    assert PlanCreditUse.objects.filter(returned_at__isnull=True).count() == booked
