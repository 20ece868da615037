"""Loyalty's clients as its pages meet them: with an account, signed in, holding points."""

from datetime import timedelta

from django.test import Client as Browser
from django.utils import timezone

from bookings_app.models import Client
from loyalty.services import adjust_points, settle_pending_events
from tests.factories import make_person


def account_for(client: Client) -> Client:
    """``client`` with an account to sign in to (force_login only)."""
    client.user = make_person(client.email, client.first_name, password=None)
    client.save(update_fields=["user"])
    return client


def signed_in(client: Client) -> Browser:
    browser = Browser()
    browser.force_login(client.user)
    return browser


def give_points(client: Client, points: int) -> None:
    adjust_points(client=client, points=points, description="Welcome bonus", by=None)


def settle_cancellations() -> int:
    """Loyalty's beat sweep a minute on, when the tasks of the events it reads count as lost:
    how many cancellations (and declines) it settled."""
    return settle_pending_events(now=timezone.now() + timedelta(minutes=1))
