"""Each audience opens its own part of Rendez and no other."""

import pytest

DASHBOARD = "/dashboard/"
TABLET = "/staff/"


@pytest.mark.parametrize("url", [DASHBOARD, TABLET])
def test_it_sends_anonymous_visitors_to_the_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/dashboard/login/?next=")


@pytest.mark.parametrize(
    ("person", "url", "status"),
    [
        ("olivia", DASHBOARD, 200),
        ("olivia", TABLET, 200),
        ("sam", DASHBOARD, 403),
        ("sam", TABLET, 200),
        ("carla", DASHBOARD, 403),
        ("carla", TABLET, 403),
    ],
)
def test_each_role_sees_what_it_may(client, request, person, url, status):
    client.force_login(request.getfixturevalue(person))
    assert client.get(url).status_code == status


def test_the_forbidden_page_is_the_friendly_one(client, carla):
    client.force_login(carla)
    response = client.get(DASHBOARD)
    assert b"This page is not for your account" in response.content


def test_an_unknown_page_is_the_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"We could not find that page" in response.content


@pytest.mark.parametrize(
    ("person", "landing"), [("olivia", "/dashboard/"), ("sam", "/staff/"), ("carla", "/")]
)
def test_it_lands_each_role_on_its_home_after_sign_in(client, request, person, landing):
    user = request.getfixturevalue(person)
    response = client.post("/dashboard/login/", {"username": user.email.upper(), "password": "s3cret-pass!"})
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == landing


def test_it_refuses_a_wrong_password_with_a_message(client, olivia):
    response = client.post("/dashboard/login/", {"username": olivia.email, "password": "nope"})
    assert response.status_code == 200
    assert b"form-error" in response.content
