"""Client A (Alice) never sees or changes client B's (Bob's) bookings, points or gift cards,
whatever id she puts in a URL or a form."""

import uuid

from django.test import Client as Browser
from django.urls import reverse

from bookings_app.models import Booking
from loyalty.models import Balance, GiftCard


def _signed_in(user) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser


def test_alices_pages_show_nothing_of_bobs(world, alice_user):
    bobs_booking = Booking.objects.get(pk=world.values["booking"])
    bobs_card = GiftCard.objects.get(pk=world.values["gift_card"])
    alice = _signed_in(alice_user)
    for url in (reverse("my_bookings"), reverse("loyalty:my_points"), reverse("loyalty:gift_cards")):
        page = alice.get(url)
        assert page.status_code == 200, url
        content = page.content.decode()
        for secret in (bobs_card.code, bobs_card.display_code, bobs_booking.code, "Massage", "Welcome"):
            assert secret not in content, (url, secret)


def test_alice_cannot_download_bobs_gift_card_by_changing_the_id(world, alice_user, bob_user):
    url = reverse("loyalty:gift_card_pdf", args=[world.values["gift_card"]])
    assert _signed_in(alice_user).get(url).status_code == 404
    own = reverse("loyalty:gift_card_pdf", args=[world.values["alice_gift_card"]])
    assert _signed_in(alice_user).get(own).status_code == 200


def test_alice_buying_a_gift_card_spends_only_her_own_points(world, alice_user):
    product = world.values["product"]
    response = _signed_in(alice_user).post(
        reverse("loyalty:buy_gift_card", args=[product]),
        {"request_key": uuid.uuid4().hex, "client": world.bob.pk, "client_id": world.bob.pk},
    )
    assert response.status_code == 303
    assert Balance.objects.get(client=world.bob).points == 80
    assert Balance.objects.get(client=world.alice).points == 5  # 5 points do not buy a 50-point card
    assert GiftCard.objects.filter(owner=world.bob).count() == 1


def test_alice_cannot_reach_bobs_booking_through_the_team_pages(world, alice_user):
    alice = _signed_in(alice_user)
    booking = world.values["booking"]
    for name in ("dashboard:booking", "dashboard:booking_cancel", "dashboard:calendar_booking"):
        assert alice.post(reverse(name, args=[booking])).status_code == 403, name
    for name in ("staff:check_in", "staff:no_show"):
        assert alice.post(reverse(name, args=[booking])).status_code == 403, name
    assert Booking.objects.get(pk=booking).status == "confirmed"
    assert Booking.objects.get(pk=booking).attendance == ""
