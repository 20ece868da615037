"""The owner's home page: the money taken online over the last thirty days, net per day, per
service and per staff member, each currency on its own, in a fixed number of queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.models import Payment
from bookings_app.selectors.revenue import recent_revenue
from bookings_app.services import payments
from tests import factories
from tests.support.payments import deliver, hold_appointment, hold_seat

pytestmark = pytest.mark.django_db

HOME = "/dashboard/"
# session, user, groups, business, today's sessions, today's four counts, weekly figures, revenue
HOME_QUERIES = 11


def _paid(payment: Payment, *, currency: str = "") -> Payment:
    if currency:
        Payment.objects.filter(pk=payment.pk).update(currency=currency)
        payment.refresh_from_db()
    deliver(payment)
    payment.refresh_from_db()
    return payment


@pytest.fixture
def takings(yoga_session, massage, nina):
    """Yoga: 20 + 20 EUR, 5 given back; a massage deposit of 24 EUR; and 20 USD for yoga."""
    first = _paid(hold_seat(yoga_session, 1)[1])
    _paid(hold_seat(yoga_session, 2)[1])
    refund = payments.request_refund(payment=first, amount=Decimal("5.00"))
    payments.send_refund(refund_id=refund.pk)
    start = factories.local(date.today() + timedelta(days=2), "10:00")  # inside Nina's day at any hour
    _paid(hold_appointment(massage, start, 3)[1])
    _paid(hold_seat(yoga_session, 4)[1], currency="USD")


def test_it_sums_each_currency_per_day_service_and_staff_member(studio, takings):
    eur, usd = recent_revenue(tz=studio.tz, now=timezone.now())
    assert (eur.currency, usd.currency) == ("EUR", "USD")
    assert len(eur.days) == 30
    assert eur.days[-1] == (timezone.localtime(timezone.now(), studio.tz).date(), Decimal("59.00"))
    assert sum(net for _, net in eur.days[:-1]) == 0
    assert [(s.name, s.net, s.refunds) for s in eur.by_service] == [
        ("Yoga", Decimal("35.00"), Decimal("5.00")),
        ("Massage", Decimal("24.00"), Decimal("0")),
    ]
    assert [(s.name, s.net) for s in eur.by_staff] == [("Nina", Decimal("59.00"))]
    assert usd.total == Decimal("20.00")


def test_it_counts_money_on_the_day_it_moved_and_forgets_it_after_thirty_days(studio, takings):
    later = timezone.now() + timedelta(days=29)
    (eur, _usd) = recent_revenue(tz=studio.tz, now=later)
    assert eur.days[0][1] == Decimal("59.00")
    assert recent_revenue(tz=studio.tz, now=timezone.now() + timedelta(days=31)) == []


def test_the_home_page_shows_the_chart_and_the_shares_per_currency(client, olivia, takings):
    client.force_login(olivia)
    page = client.get(HOME).content.decode()
    assert "Net revenue in EUR: 59.00" in page
    assert "Net revenue in USD: 20.00" in page
    assert 'aria-label="Net revenue per day (EUR): ' in page
    assert page.count('class="card home-revenue__shares"') == 4
    assert 'href="/dashboard/payments/"' in page


def test_the_home_page_says_when_nothing_was_taken_online(client, olivia, studio):
    client.force_login(olivia)
    assert "No money was taken online in this period." in client.get(HOME).content.decode()


@pytest.mark.parametrize("paid", [1, 20])
def test_the_home_page_costs_the_same_queries_whatever_the_payments(
    client, olivia, studio, nina, paid, django_assert_num_queries
):
    yoga = factories.service("Big yoga", kind="class", staff=[nina], capacity=40, price=Decimal("10.00"))
    yoga.payment_policy = "full"
    yoga.save()
    session = factories.session(yoga, nina, timezone.now() + timedelta(days=1), capacity=40)
    for number in range(paid):
        _paid(hold_seat(session, number)[1])
    client.force_login(olivia)
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(HOME)
    assert f"Net revenue in EUR: {paid * 10}.00" in response.content.decode()
