"""A signed-in client's own calendar address on /my/: made on request, renewed in place,
and only ever their own bookings."""

from django.test import Client as Browser
from django.urls import reverse

from bookings_app.models import CalendarFeed
from tests import factories


def signed_in(user) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser


def test_a_client_gets_their_address_and_renews_it(studio, carla):
    client = factories.client("Carla", email="carla@client.test", user=carla)
    browser = signed_in(carla)

    page = browser.get(reverse("my_bookings")).content.decode()
    assert "Subscribe to my bookings" in page and "/calendar/" not in page

    browser.post(reverse("my_calendar_feed"), {"action": "make"})
    feed = CalendarFeed.objects.get(client=client, revoked_at__isnull=True)
    assert f"/calendar/{feed.token}.ics" in browser.get(reverse("my_bookings")).content.decode()

    browser.post(reverse("my_calendar_feed"), {"action": "renew"})
    new = CalendarFeed.objects.get(client=client, revoked_at__isnull=True)
    assert new.token != feed.token
    assert Browser().get(f"/calendar/{feed.token}.ics").status_code == 404
    assert Browser().get(f"/calendar/{new.token}.ics").status_code == 200


def test_a_client_never_sees_or_renews_another_clients_address(studio, carla):
    factories.client("Carla", email="carla@client.test", user=carla)
    browser = signed_in(carla)
    browser.post(reverse("my_calendar_feed"), {"action": "renew"})

    page = browser.get(reverse("my_bookings")).content.decode()
    assert studio.alices_feed.token not in page and studio.bobs_feed.token not in page
    assert CalendarFeed.objects.get(pk=studio.alices_feed.pk).revoked_at is None


def test_an_account_without_bookings_has_no_address_to_make(db, carla):
    assert signed_in(carla).post(reverse("my_calendar_feed"), {"action": "make"}).status_code == 404


def test_signing_in_comes_first(db):
    response = Browser().post(reverse("my_calendar_feed"), {"action": "make"})

    assert response.status_code == 302 and "/account/" in response["Location"]
