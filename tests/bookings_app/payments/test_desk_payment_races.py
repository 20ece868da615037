"""PostgreSQL, real threads: a desk payment's form sent many times at once records one payment
and one receipt; different forms at once never take more than is left to pay."""

import uuid
from decimal import Decimal

import pytest

from bookings_app.models import Payment, Receipt
from bookings_app.payments.ledger_check import check_payments_ledger
from bookings_app.services.in_person import DeskPaymentRefused, record_desk_payment
from tests import factories as f
from tests.support.races import CROWD, race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def visit(nina):
    pilates = f.service("Pilates", staff=[nina], price=Decimal("40.00"))
    return f.booking(f.session(pilates, nina, f.local(f.next_weekday(3), "10:00")), f.client("Dana"))


def test_one_form_sent_many_times_at_once_records_once(visit):
    key = uuid.uuid4().hex

    paid = race(
        lambda _: record_desk_payment(
            booking=visit, amount=Decimal("40"), method="cash", request_key=key, email_receipt=True
        ),
        range(CROWD),
    )

    assert len({payment.pk for payment in paid}) == 1
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1
    assert check_payments_ledger() == []


def test_many_forms_at_once_take_no_more_than_is_left(visit):
    paid = race(
        lambda key: record_desk_payment(booking=visit, amount=Decimal("15"), method="cash", request_key=key),
        [uuid.uuid4().hex for _ in range(CROWD)],
        refused=DeskPaymentRefused,
    )

    taken = [payment for payment in paid if not isinstance(payment, Exception)]
    assert len(taken) == 2  # 15 + 15; a third would pass 40
    assert sorted(Receipt.objects.values_list("number", flat=True)) == [1, 2]
    visit.refresh_from_db()
    assert visit.prepaid_amount == Decimal("30.00")
