"""Every loyalty dashboard page, walked as anonymous, a client, staff and the owner."""

import pytest
from django.test import Client as Browser
from django.urls import URLPattern, reverse

from loyalty import dashboard_urls, tasks
from loyalty.models import PointsExport
from tests import factories as f


@pytest.fixture
def world(program, voucher, alice, olivia):
    export = PointsExport.objects.create(requested_by=olivia, file_format="csv")
    tasks.build_points_export(export.pk)
    return {
        "client_history": alice.pk,
        "product_edit": voucher.pk,
        "export_status": export.pk,
        "export_download": export.pk,
        "refund_sale": 999999,  # POST-only buttons: a GET is refused whoever asks
        "retry_sale_refund": 999999,
    }


def loyalty_urls(world: dict) -> list[str]:
    urls = []
    for pattern in dashboard_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        args = [world[pattern.name]] if pattern.pattern.converters else []
        urls.append(reverse(f"loyalty_dashboard:{pattern.name}", args=args))
    return urls


def browser_for(user) -> Browser:
    browser = Browser()
    if user is not None:
        browser.force_login(user)
    return browser


def test_it_sends_anonymous_visitors_to_sign_in(world):
    for url in loyalty_urls(world):
        response = Browser().get(url)
        assert response.status_code == 302 and response.url.startswith("/dashboard/login/"), url


def test_it_forbids_clients_and_staff(world, carla, sam):
    f.client("Carla", email=carla.email, user=carla)
    for user in (carla, sam):
        for url in loyalty_urls(world):
            assert browser_for(user).get(url).status_code == 403, (user, url)


def test_it_opens_every_page_to_the_owner(world, as_olivia):
    for url in loyalty_urls(world):
        status = as_olivia.get(url).status_code
        expected = (
            405
            if url.endswith(("/exports/", "/preview/", "/refund/", "/retry/"))
            else (302 if url == "/dashboard/loyalty/" else 200)
        )
        assert status == expected, url
