"""The booking form of a service paid online: hold, pay on the test page, confirmed; a gift card first."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bookings_app.models import Booking, BookingStatus, OutgoingEmail, PaymentStatus
from loyalty.models import GiftCard, Program
from loyalty.services import issue_gift_card
from tests.support.loyalty import settle_cancellations

pytestmark = pytest.mark.django_db


def _form(**fields) -> dict:
    return {
        "first_name": "Alice",
        "last_name": "Martin",
        "email": "alice@client.test",
        "request_key": "a" * 32,
        **fields,
    }


def _seat_url(session) -> str:
    return reverse("public:book_session", args=[session.service.slug, session.pk])


def test_the_form_says_what_is_paid_online(client, yoga_session):
    page = client.get(_seat_url(yoga_session)).content.decode()
    assert "20.00 EUR is paid online to confirm your place" in page and "Book and pay" in page


def test_booking_sends_the_client_to_the_test_page_and_paying_confirms(client, yoga_session):
    response = client.post(_seat_url(yoga_session), _form())
    booking = Booking.objects.get()
    payment = booking.payments.get()
    assert booking.status == BookingStatus.AWAITING_PAYMENT
    assert response.status_code == 303 and response["Location"] == reverse(
        "payments:test_checkout", args=[payment.token]
    )
    again = client.post(_seat_url(yoga_session), _form())  # the same form sent twice: the same payment
    assert again["Location"] == response["Location"] and booking.payments.count() == 1
    back = client.post(response["Location"], {"action": "pay"})
    confirmed = client.get(back["Location"])
    assert confirmed.status_code == 303 and confirmed["Location"].startswith("/booked/")
    page = client.get(confirmed["Location"]).content.decode()
    assert "You&#x27;re booked" in page or "You're booked" in page
    assert "Online payment" in page and "20.00 EUR" in page and "test provider" in page
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.paid_at is not None
    assert OutgoingEmail.objects.filter(booking=booking, kind="confirmation").count() == 1


def test_a_deposit_leaves_the_rest_to_pay_in_person(client, massage):
    from datetime import timedelta
    from urllib.parse import urlencode

    from django.utils import timezone

    start = (timezone.now() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    url = reverse("public:book", args=[massage.slug]) + "?" + urlencode({"start": start.isoformat()})
    response = client.post(url, _form())
    payment = Booking.objects.get().payments.get()
    assert payment.amount == Decimal("24.00")
    client.post(response["Location"], {"action": "pay"})
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED and booking.due_in_person == Decimal("56.00")
    assert booking.paid_at is None


def test_declining_says_so_and_abandoning_frees_the_seat(client, yoga_session):
    response = client.post(_seat_url(yoga_session), _form())
    back = client.post(response["Location"], {"action": "decline"})
    page = client.get(back["Location"]).content.decode()
    assert "Your payment was declined" in page and "No money was taken" in page
    retry = client.post(reverse("payments:checkout", args=[Booking.objects.get().payments.get().token]))
    back = client.post(retry["Location"], {"action": "abandon"})
    page = client.get(back["Location"]).content.decode()
    assert "Nothing is booked" in page
    yoga_session.refresh_from_db()
    assert yoga_session.seats_taken == 0 and Booking.objects.get().status == BookingStatus.RELEASED


def test_a_gift_card_pays_first_and_comes_back_when_the_hold_is_released(client, yoga_session, olivia):
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True})
    card = issue_gift_card(value=Decimal("15.00"), by=olivia)
    response = client.post(_seat_url(yoga_session), _form(gift_card_code=card.code))
    booking = Booking.objects.get()
    payment = booking.payments.get()
    assert payment.amount == Decimal("5.00") and booking.prepaid_amount == Decimal("15.00")
    client.post(response["Location"], {"action": "abandon"})
    assert settle_cancellations() == 1
    card.refresh_from_db()
    assert card.remaining_value == Decimal("15.00")


def test_a_gift_card_that_pays_everything_confirms_without_the_provider(client, yoga_session, olivia):
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True})
    card = issue_gift_card(value=Decimal("50.00"), by=olivia)
    response = client.post(_seat_url(yoga_session), _form(gift_card_code=card.code))
    assert response["Location"].startswith("/booked/")
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED and not booking.payments.exists()
    assert GiftCard.objects.get().remaining_value == Decimal("30.00")


def test_the_paid_booking_shows_on_the_owners_page_and_refunds_in_part(client, yoga_session, olivia):
    response = client.post(_seat_url(yoga_session), _form())
    client.post(response["Location"], {"action": "pay"})
    booking = Booking.objects.get()
    payment = booking.payments.get()
    client.force_login(olivia)
    page = client.get(reverse("dashboard:booking", args=[booking.pk])).content.decode()
    assert "Payments" in page and "Amount to refund" in page
    assert (
        client.post(reverse("payments_dashboard:refund", args=[payment.pk]), {"amount": "abc"}).status_code
        == 302
    )
    assert (
        client.post(reverse("payments_dashboard:refund", args=[payment.pk]), {"amount": "1e9999"}).status_code
        == 302
    )
    client.post(reverse("payments_dashboard:refund", args=[payment.pk]), {"amount": "50"})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID  # more than was paid: refused
    client.post(reverse("payments_dashboard:refund", args=[payment.pk]), {"amount": "5"})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTLY_REFUNDED and payment.refunded_amount == Decimal("5.00")
    client.post(reverse("payments_dashboard:refund", args=[payment.pk]), {"amount": ""})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    page = client.get(reverse("dashboard:booking", args=[booking.pk])).content.decode()
    assert "Refunded 5.00 EUR" in page and "Refunded 15.00 EUR" in page


def test_a_failed_refund_shows_and_can_be_tried_again(client, yoga_session, olivia, settings):
    response = client.post(_seat_url(yoga_session), _form())
    client.post(response["Location"], {"action": "pay"})
    payment = Booking.objects.get().payments.get()
    client.force_login(olivia)
    settings.PAYMENT_TEST_REFUNDS_FAIL = True
    answer = client.post(reverse("payments_dashboard:refund", args=[payment.pk]), {"amount": ""}, follow=True)
    page = answer.content.decode()
    assert "The refund failed" in page and "Try the refund again" in page
    refund = payment.refunds.get()
    settings.PAYMENT_TEST_REFUNDS_FAIL = False
    client.post(reverse("payments_dashboard:retry_refund", args=[refund.pk]))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and payment.ledger_entries.count() == 2
