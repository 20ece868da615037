"""A batch of runs renders each client's e-mail from frames and tracking links by string: every
e-mail must be what rendering its templates whole for that run alone gives, in every language,
and its links must lead through the real views."""

import html
import re

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from automations.actions.emails import body_as_html, client_email
from automations.context import load_contexts
from automations.email_frames import Frames
from automations.email_tracking import click_token, open_token, tracked_html, tracking_url
from automations.engine import process_event
from automations.models import AutomationMessage, MessageEvent, Run, RunStatus, Tracking
from automations.unsubscribe import unsubscribe_url
from automations.wording import render, values_for
from bookings_app.core.events import record_event
from bookings_app.mail.recipients import language_for
from bookings_app.models import Client, EventKind
from bookings_app.web.links import absolute_url

from .builders import SCHEDULE_URL, automation, email_client, later

pytestmark = pytest.mark.urls("tests.automations.urls")

HOSTILE = "<b>&\"'</b>"
BODY = (
    "Dear {client_name}, thank you for booking with {business_name} & co.\n"
    f"See the schedule: {SCHEDULE_URL}\n\nOr write to hello@studio.test <3"
)
# (language, time zone) of the clients of a batch; "" for the business's.
READERS = [("en", ""), ("fr", "America/Montreal"), ("he", "Asia/Jerusalem"), ("", ""), ("de", ""), ("fr", "")]


def batch_of_clients(count: int) -> list[int]:
    """``count`` clients in several languages and time zones, with names to escape, booked:
    their events, executed as one batch by a late task."""
    clients = Client.objects.bulk_create(
        Client(
            first_name=f"{HOSTILE} {n}",
            last_name=f"Lévy-{n}",
            email=f"reader{n}@frames.test",
            language=READERS[n % len(READERS)][0],
            time_zone=READERS[n % len(READERS)][1],
        )
        for n in range(count)
    )
    event_ids = [record_event(EventKind.BOOKING_CREATED, client=client).pk for client in clients]
    assert process_event(event_id=event_ids[0], execute_due_now=True, batch=50, now=later()) == count
    return list(Run.objects.filter(event_id__in=event_ids).values_list("pk", flat=True))


def rendered_alone(run_id: int, position: int) -> tuple[str, str, str]:
    """(subject, text, HTML) of the run's e-mail with its templates rendered whole, for this run
    alone, with the message filtered as the template used to filter it (``urlize|linebreaks``)."""
    [context] = load_contexts([run_id])
    settings = context.automation.actions.get().settings
    client = context.client
    url = unsubscribe_url(client)
    with translation.override(language_for(client, context.business)):
        with timezone.override(client.tz or context.business.tz):
            values = values_for(context, settings["subject"], settings["body"])
            body = render(settings["body"], values)
            page = {
                "subject": render(settings["subject"], values),
                "body": body,
                "body_html": Template("{{ body|urlize|linebreaks }}").render(Context({"body": body})),
                "business": context.business,
                "unsubscribe_url": url,
            }
            text = render_to_string("automations/emails/client.txt", page)
            body_html = render_to_string("automations/emails/client.html", page)
    return page["subject"], text, tracked_html(body_html, run_id=run_id, position=position, untracked=url)[0]


@pytest.mark.parametrize("business_language", ["en", "fr", "he"])
def test_each_email_of_a_batch_is_the_one_rendered_alone(studio, handed_over, business_language):
    studio.name, studio.language = f"Studio {HOSTILE}", business_language
    studio.save()
    automation("client_books", actions=[email_client("Hello {client_first_name} & welcome", BODY)])

    run_ids = batch_of_clients(12)

    messages = AutomationMessage.objects.select_related("email").filter(run_id__in=run_ids)
    assert len(messages) == 12
    for message in messages:
        subject, text, body_html = rendered_alone(message.run_id, message.position)
        assert message.email.subject == subject
        assert message.email.body_text == text
        assert message.email.body_html == body_html
    languages = {message.email.language for message in messages}
    assert {"en", "fr", "he"} <= languages
    assert any('dir="rtl"' in message.email.body_html for message in messages)


def test_the_html_body_is_the_message_through_urlize_and_linebreaks():
    for text in (BODY, HOSTILE, "one\ntwo\n\nthree www.studio.test x@y.test", "", "  "):
        assert body_as_html(text) == Template("{{ body|urlize|linebreaks }}").render(Context({"body": text}))


def test_frames_give_what_the_templates_give(studio, alice):
    page = {
        "subject": f"Hi {HOSTILE}",
        "body": f"Body {HOSTILE}\nhttps://x.test/?a=1&b=2",
        "business": studio,
        "unsubscribe_url": "https://studio.test/u/?a=1&b=<2>",
    }
    page["body_html"] = body_as_html(page["body"])
    frames = Frames()
    for language in ("en", "fr", "he"):
        with translation.override(language):
            assert client_email(page, frames=frames) == client_email(page)
            again = {**page, "subject": "Another & one", "unsubscribe_url": "https://studio.test/v/"}
            assert client_email(again, frames=frames) == client_email(again)


LOCMEM = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "upper.html": "<h1>{{ subject|upper }}</h1>",
                        "unsafe.txt": "{{ subject|safe }}",
                        "plain.html": "<h1>{{ subject }}</h1>{{ business }}",
                    },
                )
            ]
        },
    }
]


@override_settings(TEMPLATES=LOCMEM)
def test_a_template_that_does_more_with_a_slot_than_print_it_is_rendered_whole():
    slots = frozenset({"subject"})
    frames = Frames()
    for template, escape in (("upper.html", True), ("unsafe.txt", True), ("plain.html", True)):
        for subject in ("first <one>", "second & two"):
            page = {"subject": subject, "business": "Studio"}
            assert frames.render(template, page, slots=slots, escape=escape) == render_to_string(
                template, page
            )


def test_tracking_urls_made_by_string_are_those_reverse_makes():
    tokens = [
        open_token(run_id=12, position=0),
        click_token(run_id=12, position=3, url=SCHEDULE_URL),
        "a token with spaces & ümlauts:=~@",
    ]
    for name in ("automations:email_opened", "automations:email_clicked"):
        for token in tokens:
            assert tracking_url(name, token) == absolute_url(reverse(name, args=[token]))


def test_the_links_of_a_batch_lead_through_the_real_views(client, studio, handed_over):
    automation("client_books", actions=[email_client("Hello", f"Our schedule: {SCHEDULE_URL}")])
    [run_id, *_rest] = batch_of_clients(3)
    message = AutomationMessage.objects.select_related("email").get(run_id=run_id)
    hrefs = [html.unescape(href) for href in re.findall(r'href="([^"]+)"', message.email.body_html)]
    clicked = next(href for href in hrefs if "/e/link/" in href)
    unsubscribe = next(href for href in hrefs if "/unsubscribe/" in href)
    pixel = html.unescape(re.search(r'<img src="([^"]+)" width="1"', message.email.body_html).group(1))
    site = absolute_url("")

    assert Run.objects.get(pk=run_id).status == RunStatus.DONE
    assert client.get(pixel.removeprefix(site)).status_code == 200
    response = client.get(clicked.removeprefix(site))
    assert (response.status_code, response["Location"]) == (302, SCHEDULE_URL)
    assert client.get(unsubscribe.removeprefix(site)).status_code == 200
    assert set(MessageEvent.objects.filter(message=message).values_list("kind", flat=True)) == {
        Tracking.OPENED,
        Tracking.CLICKED,
    }
