"""The open pixel and the signed click links in automation e-mails."""

import html
import re

import pytest
from django.core import signing
from django.urls import reverse

from automations.email_tracking import click_token, open_token
from automations.models import MessageEvent, Tracking
from tests.automations.builders import SCHEDULE_URL

pytestmark = pytest.mark.urls("tests.automations.urls")


def links_in(body_html: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', body_html)]


def path_of(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


def pixel_of(body_html: str) -> str:
    return html.unescape(re.search(r'<img src="([^"]+)" width="1"', body_html).group(1))


def test_it_rewrites_the_message_links_but_not_the_unsubscribe_link(alices_message):
    links = links_in(alices_message.email.body_html)

    assert alices_message.links == [SCHEDULE_URL]
    assert SCHEDULE_URL not in links
    assert sum("/automations/e/link/" in link for link in links) == 1
    assert sum("/automations/unsubscribe/" in link for link in links) == 1
    assert SCHEDULE_URL in alices_message.email.body_text


def test_it_counts_an_open_once_however_often_the_pixel_loads(client, alices_message):
    pixel = path_of(pixel_of(alices_message.email.body_html))

    first, second = client.get(pixel), client.get(pixel)

    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "image/gif"
    event = MessageEvent.objects.get(message=alices_message)
    assert (event.kind, event.count) == (Tracking.OPENED, 2)
    alices_message.refresh_from_db()
    assert alices_message.opened_at is not None


def test_a_click_goes_to_the_link_and_counts_a_click_and_an_open(client, alices_message):
    tracked = next(link for link in links_in(alices_message.email.body_html) if "/e/link/" in link)

    response = client.get(path_of(tracked))

    assert response.status_code == 302
    assert response["Location"] == SCHEDULE_URL
    assert set(MessageEvent.objects.values_list("kind", flat=True)) == {Tracking.CLICKED, Tracking.OPENED}


def test_a_forged_pixel_is_not_found_and_records_nothing(client, alices_message):
    forged = open_token(run_id=alices_message.run_id, position=alices_message.position)[:-3] + "abc"
    unsigned = f"{alices_message.run_id}.{alices_message.position}"

    assert client.get(reverse("automations:email_opened", args=[forged])).status_code == 404
    assert client.get(reverse("automations:email_opened", args=[unsigned])).status_code == 404
    assert not MessageEvent.objects.exists()


def test_a_forged_click_link_is_not_found_and_records_nothing(client, alices_message):
    signed_elsewhere = signing.Signer(salt="another.purpose").sign_object(
        [alices_message.run_id, alices_message.position, SCHEDULE_URL], compress=True
    )

    assert client.get(reverse("automations:email_clicked", args=[signed_elsewhere])).status_code == 404
    assert client.get(reverse("automations:email_clicked", args=["garbage"])).status_code == 404
    assert not MessageEvent.objects.exists()


def test_a_click_link_to_an_address_not_in_the_message_is_not_found(client, alices_message):
    elsewhere = click_token(
        run_id=alices_message.run_id, position=alices_message.position, url="https://evil.test/phish"
    )

    response = client.get(reverse("automations:email_clicked", args=[elsewhere]))

    assert response.status_code == 404
    assert not MessageEvent.objects.exists()


def test_a_link_for_a_message_that_does_not_exist_is_not_found(client, alices_message):
    token = open_token(run_id=alices_message.run_id, position=alices_message.position + 1)

    assert client.get(reverse("automations:email_opened", args=[token])).status_code == 404
