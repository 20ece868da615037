"""Racing checkouts paying with one gift card, real threads on PostgreSQL: the card is spent once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client as Browser
from django.urls import reverse

from bookings_app.models import Booking
from loyalty.models import GiftCard, GiftCardRedemption
from loyalty.services import issue_gift_card
from tests import factories as f
from tests.support.races import race

THREADS = 8
MONDAY = f.next_weekday(0, after=date.today() + timedelta(days=2))
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_lets_one_of_many_racing_checkouts_spend_a_card_worth_one_seat(program, yoga, nina, olivia):
    session = f.session(yoga, nina, f.local(MONDAY, "18:00"))  # 20 EUR a seat, 30 seats
    card = issue_gift_card(value=Decimal("20.00"), by=olivia)
    url = reverse("public:book_session", args=[yoga.slug, session.pk])

    def checkout(i: int) -> int:
        return (
            Browser(REMOTE_ADDR=f"10.0.0.{i}")
            .post(
                url,
                {
                    "first_name": f"Client{i}",
                    "last_name": "Racer",
                    "email": f"client{i}@client.test",
                    "request_key": f"{i:032x}",
                    "gift_card_code": card.code,
                },
            )
            .status_code
        )

    statuses = race(checkout, range(THREADS))

    assert sorted(statuses) == [303] + [400] * (THREADS - 1)
    assert Booking.objects.count() == 1
    assert GiftCardRedemption.objects.aggregate(total=Sum("amount"))["total"] == Decimal("20.00")
    assert GiftCard.objects.get(pk=card.pk).remaining_value == 0
    session.refresh_from_db()
    assert session.seats_taken == 1
