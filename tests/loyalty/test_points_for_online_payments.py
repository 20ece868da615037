"""Money paid online earns points (the owner's rate per unit of currency): credited once per
charge when loyalty reads the payment from the outbox, taken back when refunded in full."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connections
from django.utils import timezone

from bookings_app.models import DomainEvent, EventKind, PaymentPolicy, Service
from bookings_app.services import payments
from loyalty.events import CONSUMER
from loyalty.models import EntryKind, LedgerEntry, Program
from loyalty.selectors import balance_of
from loyalty.services import adjust_points, settle_event
from loyalty.services.payment_points import credit_online_payment, points_for
from tests import factories as f
from tests.support.payments import deliver, hold_seat

pytestmark = pytest.mark.django_db

WORKERS = 10


@pytest.fixture
def rate(program) -> Program:
    Program.objects.filter(pk=program.pk).update(points_per_currency_unit=2)
    return Program.current()


@pytest.fixture
def paid_session(yoga, nina):
    Service.objects.filter(pk=yoga.pk).update(price=Decimal("20.50"), payment_policy=PaymentPolicy.FULL)
    yoga.refresh_from_db()
    return f.session(yoga, nina, timezone.now() + timedelta(days=2), capacity=10)


def settle_all() -> None:
    """What loyalty's task does for each event it is handed, twice over (a duplicate delivery)."""
    for _ in range(2):
        for event_id in DomainEvent.objects.filter(kind__startswith="payment.").values_list("pk", flat=True):
            settle_event(event_id=event_id)


def _paid(session, number: int = 1):
    booking, payment = hold_seat(session, number)
    deliver(payment)
    deliver(payment)  # the provider says it twice
    payment.refresh_from_db()
    return booking, payment


def test_it_rounds_the_points_down():
    assert points_for(Decimal("20.50"), rate=2) == 41
    assert points_for(Decimal("0.49"), rate=2) == 0


def test_a_payment_earns_its_points_once(rate, paid_session):
    booking, payment = _paid(paid_session)
    settle_all()
    entry = LedgerEntry.objects.get(kind=EntryKind.PAID_ONLINE)
    assert (entry.points, entry.payment_id, entry.booking_id) == (41, payment.pk, booking.pk)
    assert balance_of(booking.client) == 41
    assert entry.wording == "Paid online: 20.50 EUR"
    assert DomainEvent.objects.filter(kind="loyalty.points_earned", booking=booking).count() == 1


def test_nothing_is_credited_while_the_rate_is_zero_or_the_program_off(program, paid_session):
    booking, _payment = _paid(paid_session)
    settle_all()
    Program.objects.filter(pk=program.pk).update(points_per_currency_unit=3, is_enabled=False)
    _paid(paid_session, 2)
    settle_all()
    assert not LedgerEntry.objects.exists()


def test_a_partial_refund_keeps_the_points_and_a_full_refund_takes_them_back(rate, paid_session):
    booking, payment = _paid(paid_session)
    settle_all()
    first = payments.request_refund(payment=payment, amount=Decimal("10.00"))
    payments.send_refund(refund_id=first.pk)
    settle_all()
    assert balance_of(booking.client) == 41
    payment.refresh_from_db()
    rest = payments.request_refund(payment=payment, amount=payment.refundable)
    payments.send_refund(refund_id=rest.pk)
    settle_all()
    taken = LedgerEntry.objects.get(kind=EntryKind.PAYMENT_REVERSED)
    assert taken.points == -41
    assert balance_of(booking.client) == 0


def test_points_already_spent_stay_spent(rate, paid_session, olivia):
    booking, payment = _paid(paid_session)
    settle_all()
    adjust_points(client=booking.client, points=-30, description="Spent at the desk", by=olivia)
    refund = payments.request_refund(payment=payment, amount=payment.amount)
    payments.send_refund(refund_id=refund.pk)
    settle_all()
    taken = LedgerEntry.objects.get(kind=EntryKind.PAYMENT_REVERSED)
    assert taken.points == -11
    assert "only 11 of 41 points could be taken back" in taken.wording
    assert balance_of(booking.client) == 0


def test_loyalty_reads_payment_events_as_a_consumer_of_the_outbox(rate, paid_session):
    _paid(paid_session)
    event = DomainEvent.objects.get(kind=EventKind.PAYMENT_RECEIVED)
    assert event.deliveries.filter(consumer=CONSUMER).exists()


def _settings(**changes) -> dict:
    program = Program.current()
    return {
        "is_enabled": "on",
        "credit_delay_hours": program.credit_delay_hours,
        "template_points_earned_subject": "",
        "template_points_earned_body": "",
        "template_balance_changed_subject": "",
        "template_balance_changed_body": "",
        **changes,
    }


def test_the_owner_sets_the_points_per_unit_paid_online(client, olivia, program):
    client.force_login(olivia)
    response = client.post("/dashboard/loyalty/settings/", _settings(points_per_currency_unit="2"))
    assert response.status_code == 302
    assert Program.current().points_per_currency_unit == 2
    client.post("/dashboard/loyalty/settings/", _settings())
    assert Program.current().points_per_currency_unit == 2  # left out: unchanged


@pytest.mark.parametrize("bad", ["-1", "abc", "1001", "1e309"])
def test_a_bad_rate_is_refused_next_to_its_field(client, olivia, program, bad):
    client.force_login(olivia)
    response = client.post("/dashboard/loyalty/settings/", _settings(points_per_currency_unit=bad))
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["points_per_currency_unit"]
    assert Program.current().points_per_currency_unit == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_crediting_one_payment_at_once_credit_it_once(rate, paid_session):
    """Beyond the outbox's claim: ten workers crediting the same payment directly meet the
    balance lock and the unique constraint; one entry, one balance."""
    booking, payment = _paid(paid_session)
    gate = threading.Barrier(WORKERS)

    def credit(_worker: int) -> bool:
        try:
            gate.wait(timeout=30)
            return credit_online_payment(payment_id=payment.pk) is not None
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        credited = list(pool.map(credit, range(WORKERS)))

    assert credited.count(True) == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.PAID_ONLINE).count() == 1
    assert balance_of(booking.client) == 41
