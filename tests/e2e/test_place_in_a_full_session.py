"""On a phone, Carla opens the full yoga session she has a place in and sees that place, in English
and in Hebrew; Olivia, in the dashboard, sees why a stale e-mail settings form was refused."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client as DjangoClient
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import ServiceKind
from tests import factories as f
from tests.support.browser import DESKTOP, PHONE, screenshot

PLACE_HELD = {"en": "You already have a place in this session.", "he": "כבר יש לך מקום במפגש הזה."}


def _signed_in(page_for, live_server, user, *, viewport: dict, language: str):
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


@pytest.mark.parametrize("language", ["en", "he"])
def test_carla_sees_her_place_in_the_full_session_on_her_phone(live_server, page_for, carla, language):
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=1)
    session = f.session(yoga, nina, timezone.now() + timedelta(days=7))
    f.booking(session, f.client("Carla", email=carla.email, user=carla))
    page = _signed_in(page_for, live_server, carla, viewport=PHONE, language=language)

    page.goto(live_server.url + reverse("public:book_session", args=[yoga.slug, session.pk]))

    assert page.get_by_role("status").inner_text() == PLACE_HELD[language]
    screenshot(page, f"public-place-in-full-session-{language}")
    page.goto(live_server.url + yoga.get_absolute_url())
    assert page.locator(".session-row .badge").count() == 1
    screenshot(page, f"public-class-sessions-place-held-{language}")


@pytest.mark.parametrize("language", ["en", "he"])
def test_olivia_sees_why_a_stale_e_mail_settings_form_is_refused(live_server, page_for, olivia, language):
    f.business()
    page = _signed_in(page_for, live_server, olivia, viewport=DESKTOP, language=language)
    page.goto(live_server.url + reverse("dashboard:email_settings"))

    page.eval_on_selector("input[name=form-INITIAL_FORMS]", "field => field.value = '0'")
    page.locator("form.form button[type=submit]").click()

    assert page.get_by_role("alert").count() == 1
    screenshot(page, f"dashboard-email-settings-refused-{language}")
