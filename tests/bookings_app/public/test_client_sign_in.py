"""Clients who have booked sign in with a code e-mailed to them; nobody else gets one."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client as Browser
from django.utils import timezone

from bookings_app.models import Booking, Client, User
from bookings_app.web.accounts import AccountTaken, user_for_client
from bookings_app.web.roles import STAFF, ensure_roles
from tests import factories as make

pytestmark = pytest.mark.django_db

REQUEST_CODE = "/account/login/code/"
CONFIRM_CODE = "/account/login/code/confirm/"
CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth counts code requests in the cache; each test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def massage():
    make.business()
    nina = make.staff_member("Nina")
    return make.service("Massage", staff=[nina])


@pytest.fixture
def alice(massage):
    """Alice booked a massage next week; she has never signed in."""
    alice = make.client("Alice")
    start = timezone.now().replace(microsecond=0) + timedelta(days=7)
    session = make.session(massage, massage.staff.get(), start)
    Booking.objects.create(client=alice, service=massage, session=session)
    return alice


def code_in(message) -> str | None:
    found = CODE.search(message.body)
    return found.group(1) if found else None


def request_code(browser, email: str):
    return browser.post(REQUEST_CODE, {"email": email})


def test_it_signs_in_a_client_who_booked_with_the_code_from_the_email(client, mailoutbox, alice):
    response = request_code(client, "Alice@Client.test")
    assert response.status_code == 302
    assert response["Location"] == CONFIRM_CODE

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["alice@client.test"]
    assert message.subject == "Your sign-in code for Studio Lumen"
    assert "Studio Lumen" in message.from_email
    code = code_in(message)
    assert code is not None

    response = client.post(CONFIRM_CODE, {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/my/"
    page = client.get("/my/")
    assert page.status_code == 200
    assert "Massage" in page.content.decode()


def test_it_gives_the_client_an_account_without_a_password_on_the_first_request(client, alice):
    request_code(client, alice.email)

    alice.refresh_from_db()
    assert alice.user is not None
    assert alice.user.email == "alice@client.test"
    assert alice.user.first_name == "Alice"
    assert not alice.user.has_usable_password()


def test_it_answers_an_unknown_address_like_a_known_one_and_makes_no_account(client, mailoutbox, alice):
    stranger = Browser()
    for_alice = request_code(client, alice.email)
    for_nobody = request_code(stranger, "nobody@client.test")

    assert (for_nobody.status_code, for_nobody["Location"]) == (for_alice.status_code, for_alice["Location"])
    nobody_page, alice_page = stranger.get(CONFIRM_CODE), client.get(CONFIRM_CODE)
    assert nobody_page.status_code == alice_page.status_code == 200
    assert [t.name for t in nobody_page.templates] == [t.name for t in alice_page.templates]
    assert not User.objects.filter(email="nobody@client.test").exists()
    to_nobody = [m for m in mailoutbox if m.to == ["nobody@client.test"]]
    assert all(code_in(m) is None for m in to_nobody)


def test_it_refuses_a_wrong_code(client, mailoutbox, alice):
    request_code(client, alice.email)
    right = code_in(mailoutbox[0])
    wrong = "AAAA-AAAA" if right != "AAAA-AAAA" else "BBBB-BBBB"

    response = client.post(CONFIRM_CODE, {"code": wrong})

    assert response.status_code == 200
    assert b"field-error" in response.content
    assert "_auth_user_id" not in client.session
    assert client.get("/my/").status_code == 302


def test_it_refuses_the_right_code_after_three_wrong_ones(client, mailoutbox, alice):
    request_code(client, alice.email)
    right = code_in(mailoutbox[0])
    for _ in range(3):
        client.post(CONFIRM_CODE, {"code": "AAAA-AAAA" if right != "AAAA-AAAA" else "BBBB-BBBB"})

    client.post(CONFIRM_CODE, {"code": right})

    assert "_auth_user_id" not in client.session


def test_it_limits_how_often_one_address_may_ask_for_a_code(mailoutbox, alice):
    for _ in range(3):
        assert request_code(Browser(), alice.email).status_code == 302

    response = request_code(Browser(), alice.email)

    assert response.status_code == 200
    assert b"field-error" in response.content
    assert len(mailoutbox) == 3


def test_it_never_opens_a_team_account_with_a_code(client, mailoutbox, massage, sam):
    """Sam works the desk and once booked a massage: his account stays behind his password."""
    make.client("Sam", email=sam.email)

    response = request_code(client, sam.email)

    assert response["Location"] == CONFIRM_CODE
    assert all(code_in(m) is None for m in mailoutbox)


def test_it_links_the_account_that_already_has_the_clients_address(carla, massage):
    carla_as_client = make.client("Carla", email="CARLA@client.test")

    assert user_for_client(carla_as_client) == carla
    carla_as_client.refresh_from_db()
    assert carla_as_client.user == carla
    assert User.objects.filter(email__iexact="carla@client.test").count() == 1


def test_it_sends_no_code_when_the_address_opens_another_clients_account(client, mailoutbox, carla, massage):
    """An owner linked Carla's account to Dora by hand; Carla's own address may not reach it."""
    make.client("Dora", email="dora@client.test", user=carla)
    carla_as_client = make.client("Carla", email="carla@client.test")

    with pytest.raises(AccountTaken):
        user_for_client(carla_as_client)
    response = request_code(client, carla_as_client.email)

    assert response["Location"] == CONFIRM_CODE
    assert all(code_in(m) is None for m in mailoutbox)


def test_it_keeps_one_account_per_client_when_asked_twice(massage):
    bob = make.client("Bob")

    first = user_for_client(bob)
    second = user_for_client(Client.objects.get(pk=bob.pk))  # a second request, a fresh row

    assert first == second
    assert User.objects.filter(email="bob@client.test").count() == 1


def test_it_keeps_signup_closed(client, db):
    response = client.post("/account/signup/", {"email": "mallory@client.test"})

    assert response.status_code == 404
    assert not User.objects.filter(email="mallory@client.test").exists()


def test_it_does_not_offer_email_or_password_management(client, alice):
    client.force_login(user_for_client(alice))

    assert client.get("/account/email/").status_code == 404
    assert client.get("/account/password/reset/").status_code == 404


def test_it_lets_the_client_leave_a_pending_code_for_another_address(client, mailoutbox, alice, massage):
    bob = make.client("Bob")
    request_code(client, "bob@typo.test")
    assert client.get(REQUEST_CODE)["Location"] == CONFIRM_CODE  # allauth holds the pending code

    response = client.post("/account/logout/", {"next": REQUEST_CODE})
    assert response["Location"] == REQUEST_CODE
    assert client.get(REQUEST_CODE).status_code == 200
    request_code(client, bob.email)
    assert code_in(mailoutbox[-1]) is not None


def test_it_offers_the_code_first_and_the_team_their_password_on_the_sign_in_page(client, db):
    html = client.get("/account/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'action="{REQUEST_CODE}"' in html
    assert "Send me a sign-in code" in html
    assert 'href="/dashboard/login/"' in html
    assert 'type="password"' not in html


def test_it_keeps_the_staff_password_sign_in(client, olivia):
    response = client.post("/dashboard/login/", {"username": olivia.email, "password": "s3cret-pass!"})

    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == "/dashboard/"


def test_it_sends_the_owner_no_code_from_allauths_own_sign_in_form(client, mailoutbox, massage, olivia):
    """allauth's login form, sent without a password, asks for a code the way the code page does."""
    response = client.post("/account/login/", {"login": olivia.email})

    assert response.status_code == 302
    assert all(code_in(m) is None for m in mailoutbox)
    client.post(CONFIRM_CODE, {"code": "AAAA-AAAA"})
    assert client.get("/dashboard/settings/").status_code == 302  # still sent to sign in


