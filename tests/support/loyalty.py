"""Loyalty's clients as its pages meet them: with an account, signed in, holding points."""

from django.test import Client as Browser

from bookings_app.models import Client
from loyalty.services import adjust_points
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
