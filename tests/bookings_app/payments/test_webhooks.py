"""The provider's word: verified, processed once, checked against what is owed, in any order."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import (
    Booking,
    BookingStatus,
    DomainEvent,
    EventKind,
    OutgoingEmail,
    PaymentLedgerEntry,
    PaymentRefund,
    PaymentStatus,
    ProcessedProviderEvent,
)
from bookings_app.payments.testing import event_body, sign
from bookings_app.services import payments
from tests import factories
from tests.support.payments import deliver, hold_seat

pytestmark = pytest.mark.django_db


def _confirmations(booking) -> int:
    return OutgoingEmail.objects.filter(booking=booking, kind="confirmation").count()


def test_a_paid_event_confirms_the_booking_once(yoga_session):
    booking, payment = hold_seat(yoga_session)
    assert deliver(payment, event_id="evt_1").code == "confirmed"
    assert deliver(payment, event_id="evt_1").code == "duplicate"
    assert deliver(payment, event_id="evt_2").code == "already_paid"
    booking.refresh_from_db(), payment.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.prepaid_amount == Decimal("20.00")
    assert booking.paid_at is not None and booking.payment_method == "online"
    assert payment.status == PaymentStatus.PAID and payment.paid_at is not None
    assert PaymentLedgerEntry.objects.filter(payment=payment, kind="charge").count() == 1
    assert _confirmations(booking) == 1
    assert DomainEvent.objects.filter(kind=EventKind.BOOKING_CREATED, booking=booking).count() == 1


def test_a_wrong_amount_or_currency_confirms_nothing(yoga_session):
    booking, payment = hold_seat(yoga_session)
    assert deliver(payment, amount=Decimal("2.00")).code == "amount_mismatch"
    assert deliver(payment, currency="USD").code == "amount_mismatch"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.AWAITING_PAYMENT and not PaymentLedgerEntry.objects.exists()


def test_a_decline_keeps_the_place_for_another_try(yoga_session, settings):
    booking, payment = hold_seat(yoga_session)
    assert deliver(payment, "payment.failed").code == "declined"
    booking.refresh_from_db(), payment.refresh_from_db(), yoga_session.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and booking.status == BookingStatus.AWAITING_PAYMENT
    again = payments.retry_payment(booking=booking, provider_name="test")
    payments.open_checkout(payment=again, success_url="/", cancel_url="/")
    again.refresh_from_db()
    assert deliver(again).code == "confirmed"
    assert yoga_session.seats_taken == 1


def test_abandoning_gives_the_place_back_at_once(yoga_session):
    booking, payment = hold_seat(yoga_session)
    assert deliver(payment, "payment.abandoned").code == "released"
    booking.refresh_from_db(), yoga_session.refresh_from_db()
    assert booking.status == BookingStatus.RELEASED and yoga_session.seats_taken == 0


def test_a_late_payment_takes_the_place_again_when_it_is_free(yoga_session):
    booking, payment = hold_seat(yoga_session)
    Booking.objects.filter(pk=booking.pk).update(hold_until=timezone.now() - timedelta(seconds=1))
    payments.release_expired_holds()
    assert deliver(payment).code == "confirmed_late"
    booking.refresh_from_db(), yoga_session.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and yoga_session.seats_taken == 1
    assert _confirmations(booking) == 1


def test_a_late_payment_for_a_place_taken_since_is_refunded(
    yoga_session, handed_over, django_capture_on_commit_callbacks
):
    booking, payment = hold_seat(yoga_session)
    Booking.objects.filter(pk=booking.pk).update(hold_until=timezone.now() - timedelta(seconds=1))
    payments.release_expired_holds()
    for number in range(2, 7):
        hold_seat(yoga_session, number)  # five others fill the class
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(payment).code == "refunding"
    refund = PaymentRefund.objects.get(payment=payment)
    assert handed_over["bookings_app.tasks.send_refund"] == [refund.pk]
    payments.send_refund(refund_id=refund.pk)
    payment.refresh_from_db(), booking.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_amount == Decimal("20.00")
    assert booking.status == BookingStatus.RELEASED and _confirmations(booking) == 0
    kinds = list(PaymentLedgerEntry.objects.filter(payment=payment).values_list("kind", "amount"))
    assert kinds == [("charge", Decimal("20.00")), ("refund", Decimal("20.00"))]


def test_the_webhook_refuses_a_bad_signature(client, yoga_session):
    _, payment = hold_seat(yoga_session)
    body = event_body(
        kind="payment.succeeded", reference=payment.provider_reference, amount=payment.amount, currency="EUR"
    )
    url = reverse("payments:webhook", args=["test"])
    forged = sign(body).replace("v1=", "v1=0")
    for headers in ({}, {"HTTP_RENDEZ_SIGNATURE": forged}, {"HTTP_RENDEZ_SIGNATURE": "t=1,v1=ab"}):
        assert client.post(url, body, content_type="application/json", **headers).status_code == 400
    assert not ProcessedProviderEvent.objects.exists()
    response = client.post(url, body, content_type="application/json", HTTP_RENDEZ_SIGNATURE=sign(body))
    assert response.status_code == 200 and response.json() == {"outcome": "confirmed"}


def test_the_webhook_answers_400_to_signed_nonsense_and_404_to_other_providers(client):
    url = reverse("payments:webhook", args=["test"])
    body = b"not json"
    assert (
        client.post(url, body, content_type="application/json", HTTP_RENDEZ_SIGNATURE=sign(body)).status_code
        == 400
    )
    assert (
        client.post(
            reverse("payments:webhook", args=["stripe"]), body, content_type="application/json"
        ).status_code
        == 404
    )


def test_an_event_for_no_payment_is_stored_and_ignored(client, studio):
    body = event_body(kind="payment.succeeded", reference="test_nobody", amount=Decimal("5"), currency="EUR")
    url = reverse("payments:webhook", args=["test"])
    response = client.post(url, body, content_type="application/json", HTTP_RENDEZ_SIGNATURE=sign(body))
    assert response.json() == {"outcome": "ignored"}


def test_the_test_page_pays_declines_and_abandons(client, yoga_session):
    booking, payment = hold_seat(yoga_session)
    page = client.get(reverse("payments:test_checkout", args=[payment.token]))
    assert "Test payment — no money moves" in page.content.decode()
    response = client.post(reverse("payments:test_checkout", args=[payment.token]), {"action": "decline"})
    assert response.status_code == 303
    page = client.get(response["Location"])
    assert "Your payment was declined" in page.content.decode()
    retried = client.post(reverse("payments:checkout", args=[payment.token]))
    new = booking.payments.get(status="pending")
    assert retried["Location"] == reverse("payments:test_checkout", args=[new.token])
    client.post(reverse("payments:test_checkout", args=[new.token]), {"action": "pay"})
    landing = client.get(reverse("payments:pay", args=[new.token]))
    assert landing.status_code == 303 and "/booked/" in landing["Location"]
    assert (
        client.post(reverse("payments:test_checkout", args=[new.token]), {"action": "nope"}).status_code
        == 400
    )


def test_the_test_page_is_not_there_with_stripe(client, yoga_session, settings):
    _, payment = hold_seat(yoga_session)
    settings.PAYMENT_PROVIDER = "stripe"
    assert client.get(reverse("payments:test_checkout", args=[payment.token])).status_code == 404
    assert client.get(reverse("payments:pay", args=["nope"])).status_code == 404


def test_gift_card_part_is_kept_apart_from_the_online_part(yoga_session):
    booking, payment = hold_seat(yoga_session)
    assert factories is not None and payment.amount == booking.price
