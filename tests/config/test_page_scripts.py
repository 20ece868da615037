"""What every page loads: htmx, and under DEBUG nothing that would throw away a refused form."""

from django.test import Client as Browser


def test_under_debug_a_refused_form_still_comes_back_in_place(db, settings):
    """django-htmx's DEBUG script replaces the whole page with any 400 answer; Rendez answers a
    form's mistakes with a 400 fragment (the automation builder, the requests inbox…), so with
    it `make run` showed a bare fragment instead of the form with its errors."""
    settings.DEBUG = True

    page = Browser().get("/dashboard/login/").content.decode()

    assert "django_htmx/htmx-2.min.js" in page
    assert "django-htmx.js" not in page
