"""The bookings and clients lists cost the same queries for one row as for thirty (no N+1)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Label
from tests import factories

pytestmark = pytest.mark.django_db

BOOKINGS_QUERIES = 9  # the count, the page's ids, then its rows
CLIENTS_QUERIES = 9


def _client_rows(response) -> int:
    return len(re.findall(r'href="/dashboard/clients/\d+/"', response.content.decode()))


def _bookings(count: int) -> None:
    nina = factories.staff_member("Nina")
    massage = factories.service("Massage", staff=[nina])
    first_day = timezone.localdate() + timezone.timedelta(days=1)
    for number in range(count):
        day = first_day + timezone.timedelta(days=number)
        session = factories.session(massage, nina, factories.local(day, "10:00"))
        factories.booking(session, factories.client(f"Client{number}", last_name="Martin"))


def _clients(count: int) -> None:
    vip = Label.objects.create(name="VIP")
    for number in range(count):
        factories.client(f"Client{number}", last_name="Martin", phone="06 12").labels.add(vip)


@pytest.mark.parametrize("rows", [1, 30])
def test_the_bookings_list_costs_the_same_queries_for_1_and_30_rows(
    client, olivia, rows, django_assert_num_queries
):
    factories.business()
    _bookings(rows)
    client.force_login(olivia)
    with django_assert_num_queries(BOOKINGS_QUERIES):
        response = client.get(reverse("dashboard:bookings"), {"q": "martin"})
    assert _client_rows(response) == min(rows, 25)


@pytest.mark.parametrize("rows", [1, 30])
def test_the_clients_list_costs_the_same_queries_for_1_and_30_rows(
    client, olivia, rows, django_assert_num_queries
):
    factories.business()
    _clients(rows)
    client.force_login(olivia)
    with django_assert_num_queries(CLIENTS_QUERIES):
        response = client.get(reverse("dashboard:clients"), {"q": "martin 0612"})
    assert _client_rows(response) == min(rows, 25)