def test_it_sends_staff_no_code_from_allauths_own_sign_in_form(client, mailoutbox, massage, sam):
    client.post("/account/login/", {"login": sam.email})

    assert all(code_in(m) is None for m in mailoutbox)
    assert client.get("/staff/").status_code == 302


def test_allauths_own_sign_in_form_still_sends_a_client_her_code(client, mailoutbox, alice):
    response = client.post("/account/login/", {"login": alice.email})

    assert response["Location"] == CONFIRM_CODE
    client.post(CONFIRM_CODE, {"code": code_in(mailoutbox[0])})
    assert client.get("/my/").status_code == 200


def test_a_code_sent_before_the_client_joined_the_team_no_longer_opens_the_account(client, mailoutbox, alice):
    """Alice asked for a code, then the owner made her staff: her account now opens with a password only."""
    ensure_roles()
    request_code(client, alice.email)
    alice.refresh_from_db()
    alice.user.groups.add(Group.objects.get(name=STAFF))

    response = client.post(CONFIRM_CODE, {"code": code_in(mailoutbox[0])})

    assert response.status_code == 302 and response["Location"] == "/dashboard/login/"
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/").status_code == 302


def test_it_shows_one_message_after_signing_in_with_a_code(client, mailoutbox, alice):
    """The code page says in its own words that the code was sent; no "code sent" message waits
    to show beside "Successfully signed in" (as when the code is typed in a page opened earlier)."""
    request_code(client, "alice@client.test")
    client.post(CONFIRM_CODE, {"code": code_in(mailoutbox[-1])})

    page = client.get("/my/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert page.count('class="message ') == 1
    assert "Successfully signed in" in page
