"""The owner's Calendar feeds page: the addresses to copy, made, renewed and revoked after a
confirmation, and the switches for what staff feeds show; nobody else opens it."""

import re

import pytest
from django.test import Client as Browser
from django.urls import reverse

from bookings_app.models import Business, CalendarFeed, FeedKind


@pytest.fixture
def owner(olivia) -> Browser:
    browser = Browser()
    browser.force_login(olivia)
    return browser


def test_the_page_shows_the_business_and_staff_addresses_with_copy_buttons(studio, owner):
    page = owner.get(reverse("dashboard:feeds")).content.decode()

    for feed in (studio.business_feed, studio.ninas_feed):
        assert f"/calendar/{feed.token}.ics" in page
    assert "data-copy=" in page
    assert studio.alices_feed.token not in page  # clients' addresses are theirs
    assert "Omar" in page and "Make an address" in page


def test_the_settings_page_links_to_it(studio, owner):
    assert reverse("dashboard:feeds") in owner.get(reverse("dashboard:settings")).content.decode()


def test_the_owner_makes_a_staff_members_address(studio, owner):
    owner.post(reverse("dashboard:feed_create"), {"staff": studio.omar.pk})

    assert CalendarFeed.objects.filter(
        kind=FeedKind.STAFF, staff=studio.omar, revoked_at__isnull=True
    ).exists()


def test_renewing_asks_first_then_replaces_the_address(studio, owner):
    url = reverse("dashboard:feed_renew", args=[studio.ninas_feed.pk])
    asked = owner.get(url)

    assert "Yes, make a new address" in asked.content.decode()
    assert CalendarFeed.objects.get(pk=studio.ninas_feed.pk).revoked_at is None

    owner.post(url)
    assert CalendarFeed.objects.get(pk=studio.ninas_feed.pk).revoked_at is not None
    assert Browser().get(f"/calendar/{studio.ninas_feed.token}.ics").status_code == 404
    assert CalendarFeed.objects.filter(staff=studio.nina, revoked_at__isnull=True).count() == 1


def test_revoking_asks_first_then_turns_the_address_off(studio, owner):
    url = reverse("dashboard:feed_revoke", args=[studio.business_feed.pk])

    assert "Yes, turn it off" in owner.get(url).content.decode()
    owner.post(url)
    assert not CalendarFeed.objects.filter(kind=FeedKind.BUSINESS, revoked_at__isnull=True).exists()


def test_a_clients_feed_cannot_be_renewed_from_the_dashboard(studio, owner):
    assert owner.post(reverse("dashboard:feed_renew", args=[studio.alices_feed.pk])).status_code == 404


def test_the_owner_sets_what_staff_feeds_show(studio, owner):
    owner.post(reverse("dashboard:feeds"), {"feed_private_notes": "on"})

    business = Business.current()
    assert business.feed_private_notes and not business.feed_client_names


def test_staff_and_clients_cannot_open_it(studio, sam, carla):
    for person in (sam, carla):
        browser = Browser()
        browser.force_login(person)
        assert browser.get(reverse("dashboard:feeds")).status_code in (403, 404)
        assert browser.post(reverse("dashboard:feed_revoke", args=[studio.business_feed.pk])).status_code in (
            403,
            404,
        )
    assert CalendarFeed.objects.get(pk=studio.business_feed.pk).revoked_at is None


@pytest.mark.parametrize("language", ["fr", "he"])
def test_the_page_is_translated(studio, owner, language):
    owner.cookies["django_language"] = language
    page = owner.get(reverse("dashboard:feeds"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert "Calendar feeds" not in page


def test_a_staff_members_page_shows_their_address(studio, owner):
    ninas = owner.get(reverse("dashboard:staff_member", args=[studio.nina.pk])).content.decode()
    omars = owner.get(reverse("dashboard:staff_member", args=[studio.omar.pk])).content.decode()

    assert f"/calendar/{studio.ninas_feed.token}.ics" in ninas
    # The outside calendars form below shows an example .ics address of its own
    assert not re.search(r"/calendar/[^/\"]+\.ics", omars) and "No calendar address yet." in omars
