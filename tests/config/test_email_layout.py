"""Every e-mail shares one layout; each family says in its footer why the reader got it."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests import factories as f


@pytest.mark.parametrize(
    ("layout", "footer"),
    [
        ("emails/base.html", "You receive this e-mail because of a booking with Studio Lumen."),
        ("loyalty/emails/base.html", "You receive this e-mail because you are a client of Studio Lumen."),
        ("automations/emails/base.html", ""),
    ],
)
def test_each_family_of_e_mails_says_why_it_was_sent(db, layout, footer):
    business = f.business(name="Studio Lumen")

    html = render_to_string(layout, {"business": business, "subject": "Hello"})

    assert "<title>Hello</title>" in html and "Studio Lumen</td>" in html
    assert footer in html
    assert html.count("You receive this e-mail") == (1 if footer else 0)


def test_the_layout_turns_right_to_left_in_hebrew(db):
    business = f.business(name="Studio Lumen")

    with translation.override("he"):
        html = render_to_string("loyalty/emails/base.html", {"business": business, "subject": "שלום"})

    assert '<html lang="he" dir="rtl">' in html
