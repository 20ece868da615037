"""A client's discount code at checkout: what it takes off, and every reason it is refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from bookings_app.models import (
    Booking,
    BookingStatus,
    Business,
    DiscountCode,
    DiscountKind,
    DiscountRedemption,
    PaymentStatus,
    ServiceKind,
)
from bookings_app.services.bookings import book_course
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.discounts import DiscountRefused, archive_discount_code, redeem_discount
from tests import factories
from tests.support.discounts import book_with_code, code, refusal

pytestmark = pytest.mark.django_db


def test_it_takes_ten_percent_off_whatever_the_case_typed(yoga_session, welcome10):
    booking = book_with_code(yoga_session, "  Welcome10 ")
    assert booking.price == Decimal("18.00")
    discount = booking.discount
    assert (discount.code, discount.amount, discount.currency) == ("WELCOME10", Decimal("2.00"), "EUR")
    assert discount.price_before == Decimal("20.00") and discount.price_after == Decimal("18.00")
    welcome10.refresh_from_db()
    assert welcome10.uses == 1


def test_it_takes_a_fixed_amount_off_and_never_more_than_the_price(yoga_session, yoga, nina):
    code(code="FIVE", kind=DiscountKind.AMOUNT, amount=Decimal("5"), percent=None)
    code(code="BIG", kind=DiscountKind.AMOUNT, amount=Decimal("500"), percent=None)
    assert book_with_code(yoga_session, "five").price == Decimal("15.00")
    other = factories.session(yoga, nina, yoga_session.start + timedelta(days=1), capacity=30)
    free = book_with_code(other, "big", "bob@client.test")
    assert free.price == Decimal("0.00") and free.discount.amount == Decimal("20.00")


def test_it_rounds_a_percentage_to_the_cent(yoga, yoga_session):
    code(code="THIRD", percent=Decimal("33.33"))
    assert book_with_code(yoga_session, "third").discount.amount == Decimal("6.67")


def test_an_unknown_code_books_nothing(yoga_session, welcome10):
    assert refusal(yoga_session, "WELCOME11") == "This discount code does not exist."
    assert not Booking.objects.exists() and not DiscountRedemption.objects.exists()
    yoga_session.refresh_from_db()
    assert yoga_session.seats_taken == 0


def test_an_archived_code_is_no_longer_valid(yoga_session, welcome10):
    archive_discount_code(discount_code=welcome10)
    assert refusal(yoga_session, "welcome10") == "This discount code is no longer valid."


def test_a_code_not_yet_valid_says_from_when(yoga_session, studio):
    today = timezone.localdate(timezone.now(), Business.current().tz)
    code(code="SOON", valid_from=today + timedelta(days=2))
    assert refusal(yoga_session, "soon").startswith("This discount code is valid from ")
    assert not Booking.objects.exists()


def test_an_expired_code_says_since_when(yoga_session, studio):
    today = timezone.localdate(timezone.now(), Business.current().tz)
    code(code="OLD", valid_from=today - timedelta(days=10), valid_until=today - timedelta(days=1))
    assert refusal(yoga_session, "old").startswith("This discount code expired on ")


def test_a_code_is_valid_on_its_first_and_last_day(yoga_session, studio):
    today = timezone.localdate(timezone.now(), Business.current().tz)
    code(code="TODAY", valid_from=today, valid_until=today)
    assert book_with_code(yoga_session, "today").price == Decimal("18.00")


def test_a_code_for_other_services_says_so(yoga_session, pilates):
    code(code="PILATES", services=[pilates])
    assert refusal(yoga_session, "pilates") == "This discount code does not apply to “Yoga”."


def test_a_code_for_the_service_applies(yoga_session, yoga, pilates):
    code(code="BOTH", services=[pilates, yoga])
    assert book_with_code(yoga_session, "both").price == Decimal("18.00")


def test_a_used_up_code_is_refused_to_the_next_client(yoga_session):
    code(code="ONCE", max_uses=1)
    book_with_code(yoga_session, "once", "alice@client.test")
    assert refusal(yoga_session, "once", "bob@client.test") == "This discount code has been used up."
    assert Booking.objects.count() == 1 and DiscountCode.objects.get(code="ONCE").uses == 1


def test_a_client_uses_a_code_as_often_as_allowed(yoga, nina, yoga_session):
    code(code="ONEEACH", max_uses_per_client=1)
    book_with_code(yoga_session, "oneeach", "alice@client.test")
    later = factories.session(yoga, nina, yoga_session.start + timedelta(days=1), capacity=30)
    assert refusal(later, "oneeach", "ALICE@client.test") == "You have already used this discount code."
    assert book_with_code(later, "oneeach", "bob@client.test").price == Decimal("18.00")


def test_a_course_takes_no_discount_code(nina, welcome10):
    course = factories.service(
        "Pottery", kind=ServiceKind.COURSE, staff=[nina], capacity=8, price=Decimal("30")
    )
    for days in (5, 12):
        factories.session(course, nina, timezone.now() + timedelta(days=days), capacity=8)
    with pytest.raises(DiscountRefused) as refused, transaction.atomic():
        bookings = book_course(service=course, details=ClientDetails(email="a@client.test", first_name="A"))
        redeem_discount(code="welcome10", bookings=bookings)
    assert refused.value.message == "Discount codes do not apply to courses."


def test_a_free_booking_takes_no_discount(nina, welcome10):
    free = factories.service("Open day", kind=ServiceKind.CLASS, staff=[nina], capacity=8, price=Decimal("0"))
    session = factories.session(free, nina, timezone.now() + timedelta(days=2), capacity=8)
    assert refusal(session, "welcome10") == "This booking is free; a discount code does not apply."


def test_a_fixed_amount_in_another_currency_is_refused(yoga_session, studio):
    code(code="TENEUR", kind=DiscountKind.AMOUNT, amount=Decimal("10"), percent=None)
    factories.business(currency="USD")
    assert refusal(yoga_session, "teneur") == "This discount code is in another currency."


def test_the_same_form_sent_twice_uses_the_code_once(yoga_session, welcome10):
    booking = book_with_code(yoga_session, "welcome10")
    with transaction.atomic():
        again = redeem_discount(code="welcome10", bookings=[booking])
    assert again == booking.discount
    booking.refresh_from_db()
    welcome10.refresh_from_db()
    assert booking.price == Decimal("18.00") and welcome10.uses == 1


def test_online_payment_asks_the_discounted_price(pilates_session, welcome10):
    booking = book_with_code(pilates_session, "welcome10")
    assert booking.status == BookingStatus.AWAITING_PAYMENT
    payment = booking.payments.get()
    assert (payment.amount, payment.currency, payment.status) == (
        Decimal("36.00"),
        "EUR",
        PaymentStatus.PENDING,
    )


def test_a_full_discount_confirms_a_booking_paid_online_without_the_provider(pilates_session):
    code(code="FREE", percent=Decimal("100"))
    booking = book_with_code(pilates_session, "free")
    assert booking.status == BookingStatus.CONFIRMED and booking.price == 0
    assert not booking.payments.exists()
