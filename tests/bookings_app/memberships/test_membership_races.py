"""Racing bookings with a membership: one session left in the week books exactly once."""

from datetime import timedelta

import pytest
from django.db import connection

from bookings_app.core.errors import BookingError
from bookings_app.models import Booking, PlanCreditUse
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.plans import use_credit
from tests import factories as f
from tests.support.memberships import member
from tests.support.races import in_words, race

ALICE = ClientDetails(email="alice@client.test", first_name="Alice")
AT_ONCE = 20 if connection.vendor == "postgresql" else 12  # SQLite serialises writers


@pytest.mark.django_db(transaction=True)
def test_twenty_bookings_at_once_with_one_session_left_in_the_week_book_once(
    twice_a_week, alice, started, yoga_next_week, studio
):
    membership = member(twice_a_week, alice, now=started)
    earlier = f.session(studio["yoga"], studio["nina"], yoga_next_week[0].start - timedelta(hours=1))
    book_and_pay(
        book=lambda: book_class_seat(session=earlier, details=ALICE),
        pay=lambda bookings: use_credit(client_plan_id=membership.pk, bookings=bookings),
    )

    def book(i):
        return book_and_pay(
            book=lambda: book_class_seat(session=yoga_next_week[i], details=ALICE),
            pay=lambda bookings: use_credit(client_plan_id=membership.pk, bookings=bookings),
        )

    outcomes = in_words(race(book, range(AT_ONCE), refused=BookingError), success="booked")

    assert outcomes.count("booked") == 1
    assert set(outcomes) - {"booked"} == {"Your membership has no sessions left that week."}
    assert Booking.objects.count() == PlanCreditUse.objects.count() == 2
