"""A translated label, title or placeholder arrives whole in every language, even when its
translation holds a quote (Hebrew writes דוא"ל, French quotes names): a quote that closed the
attribute early left task boxes and "Use template" buttons without a name for screen readers.

Every page of the URL walk is parsed as each role sees it, in English, French and Hebrew, and
once more with a Hebrew catalogue in which every translation carries a quote.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.test import Client as Browser

from .urlwalk import every_page

ROLES = ("anonymous", "bob", "sam", "olivia")
QUOTED = ' "q"'  # what the test catalogue appends to every Hebrew translation
NAMED_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "value")
# An attribute name a template writes; anything else is the tail of a value cut by a quote.
ATTRIBUTE_NAME = re.compile(r"[a-z_:@.][a-z0-9_:@.-]*")


class _Attributes(HTMLParser):
    """Each start tag's attributes as the browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _cut_attributes(html: str) -> list[str]:
    parser = _Attributes()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.tags:
        stray = [name for name, _ in attrs if not ATTRIBUTE_NAME.fullmatch(name)]
        if stray:
            whole = " ".join(f'{name}="{value}"' for name, value in attrs if name in NAMED_ATTRIBUTES)
            problems.append(f"<{tag} {whole}> was cut by a quote in a translation, leaving {stray}")
    return problems


@pytest.fixture
def people(olivia, sam, bob_user) -> dict:
    return {"anonymous": None, "bob": bob_user, "sam": sam, "olivia": olivia}


def _walk(world, person, language: str) -> list[str]:
    browser = Browser(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    if person:
        browser.force_login(person)
    problems, pages_read = [], 0
    for page in every_page(world.values):
        if page.name.startswith(("anymail:", "automations:email_")) or page.name == "logout":
            continue
        response = browser.get(page.url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages_read += 1
        html = response.content.decode()
        problems += [f"{language} {page.url}: {problem}" for problem in _cut_attributes(html)]
    assert pages_read > 5, f"only {pages_read} pages answered as HTML"
    return problems


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("language", ["en", "fr", "he"])
def test_it_keeps_every_translated_attribute_whole(world, people, role, language):
    problems = _walk(world, people[role], language)
    assert not problems, "\n".join(sorted(set(problems)))


@pytest.fixture
def hebrew_with_quotes(settings, tmp_path) -> None:
    """The real Hebrew catalogue with a quote in every translation, ahead of the real ones."""
    source = Path(settings.BASE_DIR) / "locale" / "he" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(source))
    for entry in catalogue.translated_entries():
        entry.msgstr = entry.msgstr + QUOTED if entry.msgstr else entry.msgstr
        entry.msgstr_plural = {n: text + QUOTED for n, text in entry.msgstr_plural.items()}
    target = tmp_path / "he" / "LC_MESSAGES"
    target.mkdir(parents=True)
    catalogue.save_as_mofile(str(target / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]


@pytest.mark.parametrize("role", ROLES)
def test_it_keeps_attributes_whole_when_every_hebrew_translation_holds_a_quote(
    world, people, role, hebrew_with_quotes
):
    assert QUOTED in Browser(HTTP_ACCEPT_LANGUAGE="he").get("/").content.decode(), (
        "the test catalogue is not in use"
    )
    problems = _walk(world, people[role], "he")
    assert not problems, "\n".join(sorted(set(problems)))


# A translate tag inside a double-quoted attribute value, written out or stored with as/asvar.
TRANSLATED_ATTRIBUTE = re.compile(
    r'[\w:-]+="(?:[^"{]|\{(?!%)|\{%[^%]*%\})*?(\{%\s*(?:translate|trans|blocktranslate|blocktrans)\b[^%]*%\})',
    re.S,
)
ESCAPED = re.compile(r"\{%\s*(?:translate|blocktranslate)\b[^%]*\b(?:as|asvar) translated\b[^%]*%\}")


def test_it_escapes_the_translation_in_every_attribute_of_every_template(settings):
    """Pages the walk cannot reach in every state (a pending block in the calendar) are read here."""
    unescaped = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        text = path.read_text()
        for match in TRANSLATED_ATTRIBUTE.finditer(text):
            tag = match.group(1)
            rest = text[match.end(1) : match.end(1) + 400]
            if not ESCAPED.fullmatch(tag) or "{{ translated|force_escape }}" not in rest:
                line = text.count("\n", 0, match.start()) + 1
                unescaped.append(f"{path.relative_to(settings.BASE_DIR)}:{line}: {tag}")
    assert not unescaped, "translate into a variable and write {{ translated|force_escape }}:\n" + "\n".join(
        unescaped
    )
