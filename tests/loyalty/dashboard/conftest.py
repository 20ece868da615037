"""The owner Olivia signed in to her dashboard, and the loyalty pages' addresses."""

import pytest
from django.test import Client as Browser

from bookings_app.web.roles import OWNER
from tests.factories import make_person


@pytest.fixture
def as_olivia(olivia) -> Browser:
    browser = Browser()
    browser.force_login(olivia)
    return browser


@pytest.fixture
def oscar(db):
    """Oscar co-owns the studio."""
    return make_person("oscar@studio.test", "Oscar", OWNER, password=None)


@pytest.fixture
def as_oscar(oscar) -> Browser:
    browser = Browser()
    browser.force_login(oscar)
    return browser
