"""The studio's loyalty program: a yoga class that earns 10 points, and clients who come to it."""

from decimal import Decimal

import pytest
from celery import Task, current_app
from django.utils import translation

from bookings_app.models import Client, Service, ServiceKind, StaffMember, User
from bookings_app.web.roles import OWNER
from loyalty.models import GiftCardProduct, Program, ServicePoints
from tests import factories as f
from tests.factories import make_person


@pytest.fixture(autouse=True)
def in_english():
    """Messages, headers and defaults speak the active language: English here, whatever a page
    request earlier in the run left active (the test client does not reset it)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def handed_to_the_broker(monkeypatch) -> list[tuple[str, tuple]]:
    """(task name, args) of every task queued, kept here: a loyalty test never talks to a broker,
    whichever app (bookings, automations, loyalty) queues work after a commit."""
    handed: list[tuple[str, tuple]] = []

    def keep(task: Task, args=None, kwargs=None, **options) -> None:
        handed.append((task.name, tuple(args or ())))

    def keep_by_name(name: str, args=None, kwargs=None, **options) -> None:
        handed.append((name, tuple(args or ())))

    monkeypatch.setattr(Task, "apply_async", keep)
    monkeypatch.setattr(current_app._get_current_object(), "send_task", keep_by_name)
    return handed


@pytest.fixture
def olivia(db) -> User:
    """Olivia owns the studio; these tests never sign her in, so she skips the slow password hash."""
    return make_person("olivia@studio.test", "Olivia", OWNER, password=None)


@pytest.fixture
def studio(db):
    return f.business(name="Studio Lumen", currency="EUR")


@pytest.fixture
def program(studio) -> Program:
    """On, crediting three hours after a session ends, with the default wording."""
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True, "credit_delay_hours": 3})
    return Program.current()


@pytest.fixture
def nina(studio) -> StaffMember:
    return f.staff_member("Nina")


@pytest.fixture
def yoga(nina) -> Service:
    """A class connected to the program: each visit earns 10 points."""
    service = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=30, price=Decimal("20.00"))
    ServicePoints.objects.create(service=service, points=10)
    return service


@pytest.fixture
def alice(studio) -> Client:
    return f.client("Alice", last_name="Martin")


@pytest.fixture
def bob(studio) -> Client:
    """Bob reads French and lives in Montreal."""
    return f.client("Bob", language="fr", time_zone="America/Montreal")


@pytest.fixture
def voucher(studio) -> GiftCardProduct:
    """A 25 EUR gift card for 100 points, valid a year."""
    return GiftCardProduct.objects.create(
        name="Voucher 25", value=Decimal("25.00"), validity_days=365, points_price=100
    )
