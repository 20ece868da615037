"""The owner's e-mail texts reach their named variables and nothing else: no attribute, index,
format spec or conversion can read settings or the objects behind a variable."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from automations import wording as automation_wording
from bookings_app.display import email_wording as booking_wording
from loyalty import wording as loyalty_wording

TRICKS = [
    "{client.__class__}",
    "{client_first_name.__class__}",
    "{client_first_name.__class__.__mro__[1].__subclasses__}",
    "{settings.SECRET_KEY}",
    "{business_name.__init__.__globals__[settings]}",
    "{0.__init__}",
    "{0}",
    "{}",
    "{client_first_name!r}",
    "{client_first_name:>999999999}",
    "{client_first_name[0]}",
    "{business_name:{client_first_name}}",
    "{__import__}",
]


class Secretive:
    """A value that gives itself away if anything reaches past its text."""

    def __str__(self) -> str:
        return "Alice"

    def __format__(self, spec: str) -> str:
        raise AssertionError("a format spec reached the value")

    def __getattr__(self, name: str):
        raise AssertionError(f"the template reached .{name}")


def _renderers():
    booking_values = {name: Secretive() for name in booking_wording.VARIABLES}
    automation_values = {name: "Alice" for name in automation_wording.VARIABLES}
    loyalty_values = {name: Secretive() for name in loyalty_wording.VARIABLES}
    return [
        ("bookings", lambda text: booking_wording.render_wording(text, booking_values)),
        ("automations", lambda text: automation_wording.render(text, automation_values)),
        ("loyalty", lambda text: loyalty_wording.render_template(text, loyalty_values)),
    ]


@pytest.mark.parametrize("trick", TRICKS)
def test_it_renders_a_trick_as_typed_and_never_reads_past_the_variable(trick):
    for app, render in _renderers():
        text = render(f"Hello {trick}!")
        assert settings.SECRET_KEY not in text, app
        assert "<class" not in text and "function" not in text and "method" not in text, (app, text)
        assert len(text) < 200, (app, "a format spec was applied")


EVERY_OFFER = frozenset({"client", "service", "session", "points"})
# A spec or conversion on an offered variable may be saved: rendering drops it (tested above).
SAVED_AS_PLAIN_VARIABLE = {
    "{client_first_name!r}",
    "{client_first_name:>999999999}",
    "{business_name:{client_first_name}}",
}


@pytest.mark.parametrize("trick", sorted(set(TRICKS) - SAVED_AS_PLAIN_VARIABLE))
def test_it_refuses_to_save_a_trick(trick):
    with pytest.raises(ValidationError):
        booking_wording.validate_wording(trick)
    with pytest.raises(ValidationError):
        loyalty_wording.validate_template(trick)
    with pytest.raises(ValidationError):
        automation_wording.validate_template(trick, offers=EVERY_OFFER)


def test_it_still_fills_the_offered_variables():
    for app, render in _renderers():
        assert render("Hi {client_first_name}") == "Hi Alice", app
