"""Bad automations are refused at save, each with a message the owner can act on."""

import pytest
from django.core.exceptions import ValidationError

from automations.models import Action, Automation
from automations.services import create_automation
from bookings_app.models import Label

from .builders import email_client


def refusal(**fields) -> dict[str, list[str]]:
    """The messages by field when saving an automation built from ``fields`` (defaults: a valid one)."""
    defaults = {"name": "Welcome", "trigger": "client_books", "actions": [email_client()]}
    with pytest.raises(ValidationError) as refused:
        create_automation(**{**defaults, **fields})
    assert not Automation.objects.exists()
    return refused.value.message_dict


def criterion(field: str, operator: str, value=None) -> list:
    return [[{"field": field, "operator": operator, "value": value}]]


def test_it_saves_a_good_automation(studio):
    automation = create_automation(name="Welcome", trigger="client_books", actions=[email_client()])
    assert list(automation.actions.values_list("position", "kind")) == [(1, "email_client")]


def test_it_refuses_an_unknown_trigger(studio):
    assert refusal(trigger="client_sneezes") == {
        "trigger": ["“client_sneezes” is not a trigger Rendez knows."]
    }


def test_it_refuses_an_operator_that_does_not_fit_the_field(studio):
    assert refusal(conditions=criterion("visits", "contains", "3"))["conditions"] == [
        "“contains” does not fit “Number of visits”; use one of: equals, does not equal, is greater than, "
        "is less than."
    ]


def test_it_refuses_a_field_the_trigger_does_not_know(studio):
    assert refusal(trigger="points_earned", conditions=criterion("booking_status", "is", "confirmed"))[
        "conditions"
    ] == ["“Booking status” is not known for this trigger."]


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (
            criterion("booking_created", "before", "01/01/2024"),
            "“01/01/2024” is not a valid value for “Booking created date”.",
        ),
        (
            criterion("booking_created", "before", "0001-01-01"),
            "“0001-01-01” is not a valid value for “Booking created date”.",
        ),
        (
            criterion("session_start", "after", "9999-12-31"),
            "“9999-12-31” is not a valid value for “Session start date”.",
        ),
        (criterion("booking_status", "is", "lost"), "“lost” is not a valid value for “Booking status”."),
        (criterion("client_label", "has_label", 999), "“999” is not a valid value for “Client”."),
        (criterion("service", "is_one_of", []), "Choose at least one value for “Service”."),
        (criterion("shoe_size", "is", 42), "“shoe_size” is not something a condition can test."),
        ([[]], "A condition is a list of groups, each with at least one criterion."),
    ],
)
def test_it_refuses_a_criterion_with_a_bad_value(studio, condition, message):
    assert refusal(conditions=condition)["conditions"] == [message]


def test_it_refuses_an_unknown_template_variable(studio):
    messages = refusal(actions=[email_client("Hi {first_name}")])["actions"]
    assert messages == [
        "Action 1: Unknown variable: {first_name}. You can use: {client_first_name}, {client_name}, "
        "{service_name}, {session_start}, {staff_name}, {business_name}, {points_balance}."
    ]


def test_it_refuses_a_template_that_reaches_into_an_object(studio):
    assert refusal(actions=[email_client(body="{client_first_name.__class__}")])["actions"][0].startswith(
        "Action 1: Unknown variable: {client_first_name.__class__}."
    )


def test_it_refuses_a_variable_the_trigger_cannot_fill(studio):
    messages = refusal(trigger="points_earned", actions=[email_client("See you at {session_start}")])[
        "actions"
    ]
    assert messages[0].startswith("Action 1: This trigger does not know {session_start}.")


@pytest.mark.parametrize("url", ["ftp://example.test/hook", "javascript:alert(1)", "example.test/hook", ""])
def test_it_refuses_a_webhook_address_that_is_not_http(studio, url):
    assert refusal(actions=[{"kind": "call_webhook", "settings": {"url": url}}])["actions"] == [
        "Action 1: A webhook address must start with http:// or https:// and name a host."
    ]


def test_it_refuses_an_automation_without_actions(studio):
    assert refusal(actions=[]) == {"actions": ["Add at least one action."]}


def test_it_refuses_an_unknown_action(studio):
    assert refusal(actions=[{"kind": "send_fax", "settings": {}}]) == {
        "actions": ["Action 1: “send_fax” is not an action Rendez knows."]
    }


def test_it_refuses_an_email_to_the_client_when_the_run_has_no_client(studio):
    assert refusal(trigger="session_starts", trigger_params={"per": "session"})["actions"] == [
        "Action 1: “Send an e-mail to the client” needs a client, and this trigger has none."
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"delay_direction": "before", "delay_amount": 2},
            "delay_direction",
            "Only “Session starts” can act before its trigger.",
        ),
        (
            {"trigger": "session_starts", "delay_direction": "before"},
            "delay_amount",
            "Say how long before the session starts.",
        ),
        (
            {"trigger": "check_in_number", "trigger_params": {"visits": 7}},
            "trigger_params",
            "The number of sessions must be one of 5, 10, 15.",
        ),
        (
            {"trigger": "last_check_in", "trigger_params": {"days": 0}},
            "trigger_params",
            "The number of days must be at least 1.",
        ),
        (
            {"frequency": "once_per_client_per_days"},
            "frequency_days",
            "Say after how many days it may act again for the same client.",
        ),
        ({"name": "  "}, "name", "Give the automation a name."),
    ],
)
def test_it_refuses_bad_settings(studio, fields, field, message):
    assert refusal(**fields)[field] == [message]


def test_it_refuses_a_service_filter_on_a_trigger_without_services(studio, massage):
    assert refusal(trigger="points_earned", services=[massage])["services"] == [
        "This trigger does not depend on a service: leave the services empty."
    ]


def test_it_refuses_a_label_that_does_not_exist(studio):
    assert refusal(actions=[{"kind": "add_label", "settings": {"label": 42}}])["actions"] == [
        "Action 1: Choose a label."
    ]


def test_the_models_refuse_the_same_as_the_service(studio):
    automation = Automation(name="Welcome", trigger="client_sneezes")
    with pytest.raises(ValidationError):
        automation.full_clean()
    good = create_automation(name="Welcome", trigger="client_books", actions=[email_client()])
    with pytest.raises(ValidationError, match="Unknown variable"):
        Action(
            automation=good,
            order=2,
            position=2,
            kind="email_client",
            settings={"subject": "{nope}", "body": "x"},
        ).full_clean()
    label = Label.objects.create(name="VIP")
    Action(automation=good, order=2, position=2, kind="add_label", settings={"label": label.pk}).full_clean()
