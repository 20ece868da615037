"""The walk's people and world (tests/support/url_world.py) as fixtures, and the production pass.

Nothing here reaches a broker: tests run inside a transaction that is rolled back, so no work
queued after a commit is ever sent.
"""

import os

import pytest
from django.utils import translation

from bookings_app.models import User
from tests.support.url_world import World, build_world, walk_person


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def olivia(db) -> User:
    return walk_person("olivia")


@pytest.fixture
def sam(db) -> User:
    return walk_person("sam")


@pytest.fixture
def alice_user(db) -> User:
    """Alice (client A) signs in by e-mail code; she has booked before."""
    return walk_person("alice_user")


@pytest.fixture
def bob_user(db) -> User:
    """Bob (client B), whose bookings, points and gift cards Alice must never reach."""
    return walk_person("bob_user")


@pytest.fixture
def world(db, olivia, sam, alice_user, bob_user) -> World:
    return build_world(olivia=olivia, sam=sam, alice_user=alice_user, bob_user=bob_user)


# --- The production pass ----------------------------------------------------------------

PRODUCTION_PASS = os.environ.get("RENDEZ_TEST_PRODUCTION", "") == "1"


def pytest_collection_modifyitems(config, items) -> None:
    """Tests marked ``production`` assert what only the production settings do (Secure cookies,
    HSTS): they run in the production pass alone, and are left out of the others, as the fault
    tests are. The production pass refuses to run under development settings."""
    production = [item for item in items if item.get_closest_marker("production")]
    if PRODUCTION_PASS:
        from django.conf import settings

        if not (settings.SESSION_COOKIE_SECURE and settings.SECURE_HSTS_SECONDS and settings.SECRET_KEY):
            raise pytest.UsageError(
                "RENDEZ_TEST_PRODUCTION=1 needs DEBUG=false and its secrets (see .ci/run)"
            )
        return
    if production:
        config.hook.pytest_deselected(items=production)
        items[:] = [item for item in items if not item.get_closest_marker("production")]
