"""The automations dashboard under test: Olivia signed in, and a few automations to manage."""

import pytest

from tests.automations.builders import automation, email_client


@pytest.fixture
def owner_client(client, olivia):
    client.force_login(olivia)
    return client


@pytest.fixture
def welcome(studio):
    """A live automation: first check-in → 2 hours → e-mail the client."""
    return automation(
        "first_check_in",
        name="Welcome",
        delay_amount=2,
        delay_unit="hours",
        actions=[email_client(subject="Welcome!")],
    )
