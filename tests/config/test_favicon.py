"""Browsers find the site icon: pages link it, and /favicon.ico (asked for whatever a page
says) leads to it instead of a 404 in every page's log."""

from django.contrib.staticfiles import finders

from tests import factories


def test_it_sends_favicon_ico_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
    assert "max-age=86400" in response["Cache-Control"]
    assert finders.find("favicon.svg"), "the icon is a static file (whitenoise serves it)"


def test_it_links_the_icon_from_every_layout(client, db):
    factories.business()
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
