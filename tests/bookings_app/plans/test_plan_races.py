"""Racing bookings, real threads, real database: a pack's last credit and a client's limit hold."""

import pytest
from django.db import connection

from bookings_app.core.errors import BookingError
from bookings_app.models import Booking, Business, ClientPlan, PlanCreditUse
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.plans import use_credit
from tests.support.races import in_words, race

ALICE = ClientDetails(email="alice@client.test", first_name="Alice")
AT_ONCE = (
    20 if connection.vendor == "postgresql" else 12
)  # SQLite serialises writers (tests/support/races.py)


@pytest.mark.django_db(transaction=True)
def test_twenty_bookings_at_once_use_the_last_credit_exactly_once(alices_pack, yoga_sessions):
    ClientPlan.objects.filter(pk=alices_pack.pk).update(credits_used=9)

    def book(i):
        return book_and_pay(
            book=lambda: book_class_seat(session=yoga_sessions[i], details=ALICE),
            pay=lambda bookings: use_credit(client_plan_id=alices_pack.pk, bookings=bookings),
        )

    outcomes = in_words(race(book, range(AT_ONCE), refused=BookingError), success="booked")

    assert outcomes.count("booked") == 1
    assert set(outcomes) - {"booked"} == {"Your pack has no credits left."}
    alices_pack.refresh_from_db()
    assert alices_pack.credits_left == 0
    assert Booking.objects.count() == PlanCreditUse.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_bookings_at_once_stop_at_the_clients_upcoming_limit(studio, yoga_sessions):
    Business.objects.filter(pk=1).update(max_upcoming_bookings=3)

    outcomes = in_words(
        race(
            lambda i: book_class_seat(session=yoga_sessions[i], details=ALICE),
            range(AT_ONCE),
            refused=BookingError,
        ),
        success="booked",
    )

    assert outcomes.count("booked") == 3
    assert set(outcomes) - {"booked"} == {
        "You may have at most 3 upcoming bookings. Cancel one or wait until one is over."
    }
    assert Booking.objects.filter(client__email="alice@client.test").count() == 3


@pytest.mark.django_db(transaction=True)
def test_twenty_bookings_of_one_service_at_once_stop_at_its_limit_of_two(studio, yoga_sessions):
    from bookings_app.models import Service

    Service.objects.filter(pk=studio["yoga"].pk).update(max_upcoming_bookings=2)
    for session in yoga_sessions:
        session.service.refresh_from_db()

    outcomes = in_words(
        race(
            lambda i: book_class_seat(session=yoga_sessions[i], details=ALICE),
            range(AT_ONCE),
            refused=BookingError,
        ),
        success="booked",
    )

    assert outcomes.count("booked") == 2
    assert set(outcomes) - {"booked"} == {"You may have at most 2 upcoming bookings of “Yoga”."}
    assert Booking.objects.filter(client__email="alice@client.test").count() == 2


@pytest.mark.django_db(transaction=True)
def test_twenty_first_uses_at_once_give_a_pack_one_end_date(ten_classes, alice, yoga_sessions):
    from bookings_app.models import Plan
    from bookings_app.services.plans import give_plan

    Plan.objects.filter(pk=ten_classes.pk).update(valid_from="first_use", credits=30)
    pack = give_plan(plan=Plan.objects.get(pk=ten_classes.pk), client=alice)
    assert pack.valid_until is None

    def book(i):
        return book_and_pay(
            book=lambda: book_class_seat(session=yoga_sessions[i], details=ALICE),
            pay=lambda bookings: use_credit(client_plan_id=pack.pk, bookings=bookings),
        )

    outcomes = in_words(race(book, range(AT_ONCE), refused=BookingError), success="booked")

    assert outcomes.count("booked") == AT_ONCE
    pack.refresh_from_db()
    assert pack.credits_used == AT_ONCE and pack.valid_until is not None
    first_use = PlanCreditUse.objects.order_by("used_at").first().used_at
    assert abs((pack.valid_until - first_use).days - 90) <= 1
