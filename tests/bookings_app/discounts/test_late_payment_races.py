"""PostgreSQL, real threads: a released booking's late payment, told many times at once by the
provider (each its own event), takes its place and its discount use back once."""

import pytest

from bookings_app.models import BookingStatus, DiscountCode
from bookings_app.payments import ProviderEvent
from bookings_app.payments.base import PAID
from bookings_app.services.payments import process_provider_event, release_hold
from tests.support.discounts import book_with_code, code
from tests.support.races import CROWD, race

pytestmark = pytest.mark.django_db(transaction=True)


def test_many_late_payment_events_at_once_count_the_use_once(pilates_session):
    code(code="ONCE", max_uses=1)
    held = book_with_code(pilates_session, "once")
    payment = held.payments.get()
    payment.provider_reference = "chk_race"
    payment.save(update_fields=["provider_reference"])
    release_hold(booking_id=held.pk, reason="expired")
    events = [
        ProviderEvent(
            provider="test",
            event_id=f"evt_{n}",
            kind=PAID,
            raw_kind="payment.paid",
            reference="chk_race",
            amount=payment.amount,
            currency=payment.currency,
        )
        for n in range(CROWD)
    ]

    outcomes = race(lambda event: process_provider_event(event).code, events)

    assert outcomes.count("confirmed_late") == 1 and set(outcomes) == {"confirmed_late", "already_paid"}
    held.refresh_from_db()
    assert held.status == BookingStatus.CONFIRMED
    found = DiscountCode.objects.get(code="ONCE")
    assert found.uses == 1 and found.max_uses == 1
