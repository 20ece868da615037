"""English typed by the owner or a client, inside a Hebrew page, keeps its own direction: each
such text sits in an isolating element (``<bdi>``, an element with ``dir``) or between Unicode
isolates, so "Offer another time." does not read ".Offer another time"."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from automations.services import create_task
from bookings_app.models import OutgoingEmail
from tests import factories

pytestmark = pytest.mark.django_db
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


class TextPlaces(HTMLParser):
    """Each text of the page's body with whether it is isolated from the text around it."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.texts: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag not in VOID:
            has_dir = tag not in ("html", "body") and any(name == "dir" for name, _value in attrs)
            self.stack.append(tag == "bdi" or has_dir)

    def handle_endtag(self, tag) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data) -> None:
        if data.strip():
            self.texts.append((data, any(self.stack)))


def assert_isolated_everywhere(page: str, typed: str) -> None:
    """``typed`` appears, and each time in an isolating element or between isolates."""
    parser = TextPlaces()
    parser.feed(page)
    places = [(text, isolated) for text, isolated in parser.texts if typed in text]
    between_isolates = FIRST_STRONG_ISOLATE + typed + POP_DIRECTIONAL_ISOLATE
    bare = [text for text, isolated in places if not (isolated or between_isolates in text)]
    assert places, f"{typed!r} is not on the page"
    assert not bare, f"{typed!r} not isolated in {bare}"


@pytest.fixture
def owner_client(client, olivia):
    client.force_login(olivia)
    return client


def test_the_tasks_page_isolates_titles_notes_clients_and_assignees(owner_client, olivia):
    factories.business()
    olivia.last_name = "Owner"
    olivia.save()
    alice = factories.client("Alice", last_name="Martin")
    create_task(title="Call Alice Martin", notes="Offer another time.", client=alice, assignee=olivia)

    page = owner_client.get(reverse("automations_tasks:list"), HTTP_ACCEPT_LANGUAGE="he").content.decode()

    assert 'lang="he"' in page
    for typed in ("Call Alice Martin", "Offer another time.", "Alice Martin", "Olivia Owner"):
        assert_isolated_everywhere(page, typed)


def test_the_sent_emails_list_isolates_subjects_and_addresses(owner_client):
    factories.business()
    OutgoingEmail.objects.create(
        kind="confirmation",
        dedupe_key="test:1",
        to="alice@client.test",
        from_email='"Studio" <hi@studio.test>',
        subject="Booking confirmed: Deep tissue massage",
        body_text="Hello Alice",
        body_html="<p>Hello Alice</p>",
    )

    page = owner_client.get(reverse("dashboard:emails"), HTTP_ACCEPT_LANGUAGE="he").content.decode()

    for typed in ("Booking confirmed: Deep tissue massage", "alice@client.test"):
        assert_isolated_everywhere(page, typed)


def test_the_calendar_and_staff_pages_isolate_names_services_and_reasons(owner_client):
    factories.business(time_zone="Europe/Paris")
    nina = factories.staff_member("Nina Rossi")
    massage = factories.service("Deep tissue massage", staff=[nina])
    day = factories.next_weekday(1)
    session = factories.session(massage, nina, factories.local(day, "10:00"))
    booking = factories.booking(
        session, factories.client("Alice", last_name="Martin"), notes="Prefers the quiet room."
    )
    pages = {
        reverse("dashboard:calendar_booking", args=[booking.pk]): [
            "Alice Martin",
            "Deep tissue massage",
            "Nina Rossi",
            "Prefers the quiet room.",
        ],
        f"{reverse('dashboard:calendar')}?view=day&date={day.isoformat()}": ["Alice Martin", "Nina Rossi"],
        reverse("dashboard:services"): ["Deep tissue massage", "Nina Rossi"],
        reverse("dashboard:staff_list"): ["Nina Rossi"],
    }
    for url, texts in pages.items():
        page = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="he").content.decode()
        for typed in texts:
            assert_isolated_everywhere(page, typed)
