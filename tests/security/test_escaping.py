"""What clients and the owner type is shown as text everywhere: names, notes, booking form answers,
labels, points descriptions, gift card products, tasks, automation names and e-mail bodies."""

import csv
import io
from fnmatch import fnmatchcase

import pytest
from django.template.loader import render_to_string
from django.test import Client as Browser

from automations.actions.emails import body_as_html
from automations.models import Automation, Task
from bookings_app.models import Booking, Business, Label, OutsideCalendar, Question, Service, StaffMember
from loyalty.models import GiftCardProduct
from loyalty.services import adjust_points
from loyalty.wording import body_html

from .urlwalk import every_page

PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(2)>')
HOSTILE = PAYLOADS[0] + PAYLOADS[1]


@pytest.fixture
def hostile_world(world, olivia):
    """Every text field people type into, in Bob's records and the studio's, holds both payloads."""
    bob = world.bob
    bob.first_name, bob.last_name, bob.notes = PAYLOADS[0], PAYLOADS[1], HOSTILE
    bob.save()
    Label.objects.filter(pk=world.values["label"]).update(name=HOSTILE[:60])
    booking = Booking.objects.get(pk=world.values["booking"])
    Booking.objects.filter(pk=booking.pk).update(notes=HOSTILE, answers={HOSTILE: HOSTILE})
    Question.objects.create(service=booking.service, label=HOSTILE)
    Service.objects.filter(pk=booking.service_id).update(description=HOSTILE)
    StaffMember.objects.filter(pk=world.values["staff"]).update(name=HOSTILE[:60])
    # staff name their own outside calendars on My calendars
    OutsideCalendar.objects.filter(pk=world.values["outside_calendar"]).update(name=HOSTILE[:80])
    GiftCardProduct.objects.filter(pk=world.values["product"]).update(name=HOSTILE, description=HOSTILE)
    adjust_points(client=bob, points=1, description=HOSTILE, by=olivia)
    Task.objects.filter(pk=world.values["task"]).update(title=HOSTILE, notes=HOSTILE)
    Automation.objects.filter(pk=world.values["automation"]).update(name=HOSTILE)
    return world


def _leaks(content: bytes) -> list[str]:
    text = content.decode(errors="replace")
    return [payload for payload in PAYLOADS if payload in text]


@pytest.mark.parametrize(
    "who, pages",
    [
        ("olivia", "*"),
        ("sam", "staff:*"),
        ("bob_user", "*"),
    ],
)
def test_it_never_shows_a_typed_payload_raw_on_any_page(hostile_world, request, who, pages):
    browser = Browser(raise_request_exception=False)
    browser.force_login(request.getfixturevalue(who))
    leaks, shown_escaped = [], 0
    for page in every_page(hostile_world.values):
        if not fnmatchcase(page.name, pages) or page.name.startswith("anymail:"):
            continue
        response = browser.get(page.url, follow=True)  # a session card's address leads to its day
        if response.get("Content-Type", "").startswith(("text/html", "application/json", "text/plain")):
            leaks += [f"{page.name} {page.url}: {payload}" for payload in _leaks(response.content)]
            shown_escaped += b"&lt;script&gt;alert(1)" in response.content
    assert not leaks, "\n".join(leaks)
    assert shown_escaped >= 1, "the payloads should be on some of these pages, escaped"


def test_it_escapes_payloads_in_searches(hostile_world, olivia):
    browser = Browser()
    browser.force_login(olivia)
    for url in (
        "/dashboard/clients/",
        "/dashboard/bookings/",
        "/dashboard/loyalty/points/",
        "/dashboard/automations/",
    ):
        response = browser.get(url, {"q": HOSTILE})
        assert response.status_code < 500 and not _leaks(response.content), url


def test_it_escapes_what_the_owner_wrote_in_an_automation_email():
    html = render_to_string(
        "automations/emails/client.html",
        {
            "subject": HOSTILE,
            "body": HOSTILE,
            "body_html": body_as_html(HOSTILE),
            "business": Business(name=HOSTILE),
            "unsubscribe_url": "https://x.test/u/",
        },
    )
    assert not _leaks(html.encode())


def test_it_escapes_what_the_owner_wrote_in_a_loyalty_email():
    assert not _leaks(str(body_html(HOSTILE)).encode())


def test_the_client_export_never_hands_a_spreadsheet_a_formula(world, olivia):
    bob = world.bob
    bob.first_name, bob.last_name = '=HYPERLINK("https://evil.example")', "@SUM(A1)"
    bob.notes = "-2+3+cmd|' /C calc'!A0"
    bob.save()
    browser = Browser()
    browser.force_login(olivia)
    response = browser.get("/dashboard/clients/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("https://evil.example")' in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "@") or cell.startswith("-2+")]
