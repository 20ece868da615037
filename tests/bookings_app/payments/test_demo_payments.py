"""The demo business has online payments of every kind, and its payments ledger adds up."""

import pytest
from django.core.management import call_command

from bookings_app.models import Booking, BookingStatus, Payment, Service
from bookings_app.payments.ledger_check import check_payments_ledger

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_on(settings):
    settings.DEBUG = True


def test_the_demo_has_paid_deposit_refunded_and_released_bookings():
    call_command("seed_demo", "--quiet-summary")
    assert Service.objects.get(slug="morning-pilates").payment_policy == "full"
    massage = Service.objects.get(slug="deep-tissue-massage")
    assert (massage.payment_policy, massage.deposit_percent) == ("deposit", 30)
    statuses = set(Payment.objects.values_list("booking__service__slug", "status"))
    assert {
        ("morning-pilates", "paid"),
        ("morning-pilates", "refunded"),
        ("morning-pilates", "abandoned"),
    } <= statuses
    assert ("deep-tissue-massage", "paid") in statuses
    assert Booking.objects.filter(status=BookingStatus.RELEASED).count() == 1
    assert check_payments_ledger() == []


def test_the_demo_owner_sees_its_payments_listed_and_its_revenue_on_the_home_page(client, olivia):
    call_command("seed_demo", "--quiet-summary")
    client.force_login(olivia)
    listed = client.get("/dashboard/payments/", {"kind": "refund"})
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count >= 1
    currency = Payment.objects.values_list("currency", flat=True).first()
    assert f"Net revenue in {currency}: " in client.get("/dashboard/").content.decode()
