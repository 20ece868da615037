"""What the builder shows before anything is saved: the gallery (each template once), the sentence
"In words" and the e-mail preview, both with example values, never a raw ``{variable}``."""

import html
import re

import pytest
from django.urls import reverse

from automations import gallery
from automations.wording import VARIABLES

from ..builders import book

pytestmark = pytest.mark.urls("tests.automations.urls")

NEW = reverse("automations_dashboard:new")
BUILD = reverse("automations_dashboard:build")
PREVIEW = reverse("automations_dashboard:email_preview")
RAW_VARIABLE = re.compile(r"\{(" + "|".join(VARIABLES) + r")\}")
EVERY_VARIABLE = " ".join("{" + name + "}" for name in VARIABLES)


def _cards(page: str, section: str) -> list[str]:
    """The template keys of the cards under the section headed ``section``."""
    part = page.split(f'id="{section}-title"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"\?template=(\w+)", part)


def _sentence(page: str) -> str:
    return re.search(r'<p class="builder__sentence".*?</p>', page, flags=re.S).group(0)


def test_the_gallery_lists_each_template_once_popular_first(owner_client, studio):
    page = owner_client.get(NEW).content.decode()
    popular, others = _cards(page, "popular"), _cards(page, "all")
    assert popular == [t.key for t in gallery.TEMPLATES if t.popular]
    assert others == [t.key for t in gallery.TEMPLATES if not t.popular]
    assert "More templates" in page


def test_a_search_lists_every_match_once_under_one_heading(owner_client, studio):
    page = owner_client.get(NEW, {"q": "client"}).content.decode()
    assert 'id="popular-title"' not in page
    assert _cards(page, "all") == [t.key for t in gallery.search("client")]


@pytest.mark.parametrize("template", gallery.TEMPLATES, ids=lambda t: t.key)
def test_the_sentence_of_every_template_quotes_sample_values(owner_client, studio, template):
    sentence = _sentence(owner_client.get(BUILD, {"template": template.key}).content.decode())
    assert not RAW_VARIABLE.search(sentence), sentence


def test_the_sentence_quotes_the_latest_clients_values(owner_client, massage, alice):
    book(massage)
    page = owner_client.get(BUILD, {"template": "thank_first_visit"}).content.decode()
    assert "Thank you for your first visit, Alice!" in html.unescape(_sentence(page))


def _preview(owner_client, kind: str, subject: str, body: str) -> tuple[str, str]:
    """(subject line, the whole message) of the preview of the draft's first action."""
    form = {"name": "All", "trigger": "points_earned", "a-0-kind": kind, "action_index": "0"}
    form.update({"a-0-subject": subject, "a-0-body": body})
    response = owner_client.post(PREVIEW, form)
    assert response.status_code == 200
    page = response.content.decode()
    subject_line = re.search(r'<p class="email-preview__subject">.*?</p>', page, flags=re.S).group(0)
    message = html.unescape(re.search(r'srcdoc="([^"]*)"', page).group(1))
    return subject_line, message


@pytest.mark.parametrize("kind", ["email_client", "notify_team"])
@pytest.mark.parametrize("booked", [False, True], ids=["sample values", "latest booking"])
def test_the_preview_fills_every_variable_in_subject_and_message(owner_client, massage, alice, kind, booked):
    if booked:
        book(massage)
    subject, message = _preview(owner_client, kind, EVERY_VARIABLE, EVERY_VARIABLE)
    assert not RAW_VARIABLE.search(subject), subject
    assert not RAW_VARIABLE.search(message), message
    assert "Alice" in subject and "Alice" in message


def test_a_lone_brace_is_previewed_as_typed_with_its_problem(owner_client, studio):
    form = {"name": "x", "trigger": "client_books", "a-0-kind": "email_client", "action_index": "0"}
    response = owner_client.post(PREVIEW, {**form, "a-0-subject": "Hi {client_first_name", "a-0-body": "}"})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Hi {client_first_name" in page and "for a literal brace" in page


def test_the_example_line_speaks_the_owners_language_and_the_message_the_clients(
    owner_client, massage, alice
):
    book(massage)
    form = {"name": "x", "trigger": "client_books", "a-0-kind": "email_client", "action_index": "0"}
    form.update({"a-0-subject": "Hi {client_first_name}", "a-0-body": "See you."})

    page = owner_client.post(PREVIEW, form, HTTP_ACCEPT_LANGUAGE="he").content.decode()

    example = re.search(r'<p class="muted email-preview__example">(.*?)</p>', page).group(1)
    assert example == "דוגמה: ההזמנה של \u2068Alice Martin\u2069 ל\u2068Massage\u2069"
    assert "&lt;html lang=&quot;en&quot;" in page
