"""In Chromium: the owner's website, on another site of the loopback (http://localhost:<port>, while
Rendez answers at http://127.0.0.1:<port>), pastes the snippet; a client books through the frame,
the frame grows to its content, and a website the owner did not list gets no frame at all."""

import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bookings_app.models import Booking, BookingStatus, Business
from tests import factories as f
from tests.support.browser import DESKTOP, PHONE, screenshot, signed_in_page

MONDAY = f.next_weekday(0, after=date.today() + timedelta(days=2))
SERIOUS = {"serious", "critical"}


def owner_page(rendez: str) -> bytes:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Studio Lumen</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><h1>Studio Lumen</h1><p>Our own website.</p></header>
<main>
<script src="{rendez}/static/js/embed.js" data-rendez-title="Book at Studio Lumen" async></script>
</main>
<footer><p id="below">Below the booking frame.</p></footer></body></html>""".encode()


@pytest.fixture
def owners_site(live_server):
    """Serves the owner's page (the snippet in it) from a second loopback origin; yields a starter."""
    port = live_server.url.rsplit(":", 1)[1]
    rendez = f"http://127.0.0.1:{port}"
    servers = []

    def start() -> str:
        class OwnerPage(BaseHTTPRequestHandler):
            def do_GET(self):
                body = owner_page(rendez)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), OwnerPage)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://localhost:{server.server_address[1]}"

    yield rendez, start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def studio(db):
    f.business()
    nina = f.staff_member("Nina")
    return f.service("Massage", staff=[nina], description="Sixty minutes of calm.")


def frame_fits_its_content(page, frame, frame_element) -> bool:
    """Whether the frame grew to its content's height (no inner scroll bar, nothing cut off)."""
    for _ in range(50):
        content = frame.locator("html").evaluate("html => Math.ceil(html.getBoundingClientRect().height)")
        height = frame_element.evaluate("frame => frame.getBoundingClientRect().height")
        if abs(height - content) <= 1 and height != 640:
            return True
        page.wait_for_timeout(100)
    return False


def list_origins(*origins: str) -> None:
    Business.objects.filter(pk=Business.current().pk).update(embed_origins=list(origins))


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_client_books_through_the_frame_on_the_owners_website(
    live_server, page_for, owners_site, studio, language
):
    rendez, start = owners_site
    site = start()
    list_origins(site)
    page = page_for(viewport=PHONE, language=language)
    page.goto(f"{site}/")
    frame_element = page.locator("iframe[data-rendez-frame]")
    assert frame_element.get_attribute("title") == "Book at Studio Lumen"
    assert frame_element.get_attribute("loading") == "lazy"
    assert frame_element.get_attribute("src").startswith(f"{rendez}/embed/?tz=")
    frame = page.frame_locator("iframe[data-rendez-frame]")
    frame.locator(".service-card a").first.click()
    frame.locator("#calendar").wait_for()
    day = frame.locator(f"button[name=day][value='{MONDAY.isoformat()}']")
    while not day.count():
        frame.locator(".calendar__nav--next").click()
        frame.locator(f".calendar__month:has-text('{MONDAY.year}')").wait_for()
        page.wait_for_timeout(300)
    day.click()
    frame.locator("#slots .slot").first.wait_for()
    assert frame.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    assert "/embed/s/massage/book/" in frame.locator("#slots .slot").first.get_attribute("href")
    assert frame_fits_its_content(page, frame, frame_element)
    page.evaluate("window.scrollTo(0, 0)")  # htmx scrolled the owner's page to the times
    screenshot(page, f"embedded-slots-{language}")
    frame.locator("#slots .slot").first.click()
    frame.locator("form.booking-form").wait_for()
    frame.locator("#id_first_name").fill("Alice")
    frame.locator("#id_last_name").fill("Durand")
    frame.locator("#id_email").fill("alice@client.test")
    frame.locator("form.booking-form button[type=submit]").click()
    frame.locator(".confirmation").wait_for()
    assert Booking.objects.get(client__email="alice@client.test").status == BookingStatus.CONFIRMED
    assert page.url == f"{site}/"  # the owner's page stayed; only the frame moved on
    # The frame is as tall as its content: no inner scroll bar, nothing cut off.
    assert frame_fits_its_content(page, frame, frame_element)
    manage = frame.locator(".changes__link")
    assert manage.get_attribute("target") == "_top"
    screenshot(page, f"embedded-confirmation-{language}")


def test_a_website_the_owner_did_not_list_gets_no_frame(live_server, page_for, owners_site, studio):
    _, start = owners_site
    listed, unlisted = start(), start()
    list_origins(listed)
    page = page_for(viewport=DESKTOP)
    refusals = []
    page.on(
        "console",
        lambda message: refusals.append(message.text) if "frame-ancestors" in message.text else None,
    )
    page.goto(f"{unlisted}/")
    frame_element = page.locator("iframe[data-rendez-frame]")
    frame_element.wait_for()
    page.wait_for_timeout(1500)
    assert refusals, "Chromium did not report the refusal"
    assert f"frame-ancestors 'self' {listed}" in refusals[0]
    frame = frame_element.element_handle().content_frame()
    assert frame is None or not frame.url.startswith("http://127.0.0.1")
    assert frame_element.evaluate("frame => frame.style.blockSize") == "640px"  # never resized


def test_the_embedded_pages_have_no_serious_accessibility_violation(
    live_server, page_for, owners_site, studio
):
    from axe_playwright_python.sync_playwright import Axe

    rendez, _ = owners_site
    axe = Axe()
    for language in ("en", "he"):
        page = page_for(viewport=PHONE, language=language)
        for path in ("/embed/", f"/embed/s/{studio.slug}/?day={MONDAY.isoformat()}"):
            page.goto(f"{rendez}{path}")
            results = axe.run(page)
            serious = [v["id"] for v in results.response["violations"] if v["impact"] in SERIOUS]
            assert not serious, f"{language} {path}: {serious}"


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_copies_the_snippet_from_the_settings(live_server, page_for, olivia, language):
    page = signed_in_page(page_for, live_server, olivia, language)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}/dashboard/settings/embedding/")
    page.fill("#id_origins", "https://studio.example\nhttps://studio.example/booking")
    page.click("form.form button[type=submit]")
    assert page.locator(".field-error").count() == 1
    screenshot(page, f"dashboard-embedding-errors-{language}")
    page.fill("#id_origins", "https://studio.example")
    page.click("form.form button[type=submit]")
    page.wait_for_selector(".messages, [role=status]")
    assert Business.current().embed_origins == ["https://studio.example"]
    page.click("button[data-copy=embed-snippet]")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("<script src=") and copied.endswith(" async></script>")
    assert 'data-rendez-title="' in copied
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    screenshot(page, f"dashboard-embedding-{language}")


def test_the_preview_frames_the_booking_pages_inside_the_dashboard(
    live_server, page_for, olivia, studio, settings
):
    settings.SITE_URL = live_server.url
    page = signed_in_page(page_for, live_server, olivia, "en")
    page.goto(f"{live_server.url}/dashboard/settings/embedding/preview/")
    frame = page.frame_locator("iframe[data-rendez-frame]")
    frame.locator(".service-card").first.wait_for()
    assert frame.locator(".service-card").count() == 1
    assert frame.locator(".public-header").count() == 0
    screenshot(page, "dashboard-embedding-preview-en")
