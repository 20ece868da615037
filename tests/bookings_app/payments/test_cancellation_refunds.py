"""A client cancelling in time gets what the service's refund policy says; the team refunds all."""

from decimal import Decimal

import pytest

from bookings_app.models import PaymentRefund, PaymentStatus, RefundPolicy, Service
from bookings_app.services import payments
from bookings_app.services.changes import cancel_booking
from tests.support.payments import deliver, hold_appointment, hold_seat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept_from_the_broker(handed_over):
    return handed_over


def _refunds_sent() -> None:
    """What the refund task does for each refund handed over."""
    for refund in PaymentRefund.objects.all():
        payments.send_refund(refund_id=refund.pk)


def _paid_seat(yoga_session):
    booking, payment = hold_seat(yoga_session)
    deliver(payment)
    booking.refresh_from_db()
    return booking, payment


@pytest.mark.parametrize(
    ("policy", "refunded", "status"),
    [
        (RefundPolicy.FULL, Decimal("20.00"), PaymentStatus.REFUNDED),
        (RefundPolicy.NONE, Decimal("0.00"), PaymentStatus.PAID),
    ],
)
def test_the_client_gets_what_the_policy_says(
    yoga_session, django_capture_on_commit_callbacks, policy, refunded, status
):
    Service.objects.filter(pk=yoga_session.service_id).update(refund_policy=policy)
    booking, payment = _paid_seat(yoga_session)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=booking, by_client=True)
    _refunds_sent()
    payment.refresh_from_db()
    assert (payment.refunded_amount, payment.status) == (refunded, status)


def test_a_deposit_is_kept_when_the_policy_says_so(massage, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    Service.objects.filter(pk=massage.pk).update(refund_policy=RefundPolicy.DEPOSIT_KEPT)
    start = (timezone.now() + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    booking, payment = hold_appointment(massage, start)
    deliver(payment)
    booking.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=booking, by_client=True)
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("0.00")  # the payment was the deposit: all of it kept


def test_the_team_cancelling_refunds_everything(yoga_session, olivia, django_capture_on_commit_callbacks):
    Service.objects.filter(pk=yoga_session.service_id).update(refund_policy=RefundPolicy.NONE)
    booking, payment = _paid_seat(yoga_session)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=booking, by_client=False, by=olivia)
    _refunds_sent()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED


@pytest.mark.parametrize(
    ("policy", "words"),
    [
        (RefundPolicy.FULL, "You paid 20.00 EUR online: it is refunded in full."),
        (RefundPolicy.NONE, "You paid 20.00 EUR online: it is not refunded when you cancel."),
    ],
)
def test_the_cancel_page_says_what_comes_back(client, yoga_session, policy, words):
    from django.urls import reverse

    from bookings_app.web import links

    Service.objects.filter(pk=yoga_session.service_id).update(refund_policy=policy)
    booking, _ = _paid_seat(yoga_session)
    page = client.get(reverse("public:cancel", args=[links.manage_token(booking)])).content.decode()
    assert words in page
