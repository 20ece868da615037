"""Receipt numbers under real threads on PostgreSQL: twenty charges, refunds or failing
transactions at once, and the numbers still run 1, 2, 3 … with no gap and no duplicate."""

from decimal import Decimal

import pytest
from django.db import transaction

from bookings_app.models import Receipt, ReceiptCounter, Session
from bookings_app.services import payments
from tests.support.payments import deliver, hold_seat
from tests.support.races import race

CHARGES = 20

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held(yoga_session):
    Session.objects.filter(pk=yoga_session.pk).update(capacity=CHARGES)
    yoga_session.refresh_from_db()
    return [hold_seat(yoga_session, number)[1] for number in range(CHARGES)]


def _numbers(series: str) -> list[int]:
    return sorted(Receipt.objects.filter(series=series).values_list("number", flat=True))


def test_twenty_charges_at_once_take_the_numbers_1_to_20(held):
    outcomes = race(lambda payment: deliver(payment).code, held)

    assert outcomes == ["confirmed"] * CHARGES
    assert _numbers("R") == list(range(1, CHARGES + 1))
    assert ReceiptCounter.objects.get(series="R").last_number == CHARGES
    assert len({receipt.payment_id for receipt in Receipt.objects.all()}) == CHARGES


def test_twenty_refunds_at_once_take_the_credit_notes_1_to_20(held):
    for payment in held:
        deliver(payment)
    refunds = [payments.request_refund(payment=payment, amount=Decimal("5.00")) for payment in held]

    race(lambda refund: payments.send_refund(refund_id=refund.pk).status, refunds)

    assert _numbers("CN") == list(range(1, CHARGES + 1))
    assert {note.credits_id for note in Receipt.objects.filter(series="CN")} == set(
        Receipt.objects.filter(series="R").values_list("pk", flat=True)
    )


class Failed(Exception):
    pass


def test_charges_rolled_back_among_others_leave_no_gap(held):
    """Every other charge's transaction fails after its receipt was numbered: the numbers it
    held go to the charges that commit."""

    def charge(step):
        index, payment = step
        if index % 2:
            return deliver(payment).code
        with transaction.atomic():
            deliver(payment)
            raise Failed

    outcomes = race(charge, list(enumerate(held)), refused=Failed)

    assert sum(outcome == "confirmed" for outcome in outcomes) == CHARGES // 2
    assert _numbers("R") == list(range(1, CHARGES // 2 + 1))
    assert ReceiptCounter.objects.get(series="R").last_number == CHARGES // 2
