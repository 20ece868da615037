"""Shared fixtures: the people of the demo studio and the real components under test."""

import gc
import os
import sqlite3
from collections import defaultdict

import pytest
from celery import Celery
from django.db import connection
from django.test import override_settings

from bookings_app.mail.delivery import send_email_now
from bookings_app.models import OutgoingEmail, User
from bookings_app.web.roles import OWNER, STAFF
from tests.factories import make_person

IN_CI = os.environ.get("CI", "").lower() == "true"
ON_POSTGRES = connection.vendor == "postgresql"


def pytest_report_header(config) -> list[str]:
    return [
        f"rendez: database={connection.vendor}"
        f" broker={'redis' if os.environ.get('REDIS_URL') else 'filesystem'}"
        f" ci={IN_CI}"
    ]


def pytest_collection_modifyitems(config, items) -> None:
    """PostgreSQL-only tests are deselected (and counted) on SQLite; CI runs them in its second pass.
    Tests of the embedded default ignore DATABASE_URL, so the PostgreSQL pass would only repeat
    them: they are deselected (and counted) there."""
    not_here = "embedded" if ON_POSTGRES else "postgres"
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker(not_here) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing():
    """Django's PBKDF2 takes a third of a second per password by design; a thousand tests sign
    someone in. Tests check who may sign in, not the hash's cost, so they hash with MD5."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def handed_over(monkeypatch) -> defaultdict[str, list]:
    """What ``bookings_app.core.hand_over`` publishes, by task name (each task's first argument),
    kept out of the broker."""
    published: defaultdict[str, list] = defaultdict(list)

    def keep(app, name, args=(), **options):
        published[name].append(args[0])

    monkeypatch.setattr(Celery, "send_task", keep)
    return published


@pytest.fixture
def as_sent():
    """Send a stored message as a worker does (writing it first if its composer writes it when
    sent) and give back its row, which keeps what was sent."""

    def send(email: OutgoingEmail) -> OutgoingEmail:
        send_email_now(email_id=email.pk)
        email.refresh_from_db()
        return email

    return send


@pytest.fixture
def olivia(db) -> User:
    """Olivia owns the studio."""
    return make_person("olivia@studio.test", "Olivia", OWNER)


@pytest.fixture
def sam(db) -> User:
    """Sam works the front desk."""
    return make_person("sam@studio.test", "Sam", STAFF)


@pytest.fixture
def carla(db) -> User:
    """Carla is a client with an account and no role."""
    return make_person("carla@client.test", "Carla")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL the tests commit without waiting for the disk (``synchronous_commit=off``):
    a test database is thrown away, and the races and flushes of transactional tests commit
    thousands of times. What is visible to other connections is unchanged."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        database.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test database, and before it is removed every SQLite connection still open
    in this process is closed: one left open (a live server's request thread still serving the
    browser, a lingering thread) would leave test.sqlite3-wal and -shm behind in var/test/.
    SQLite removes both when its last connection closes."""
    from django.db import connections

    test_database = (
        os.path.realpath(connection.settings_dict["NAME"]) if connection.vendor == "sqlite" else None
    )
    yield
    connections.close_all()
    for handle in gc.get_objects() if test_database else ():
        # type(), not isinstance(): isinstance would evaluate the lazy objects (pages' contexts) it meets
        if type(handle) is sqlite3.Connection and _opens(handle, test_database):
            handle.close()  # Django opens them with check_same_thread=False


def _opens(handle: sqlite3.Connection, path: str) -> bool:
    try:
        return any(
            os.path.realpath(row[2]) == path for row in handle.execute("PRAGMA database_list") if row[2]
        )
    except sqlite3.Error:  # closed already, or bound to its thread (not Django's: coverage's data file)
        return False


@pytest.fixture(autouse=True, scope="session")
def _fresh_file_cache():
    """Rate-limit counters in the file cache would outlive a run and block the next one's
    deliberate wrong passwords; CI flushes its Redis database the same way before each run."""
    from django.core.cache import caches
    from django.core.cache.backends.filebased import FileBasedCache

    if isinstance(caches["default"], FileBasedCache):
        caches["default"].clear()
    yield


@pytest.fixture(autouse=True)
def _language_reset():
    """A page request leaves its language active in the thread (the test client does not reset
    it), so a test after a Hebrew page would read Hebrew messages: each test starts in English."""
    from django.utils import translation

    with translation.override("en"):
        yield
