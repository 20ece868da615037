"""The online payments' triggers ("client pays online", "a payment is declined", "a refund is
issued") and the condition "booking is paid online", from the payment services' events to an
e-mail with the amount."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from automations.models import Run, RunStatus
from bookings_app.models import DomainEvent, EventKind, OutgoingEmail, PaymentPolicy, Service
from bookings_app.services import payments
from tests import factories as f
from tests.support.payments import deliver, hold_seat

from .builders import automation, book, email_client

PAYMENT_TRIGGERS = ("payment_received", "payment_failed", "refund_issued")


@pytest.fixture
def paid_yoga(yoga, nina):
    Service.objects.filter(pk=yoga.pk).update(price=Decimal("20.00"), payment_policy=PaymentPolicy.FULL)
    yoga.refresh_from_db()
    return f.session(yoga, nina, timezone.now() + timedelta(days=2), capacity=12)


def subjects() -> list[str]:
    return list(
        OutgoingEmail.objects.filter(kind="automation").order_by("pk").values_list("subject", flat=True)
    )


def test_each_payment_trigger_makes_one_run_per_event(worker, paid_yoga):
    for key in PAYMENT_TRIGGERS:
        automation(key, actions=[email_client(f"{key} {{payment_amount}} {{client_first_name}}")])
    booking, declined = hold_seat(paid_yoga, 1)
    deliver(declined, "payment.failed")
    payment = payments.retry_payment(booking=booking, provider_name="test")
    payments.open_checkout(payment=payment, success_url="/ok", cancel_url="/no")
    payment.refresh_from_db()
    for _ in range(3):  # the provider repeats itself: new event ids for the same payment
        deliver(payment)
    payment.refresh_from_db()
    refund = payments.request_refund(payment=payment, amount=Decimal("5.00"))
    payments.send_refund(refund_id=refund.pk)
    payments.send_refund(refund_id=refund.pk)

    runs = worker.deliver()

    assert sorted(run.automation.trigger for run in runs) == sorted(PAYMENT_TRIGGERS)
    assert {run.status for run in runs} == {RunStatus.DONE}
    assert subjects() == [
        "payment_failed 20.00 EUR Client 1",
        "payment_received 20.00 EUR Client 1",
        "refund_issued 5.00 EUR Client 1",
    ]
    assert worker.deliver() == []


def test_the_events_are_written_with_the_money_that_moved(paid_yoga):
    _booking, payment = hold_seat(paid_yoga, 1)
    deliver(payment)
    payment.refresh_from_db()
    refund = payments.request_refund(payment=payment, amount=Decimal("7.50"))
    payments.send_refund(refund_id=refund.pk)
    received = DomainEvent.objects.get(kind=EventKind.PAYMENT_RECEIVED)
    refunded = DomainEvent.objects.get(kind=EventKind.REFUND_ISSUED)
    assert received.payload == {
        "payment_id": payment.pk,
        "amount": "20.00",
        "currency": "EUR",
        "provider": "test",
    }
    assert refunded.payload["amount"] == "7.50" and refunded.payload["refund_id"] == refund.pk
    assert received.booking_id == refunded.booking_id == payment.booking_id
    assert received.client.email == f.racer(1).email


def test_an_event_is_not_written_when_nothing_moved(paid_yoga):
    _booking, payment = hold_seat(paid_yoga, 1)
    deliver(payment, "payment.abandoned")
    deliver(payment, amount=Decimal("1.00"))  # a tampered amount confirms nothing
    assert not DomainEvent.objects.filter(kind__startswith="payment.").exists()


@pytest.mark.parametrize(("paid_online", "status"), [(True, RunStatus.DONE), (False, RunStatus.SKIPPED)])
def test_the_condition_paid_online_reads_the_booking_s_payments(
    worker, paid_yoga, massage, paid_online, status
):
    automation(
        "client_books",
        conditions=[[{"field": "paid_online", "operator": "is_true"}]],
        actions=[email_client("Thanks for paying")],
    )
    if paid_online:
        _booking, payment = hold_seat(paid_yoga, 1)
        deliver(payment)
    else:
        book(massage)

    (run,) = worker.deliver()

    assert run.status == status


def test_the_amount_is_refused_where_the_trigger_knows_no_payment(studio):
    with pytest.raises(ValidationError) as refused:
        automation("client_books", actions=[email_client("You paid {payment_amount}")])
    assert "payment_amount" in str(refused.value)
    assert not Run.objects.exists()
