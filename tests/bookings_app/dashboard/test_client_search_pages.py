"""Every page with a client search box finds a client the same way: by first and last name, by
e-mail, by phone digits — and long or odd input never answers 500."""

import pytest
from django.urls import reverse
from django.utils import timezone

from automations import services as automation_services
from bookings_app.models import ServiceKind
from loyalty.models import Program
from tests import factories

pytestmark = pytest.mark.django_db


def _offered(content: str, person) -> bool:
    """A picker offers the client as a choice (radio button or button) named by its id."""
    return f'value="{person.pk}"' in content


def _linked(content: str, person) -> bool:
    """A list's row links to the client's page."""
    return f'href="{reverse("dashboard:client", args=[person.pk])}"' in content


def _calendar(clients, olivia):
    return reverse("dashboard:calendar_clients"), "q", _offered


def _clients_list(clients, olivia):
    return reverse("dashboard:clients"), "q", _linked


def _bookings_list(clients, olivia):
    nina = factories.staff_member("Nina")
    massage = factories.service("Massage", staff=[nina])
    day = timezone.localdate() + timezone.timedelta(days=3)
    for hour, person in zip(("09:00", "11:00"), clients, strict=True):
        factories.booking(factories.session(massage, nina, factories.local(day, hour)), person)
    return reverse("dashboard:bookings"), "q", _linked


def _tablet_walk_in(clients, olivia):
    nina = factories.staff_member("Nina")
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=5)
    session = factories.session(yoga, nina, factories.local(timezone.localdate(), "18:00"))
    return reverse("staff:client_search", args=[session.pk]), "q", _offered


def _loyalty_picker(clients, olivia):
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True})
    return reverse("loyalty_dashboard:client_search"), "client_q", _offered


def _automation_tasks(clients, olivia):
    for person in clients:
        automation_services.create_task(title="Call back", client=person)
    return reverse("automations_tasks:list"), "q", _linked


PAGES = [_calendar, _clients_list, _bookings_list, _tablet_walk_in, _loyalty_picker, _automation_tasks]


@pytest.fixture
def page(request, client, olivia):
    factories.business()
    alice = factories.client("Alice", last_name="Martin", phone="06 12 34 56 78")
    alan = factories.client("Alan", last_name="Marsh", email="al@work.test", phone="07 99 88 77 66")
    url, field, shows = request.param((alice, alan), olivia)
    client.force_login(olivia)

    def search(query: str):
        response = client.get(url, {field: query}, headers={"HX-Request": "true"})
        content = response.content.decode()
        return response, [person for person in (alice, alan) if shows(content, person)]

    return search, alice, alan


@pytest.mark.parametrize("page", PAGES, indirect=True)
@pytest.mark.parametrize("query", ["Alice Martin", "martin ALICE", "alice@client", "0612345678", "12 34 56"])
def test_it_finds_the_client(page, query):
    search, alice, alan = page
    response, found = search(query)
    assert response.status_code == 200
    assert found == [alice]


@pytest.mark.parametrize("page", PAGES, indirect=True)
@pytest.mark.parametrize("query", ["%_\\", "' OR 1=1 --", "zz " * 30])
def test_odd_input_finds_no_one(page, query):
    search, alice, alan = page
    response, found = search(query)
    assert (response.status_code, found) == (200, [])


@pytest.mark.parametrize("page", PAGES, indirect=True)
def test_an_overlong_search_is_an_answer_not_an_error(page):
    """Lists whose form bounds the box ignore the search (the bookings list says why, 400);
    pickers read its first 100 characters."""
    search, alice, alan = page
    response, found = search("x" * 5000)
    assert response.status_code in (200, 400)
