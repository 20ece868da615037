"""French and Hebrew catalogues are complete, and a page speaks the visitor's language."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["fr", "he"])
def test_every_string_is_translated(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Choose a service to see the times that are free."),
        ("fr", "Choisissez un service pour voir les créneaux libres."),
        ("he", "בחרו שירות כדי לראות את השעות הפנויות."),
    ],
)
def test_the_public_home_speaks_the_browsers_language(client, db, language, words):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert words in response.content.decode()
