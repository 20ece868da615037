"""Every list of the dashboard is framed the same way (templates/dashboard/_list.html: the count,
the table or the empty state) and pages with the same pager (templates/dashboard/_pager.html)."""

import pytest
from django.urls import reverse

from bookings_app.models import Client, Service, StaffMember
from loyalty.models import Program
from tests import factories

FRAMED = {
    "dashboard:clients": "No clients match.",
    "dashboard:bookings": "No bookings match.",
    "dashboard:emails": "No e-mails match.",
    "loyalty_dashboard:report": "No entries match.",
    "loyalty_dashboard:gift_cards": "No gift cards match.",
    "loyalty_dashboard:products": "No gift cards yet. Create one clients can buy with their points.",
    "automations_dashboard:list": "No automations yet. Start from a template or from scratch.",
    "automations_tasks:list": "No tasks here.",
    "dashboard:services": "No services yet. Create the first one.",
    "dashboard:staff_list": "No staff members yet.",
}


@pytest.fixture
def owner(client, olivia):
    factories.business()
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True})
    client.force_login(olivia)
    return client


@pytest.mark.parametrize("url_name", FRAMED)
def test_an_empty_list_says_so_in_the_frame(owner, url_name):
    page = owner.get(reverse(url_name)).content.decode()

    assert f'<div class="card empty">{FRAMED[url_name]}</div>' in page
    assert "<table" not in page


def test_a_list_shows_its_count_its_tools_and_its_table(owner):
    factories.client("Alice")

    page = owner.get(reverse("dashboard:clients")).content.decode()

    toolbar = page[page.index('<div class="table-toolbar">') :]
    assert toolbar.index("1 client") < toolbar.index("Export CSV") < toolbar.index('<table class="table">')
    assert '<div class="card empty">' not in page


def _pager(page: str) -> str:
    start = page.index('<nav class="pager"')
    return page[start : page.index("</nav>", start)]


def test_the_lists_share_one_pager_that_keeps_the_filters(owner):
    Client.objects.bulk_create(Client(first_name=f"Ann {n}", email=f"ann{n}@client.test") for n in range(30))
    Service.objects.bulk_create(Service(name=f"Massage {n}", slug=f"massage-{n}") for n in range(30))
    StaffMember.objects.bulk_create(StaffMember(name=f"Sam {n}") for n in range(30))

    pagers = [
        _pager(owner.get(reverse("dashboard:clients") + "?q=Ann").content.decode()),
        _pager(owner.get(reverse("dashboard:services") + "?q=Massage").content.decode()),
        _pager(owner.get(reverse("dashboard:staff_list") + "?q=Sam").content.decode()),
    ]

    for pager, search in zip(pagers, ("Ann", "Massage", "Sam"), strict=True):
        assert f'href="?q={search}&amp;page=2"' in pager
        assert f'hx-get="?q={search}&amp;page=2"' in pager and 'rel="next"' in pager
        assert "Page 1 of 2" in pager


SEARCHED = {
    "dashboard:clients": "#client-table",
    "dashboard:bookings": "#booking-table",
    "dashboard:emails": "#email-table",
    "loyalty_dashboard:products": "#product-table",
    "automations_dashboard:list": "#automation-table",
    "automations_tasks:list": "#task-table",
}


@pytest.mark.parametrize("url_name", SEARCHED)
def test_the_search_box_searches_the_list_as_the_owner_types(owner, url_name):
    page = owner.get(reverse(url_name) + "?q=Ann").content.decode()

    box = page[page.index('<div class="field filters__search">') :]
    box = box[: box.index("</div>")]
    assert 'value="Ann"' in box
    assert f'hx-get="{reverse(url_name)}"' in box and f'hx-target="{SEARCHED[url_name]}"' in box
    assert 'placeholder="' in box and 'placeholder=""' not in box
