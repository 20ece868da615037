"""A signed-in client's "My points": the balance and the history, their own only."""

import pytest
from django.test import Client as Browser
from django.urls import reverse

from loyalty.models import Program
from loyalty.views.client import HISTORY_PAGE_SIZE
from tests.support.loyalty import account_for, give_points, signed_in

pytestmark = pytest.mark.django_db
MY_POINTS = reverse("loyalty:my_points")


def test_it_shows_the_balance_and_the_history_newest_first(program, alice, alice_signed_in):
    give_points(alice, 120)
    give_points(alice, -20)

    page = alice_signed_in.get(MY_POINTS)

    assert page.status_code == 200
    assert page.context["balance"] == 100
    assert [entry.points for entry in page.context["history"]] == [-20, 120]
    assert "Welcome bonus" in page.content.decode()


def test_it_pages_a_long_history(program, alice, alice_signed_in):
    for _ in range(HISTORY_PAGE_SIZE + 3):
        give_points(alice, 5)

    first, second = alice_signed_in.get(MY_POINTS), alice_signed_in.get(MY_POINTS, {"page": 2})

    assert len(first.context["history"].object_list) == HISTORY_PAGE_SIZE
    assert len(second.context["history"].object_list) == 3
    assert 'href="?page=2"' in first.content.decode()


def test_it_shows_only_the_signed_in_clients_points(program, alice, bob):
    give_points(alice, 300)
    give_points(bob, 7)

    page = signed_in(account_for(bob)).get(MY_POINTS)

    assert page.context["balance"] == 7
    assert [entry.client_id for entry in page.context["history"]] == [bob.pk]


def test_it_shows_zero_to_an_account_that_never_booked(program, carla):
    browser = Browser()
    browser.force_login(carla)

    page = browser.get(MY_POINTS)

    assert page.status_code == 200 and page.context["balance"] == 0


def test_it_sends_a_visitor_to_the_sign_in_page(program):
    response = Browser().get(MY_POINTS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_request_login_code"))


def test_it_puts_my_points_and_gift_cards_in_the_clients_header(program, alice_signed_in):
    header = alice_signed_in.get(reverse("my_bookings")).content.decode()

    assert f'href="{MY_POINTS}"' in header
    assert f'href="{reverse("loyalty:gift_cards")}"' in header


def test_it_hides_the_pages_and_the_header_links_while_the_program_is_off(program, alice, alice_signed_in):
    Program.objects.filter(pk=1).update(is_enabled=False)

    assert alice_signed_in.get(MY_POINTS).status_code == 404
    assert alice_signed_in.get(reverse("loyalty:gift_cards")).status_code == 404
    assert MY_POINTS not in alice_signed_in.get(reverse("my_bookings")).content.decode()


def test_it_shows_the_owner_an_empty_page_of_her_own(program, olivia, alice):
    give_points(alice, 50)
    browser = Browser()
    browser.force_login(olivia)

    page = browser.get(MY_POINTS)

    assert (
        page.status_code == 200 and page.context["balance"] == 0 and not page.context["history"].object_list
    )
