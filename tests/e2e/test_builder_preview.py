"""In Chromium: the builder's e-mail preview is as tall as the message it shows, in English and
Hebrew, and quotes sample values."""

import pytest

from tests import factories
from tests.support.browser import DESKTOP, screenshot

FRAME_HEIGHTS = """() => {
  const frame = document.querySelector('.email-preview__frame');
  return [frame.clientHeight, frame.contentDocument.documentElement.scrollHeight];
}"""


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_preview_frame_fits_its_message(live_server, page_for, olivia, language):
    factories.business(name="Studio Lumen")
    page = page_for(viewport=DESKTOP, language=language)
    page.goto(f"{live_server.url}/dashboard/login/")
    page.fill("#id_username", olivia.email)
    page.fill("#id_password", "s3cret-pass!")
    page.click("button[type=submit].button--primary")
    page.wait_for_url(f"{live_server.url}/dashboard/")

    page.goto(f"{live_server.url}/dashboard/automations/new/build/?template=thank_first_visit")
    page.wait_for_selector(".email-preview__frame")
    page.wait_for_function(
        "() => { const f = document.querySelector('.email-preview__frame'); return f && f.style.blockSize; }"
    )

    visible, message = page.evaluate(FRAME_HEIGHTS)
    assert message - 2 <= visible <= message + 2
    assert "{client_first_name}" not in page.inner_text(".email-preview__box")
    assert "{client_first_name}" not in page.inner_text(".builder__sentence")
    screenshot(page, f"builder-preview-{language}")
