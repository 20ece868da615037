"""An action's number is given once: outcomes, e-mails and statistics of runs name actions by it."""

import pytest

from automations.drafts import Draft
from automations.models import Automation
from automations.services import create_automation, update_automation
from tests.support.races import race

from .builders import email_client


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_owners_adding_an_action_at_once_never_get_the_same_number(studio):
    welcome = create_automation(name="Welcome", trigger="client_books", actions=[email_client()])

    def open_the_builder(subject: str) -> tuple:
        automation = Automation.objects.get(pk=welcome.pk)
        return automation, Draft.from_automation(automation).actions, subject

    def add_an_action(opened: tuple) -> None:
        automation, kept, subject = opened
        update_automation(automation=automation, actions=[*kept, email_client(subject)])

    race(add_an_action, ["From Olivia", "From Sam"], get_ready=open_the_builder)

    welcome.refresh_from_db()
    # The second save waited for the first: its new action took 3, after the 2 the first gave.
    assert welcome.last_action_number == 3
    assert list(welcome.actions.values_list("position", flat=True)) == [1, 3]


def test_a_removed_action_number_is_never_given_again(studio):
    welcome = create_automation(
        name="Welcome", trigger="client_books", actions=[email_client("One"), email_client("Two")]
    )
    one, _two = Draft.from_automation(welcome).actions

    update_automation(automation=welcome, actions=[one])
    update_automation(automation=welcome, actions=[one, email_client("Three")])

    assert list(welcome.actions.values_list("position", "settings__subject")) == [(1, "One"), (3, "Three")]


def test_an_action_changed_to_another_kind_is_a_new_action(studio):
    welcome = create_automation(name="Welcome", trigger="client_books", actions=[email_client("One")])
    [one] = Draft.from_automation(welcome).actions

    update_automation(
        automation=welcome, actions=[{**one, "kind": "create_task", "settings": {"title": "Call"}}]
    )

    assert list(welcome.actions.values_list("position", "kind")) == [(2, "create_task")]
