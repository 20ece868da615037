"""Racing a pack's refund: asked many times at once it is asked once; raced by bookings with the
pack, either a booking uses a credit first and the refund is refused, or the refund is asked
first and every booking is refused — never a refunded pack that paid for a session."""

import pytest

from bookings_app.core.errors import BookingError
from bookings_app.models import Booking, ClientPlan, PaymentRefund, PlanCreditUse
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.plan_refunds import PackRefundRefused, refund_online_pack
from bookings_app.services.plans import use_credit
from tests.support.payments import deliver
from tests.support.plan_sales import order_pack
from tests.support.races import CROWD, race


@pytest.fixture
def bought(ten_classes, alice):
    _order, payment = order_pack(ten_classes, alice)
    assert deliver(payment).code == "fulfilled"
    return ClientPlan.objects.get(client=alice)


@pytest.mark.django_db(transaction=True)
def test_refunding_one_pack_many_times_at_once_asks_once(bought):
    outcomes = race(lambda _: refund_online_pack(pack=bought), range(CROWD), refused=PackRefundRefused)
    asked = [o for o in outcomes if isinstance(o, PaymentRefund)]
    assert len(asked) == 1 and PaymentRefund.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_refund_racing_bookings_with_the_pack_never_refunds_a_used_pack(bought, yoga_sessions):
    details = ClientDetails(email=bought.client.email, first_name="Alice")
    bookings = min(CROWD, len(yoga_sessions)) - 1

    def attempt(i):
        if i == bookings:
            return refund_online_pack(pack=bought)
        return book_and_pay(
            book=lambda: book_class_seat(session=yoga_sessions[i], details=details),
            pay=lambda booked: use_credit(client_plan_id=bought.pk, bookings=booked),
        )

    outcomes = race(attempt, range(bookings + 1), refused=(BookingError, PackRefundRefused))

    bought.refresh_from_db()
    booked = Booking.objects.count()
    if isinstance(outcomes[-1], PaymentRefund):
        assert booked == 0 and bought.credits_used == 0
    else:
        assert "has been used" in str(outcomes[-1].message)
        assert booked >= 1 and PaymentRefund.objects.count() == 0 and bought.refund_asked_at is None
    assert PlanCreditUse.objects.count() == bought.credits_used == booked
