"""The owner's look at a sent automation e-mail in the dashboard is never an open nor a click."""

import html

import pytest

from automations.models import MessageEvent
from tests.automations.builders import SCHEDULE_URL

pytestmark = pytest.mark.urls("tests.automations.urls")


def test_it_previews_without_the_open_pixel_and_with_the_plain_links(client, olivia, alices_message):
    client.force_login(olivia)

    page = client.get(f"/dashboard/emails/{alices_message.email.pk}/").content.decode()

    frame = html.unescape(page.split('srcdoc="', 1)[1].split('" title=', 1)[0])
    assert "/automations/e/open/" not in frame and "/automations/e/link/" not in frame
    assert f'href="{html.escape(SCHEDULE_URL)}"' in frame
    assert "/automations/e/open/" in alices_message.email.body_html  # the client's copy still tracks
    assert not MessageEvent.objects.exists()
