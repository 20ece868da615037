"""Automations and Tasks are the owner's: anonymous visitors sign in, clients and staff get 403."""

import pytest
from django.urls import reverse

from automations import services


@pytest.fixture
def urls(welcome):
    task = services.create_task(title="Call Alice")
    pk = welcome.pk
    return [
        ("get", reverse("automations_dashboard:list")),
        ("get", reverse("automations_dashboard:new")),
        ("get", reverse("automations_dashboard:build")),
        ("get", reverse("automations_dashboard:summary", args=[pk])),
        ("get", reverse("automations_dashboard:edit", args=[pk])),
        ("get", reverse("automations_dashboard:rename", args=[pk])),
        ("get", reverse("automations_dashboard:delete", args=[pk])),
        ("get", reverse("automations_dashboard:what_would_happen", args=[pk]) + "?event=0"),
        ("post", reverse("automations_dashboard:toggle", args=[pk])),
        ("post", reverse("automations_dashboard:duplicate", args=[pk])),
        ("get", reverse("automations_tasks:list")),
        ("post", reverse("automations_tasks:tick", args=[task.pk])),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, urls):
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response.url, url


@pytest.mark.parametrize("who", ["carla", "sam"])
def test_clients_and_staff_are_refused(client, urls, who, request):
    client.force_login(request.getfixturevalue(who))
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 403, url


def test_the_owner_opens_every_page(owner_client, urls):
    for method, url in urls:
        if method == "get":
            expected = 400 if "what-would-happen" in url else 200
            assert owner_client.get(url).status_code == expected, url


def test_the_sidebar_offers_automations_and_tasks_to_the_owner_only(owner_client, client, sam, welcome):
    page = owner_client.get(reverse("automations_dashboard:list")).content.decode()
    assert 'href="/dashboard/automations/" aria-current="page"' in page
    assert 'href="/dashboard/tasks/"' in page

    client.force_login(sam)
    calendar = client.get(reverse("dashboard:calendar")).content.decode()
    assert "/dashboard/automations/" not in calendar
