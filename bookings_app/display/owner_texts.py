"""The owner's own words (a service's name and description, the booking questions and their
choices) in the reader's language, falling back to what the owner typed by default.

Stored in ``translations`` as ``{"he": {"name": "…", "description": "…"}}`` on a service and
``{"he": {"label": "…", "choices": "one\\nper\\nline"}}`` on a question. Answers are kept in the
default wording, so the team reads every booking the same way.
"""

from django.conf import settings
from django.utils import translation

FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"
SERVICE_TEXTS = ("name", "description")
QUESTION_TEXTS = ("label", "choices")


def languages() -> list[tuple[str, str]]:
    """The languages an owner may write in: (code, name)."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def isolated(text: object) -> str:
    """Typed text (a name, a subject) inside a translated sentence, in the direction of its own
    first letter: "Offer another time." stays so in a Hebrew page. ``<bdi>`` does this in HTML;
    this also works in text, attributes and options."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def _language(language: str | None) -> str:
    return (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def owner_text(owner_thing, field: str, language: str | None = None) -> str:
    """``field`` of a service or question in ``language`` (default: the active one), else the default."""
    texts = (getattr(owner_thing, "translations", None) or {}).get(_language(language)) or {}
    written = texts.get(field, "")
    return written.strip() if isinstance(written, str) and written.strip() else getattr(owner_thing, field)


def question_choices(question, language: str | None = None) -> list[tuple[str, str]]:
    """(stored value, shown label) per choice; the translation counts only with as many lines
    as the default."""
    defaults = question.choice_list
    shown = [line.strip() for line in owner_text(question, "choices", language).splitlines() if line.strip()]
    return list(zip(defaults, shown if len(shown) == len(defaults) else defaults, strict=True))


def packed(cleaned: dict, fields: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """``translations`` from form fields named ``<field>_<language>``, leaving out empty ones."""
    result: dict[str, dict[str, str]] = {}
    for code, _name in languages():
        texts = {field: cleaned.get(f"{field}_{code}", "").strip() for field in fields}
        texts = {field: text for field, text in texts.items() if text}
        if texts:
            result[code] = texts
    return result


def unpacked(translations: dict | None, fields: tuple[str, ...]) -> dict[str, str]:
    """The form's initial ``<field>_<language>`` values from stored ``translations``."""
    return {
        f"{field}_{code}": ((translations or {}).get(code) or {}).get(field, "")
        for code, _name in languages()
        for field in fields
    }
