"""Program settings: the switch, the delay, the two texts with their preview; off hides the pages."""

import pytest
from django.urls import reverse

from loyalty.models import Program
from tests.support.htmx import htmx

SETTINGS = "/dashboard/loyalty/settings/"


def settings_post(**changes) -> dict:
    data = {
        "is_enabled": "on",
        "credit_delay_hours": "3",
        "template_points_earned_subject": "",
        "template_points_earned_body": "",
        "template_balance_changed_subject": "",
        "template_balance_changed_body": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_it_saves_the_switch_the_delay_and_the_texts(as_olivia, studio):
    response = as_olivia.post(
        SETTINGS,
        settings_post(
            credit_delay_hours="5",
            template_balance_changed_subject="{client_first_name}, your points: {balance}",
        ),
    )

    assert response.status_code == 302
    program = Program.current()
    assert program.is_enabled and program.credit_delay_hours == 5
    assert program.template_balance_changed_subject == "{client_first_name}, your points: {balance}"


def test_it_refuses_an_unknown_variable_next_to_the_field_and_saves_nothing(as_olivia, program):
    response = as_olivia.post(
        SETTINGS, settings_post(template_points_earned_body="Hi {firstname}", credit_delay_hours="7")
    )

    assert response.status_code == 400
    assert "Unknown variable: {firstname}" in response.content.decode()
    assert Program.current().credit_delay_hours == 3


def test_it_previews_both_emails_with_sample_values(as_olivia, program):
    response = as_olivia.post(
        reverse("loyalty_dashboard:settings_preview"),
        settings_post(
            template_points_earned_subject="Bravo {client_first_name}: +{points}",
            template_balance_changed_body="Now {balance} points ({points}): {description}",
        ),
        **htmx(),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Bravo Alice: +10" in page
    assert "Now 120 points (+20): Welcome bonus" in page


def test_it_shows_the_preview_error_for_a_lone_brace(as_olivia, program):
    response = as_olivia.post(
        reverse("loyalty_dashboard:settings_preview"),
        settings_post(template_points_earned_body="Hello {"),
        **htmx(),
    )

    assert "Use {name} for a variable" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/loyalty/points/",
        "/dashboard/loyalty/points/adjust/",
        "/dashboard/loyalty/gift-cards/",
        "/dashboard/loyalty/gift-cards/products/",
        "/dashboard/loyalty/gift-cards/issue/",
    ],
)
def test_it_hides_every_page_but_the_settings_while_the_program_is_off(as_olivia, studio, url):
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": False})

    assert as_olivia.get(url).status_code == 404
    assert as_olivia.get(SETTINGS).status_code == 200


def test_it_turns_the_program_off_and_the_report_disappears(as_olivia, program):
    assert as_olivia.get("/dashboard/loyalty/points/").status_code == 200

    as_olivia.post(SETTINGS, settings_post(is_enabled=None))

    assert not Program.current().is_enabled
    assert as_olivia.get("/dashboard/loyalty/points/").status_code == 404
    assert as_olivia.get("/dashboard/loyalty/").url == SETTINGS


def test_it_lists_loyalty_in_the_sidebar(as_olivia, program):
    page = as_olivia.get("/dashboard/loyalty/points/").content.decode()

    assert '<a href="/dashboard/loyalty/" aria-current="page">Loyalty</a>' in page
