"""What the browser journeys share: the screens they use, their pictures, and signing in."""

from pathlib import Path

from django.conf import settings
from django.test import Client as DjangoClient

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}
DESKTOP = {"width": 1366, "height": 900}


def screenshot(page, name: str) -> Path:
    """Keep a picture of what a person saw, under var/screenshots/, for a human to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def signed_in_page(page_for, live_server, user, language: str, viewport: dict = DESKTOP):
    """A page whose browser carries the owner's session cookie."""
    django_client = DjangoClient()
    django_client.force_login(user)
    page = page_for(viewport=viewport, language=language)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": django_client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def sign_in_to_dashboard(page, base_url: str, owner) -> None:
    """Sign the owner in through the dashboard's sign-in form, as a person would."""
    page.goto(f"{base_url}/dashboard/login/")
    page.fill("#id_username", owner.email)
    page.fill("#id_password", "s3cret-pass!")
    page.click("button[type=submit].button--primary")
    page.wait_for_url(f"{base_url}/dashboard/")


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line per node."""
    from axe_playwright_python.sync_playwright import Axe  # requirements-dev.txt installs it

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        f"{violation['id']}: {' '.join(node['target'])}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]
