"""The dashboard and the tablet, fed ids, numbers and dates that only look valid.

``²`` (U+00B2) and ``٣`` (Arabic-Indic three) pass ``str.isdigit()`` yet no id lookup takes them;
year 9999 overflows as soon as a day is added or the day is converted to UTC. Each answer is a
4xx or the page without the odd value, never a 500, and a refused form writes nothing.
"""

import pytest
from django.test import Client as Browser
from django.urls import reverse

from automations.models import Automation
from bookings_app.forms.email_settings import WORDED_EMAIL_KINDS
from bookings_app.models import Booking, BookingEmailSetting

SUPERSCRIPT_TWO = "²"
NOT_ASCII_DIGITS = [SUPERSCRIPT_TWO, "٣", "9" * 30, "-1"]
BUILD = reverse("automations_dashboard:build")
FIRST_VISIT_EMAIL = {
    "name": "Welcome",
    "app": "bookings",
    "trigger": "first_check_in",
    "has_delay": "1",
    "delay_amount": "2",
    "delay_unit": "hours",
    "delay_direction": "after",
    "frequency": "every_time",
    "a-0-kind": "email_client",
    "a-0-subject": "Welcome {client_first_name}!",
    "a-0-body": "Nice to meet you.",
}


def _signed_in(person) -> Browser:
    browser = Browser(raise_request_exception=False)
    browser.force_login(person)
    return browser


@pytest.fixture
def as_olivia(world, olivia) -> Browser:
    return _signed_in(olivia)


@pytest.fixture(params=["olivia", "sam"])
def as_team(world, request) -> Browser:
    """Olivia the owner, then Sam at the front desk."""
    return _signed_in(request.getfixturevalue(request.param))


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS)
@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/dashboard/calendar/", "staff"),
        ("/dashboard/calendar/new/", "staff"),
        ("/dashboard/calendar/new/", "client"),
        ("/dashboard/loyalty/points/adjust/", "client"),
        ("/dashboard/tasks/", "assignee"),
    ],
)
def test_it_answers_an_id_that_only_looks_like_digits_without_a_server_error(as_team, url, parameter, value):
    response = as_team.get(url, {parameter: value})

    assert response.status_code < 500


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "9999-12-27"])
@pytest.mark.parametrize("url", ["/dashboard/calendar/", "/dashboard/calendar/?view=day", "/staff/"])
def test_it_shows_today_for_a_date_at_the_edge_of_the_calendar(as_team, url, day):
    response = as_team.get(url, {"date": day})

    assert response.status_code == 200


def test_it_refuses_a_session_that_only_looks_like_an_id_when_moving_a_class_seat(as_olivia, world):
    seat = Booking.objects.get(client=world.alice)
    url = reverse("dashboard:booking_reschedule", args=[seat.pk])

    response = as_olivia.post(url, {"session": SUPERSCRIPT_TWO})

    assert response.status_code == 409
    seat.refresh_from_db()
    assert seat.session_id == world.values["class_session"]


@pytest.mark.parametrize("index", NOT_ASCII_DIGITS)
def test_it_refuses_to_preview_an_action_that_only_looks_like_a_number(as_olivia, index):
    url = reverse("automations_dashboard:email_preview")

    response = as_olivia.post(url, {**FIRST_VISIT_EMAIL, "action_index": index})

    assert response.status_code == 400


def _build(browser: Browser, **changes) -> object:
    return browser.post(BUILD, {**FIRST_VISIT_EMAIL, "op": "save", **changes})


@pytest.mark.parametrize(
    "changes",
    [
        {"services": SUPERSCRIPT_TWO},
        {"services": "9" * 30},
        {"name": "N" * 121},
        {"delay_amount": "1000000000000"},
        {"frequency": "once_per_client_per_days", "frequency_days": "1000000000000"},
        {"c-0-0-field": "visits", "c-0-0-operator": "gt", "c-0-0-value": "NaN"},
        {"c-0-0-field": "visits", "c-0-0-operator": "gt", "c-0-0-value": "1e309"},
        {"c-0-0-field": "visits", "c-0-0-operator": "gt", "c-0-0-value": "-inf"},
    ],
    ids=[
        "superscript-service",
        "huge-service",
        "long-name",
        "huge-delay",
        "huge-frequency",
        "nan",
        "1e309",
        "minus-infinity",
    ],
)
def test_it_refuses_a_builder_value_the_database_cannot_hold_and_saves_nothing(as_olivia, changes):
    response = _build(as_olivia, **changes)

    assert response.status_code == 400
    assert not Automation.objects.filter(name__startswith="N" * 50).exists()
    assert not Automation.objects.exclude(name="Welcome", trigger="client_books").exists()


def test_it_saves_a_name_of_the_longest_length_the_column_holds(as_olivia):
    response = _build(as_olivia, name="N" * 120)

    assert response.status_code == 302
    assert Automation.objects.filter(name="N" * 120).exists()


def test_it_says_how_long_a_delay_may_be(as_olivia):
    response = _build(as_olivia, delay_amount="366", delay_unit="days")

    assert response.status_code == 400
    assert "at most 365 days" in response.content.decode()


def _email_settings_post(browser: Browser, **management) -> object:
    browser.get(reverse("dashboard:email_settings"))  # creates a row per booking e-mail
    rows = list(BookingEmailSetting.objects.order_by("pk"))
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {
            f"form-{index}-id": str(row.pk),
            f"form-{index}-is_enabled": "on",
            f"form-{index}-subject": "",
            f"form-{index}-intro": "",
        }
    return browser.post(reverse("dashboard:email_settings"), {**data, **management})


@pytest.mark.parametrize(
    "management",
    [
        {"form-INITIAL_FORMS": "0"},
        {"form-INITIAL_FORMS": "5", "form-TOTAL_FORMS": "5"},
        {"form-TOTAL_FORMS": "5"},
        {"form-TOTAL_FORMS": "100000000"},
        {"form-INITIAL_FORMS": SUPERSCRIPT_TWO},
    ],
    ids=["no-initial", "raised-initial", "one-more", "huge-total", "superscript"],
)
def test_it_refuses_e_mail_settings_that_would_add_a_row(as_olivia, management):
    response = _email_settings_post(as_olivia, **management)

    assert response.status_code == 400
    assert sorted(BookingEmailSetting.objects.values_list("kind", flat=True)) == sorted(WORDED_EMAIL_KINDS)
    assert '<p class="form-error" role="alert">' in response.content.decode()


def test_it_still_saves_the_e_mail_settings_it_shows(as_olivia):
    response = _email_settings_post(as_olivia, **{"form-0-subject": "Hello"})

    assert response.status_code == 302
    assert BookingEmailSetting.objects.filter(subject="Hello").count() == 1
