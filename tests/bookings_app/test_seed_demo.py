"""The demo business loads once, and never in production."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from bookings_app.models import Business, User


@pytest.fixture(autouse=True)
def debug_on(settings):
    """pytest-django turns DEBUG off; the demo is a development tool."""
    settings.DEBUG = True


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for app in ("bookings_app", "loyalty", "automations")
        for model in apps.get_app_config(app).get_models()
    }


def test_running_it_twice_changes_nothing(db):
    call_command("seed_demo", "--quiet-summary")
    first_day = timezone.localdate(timezone.now(), Business.current().tz)
    before = _counts()
    call_command("seed_demo", "--quiet-summary")
    after = _counts()
    new_sessions = after.pop("bookings_app.Session") - before.pop("bookings_app.Session")
    assert after == before
    # The class schedules reach one day further once the business's day has turned between runs.
    turned = timezone.localdate(timezone.now(), Business.current().tz) != first_day
    assert new_sessions == 0 or (turned and new_sessions > 0)


def test_it_refuses_to_run_with_debug_off(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.filter(email="owner@rendez.test").exists()


def test_a_first_seeding_files_its_history_as_sent_quietly_and_prints_the_addresses(
    db, settings, django_capture_on_commit_callbacks, caplog, capsys
):
    """One seeding watched four ways (each seeding takes seconds)."""
    from bookings_app.models import EmailStatus, OutgoingEmail

    settings.SITE_URL = "http://127.0.0.1:8123"
    with django_capture_on_commit_callbacks() as handed_over, caplog.at_level("INFO"):
        call_command("seed_demo")

    assert OutgoingEmail.objects.exists()
    assert not OutgoingEmail.objects.filter(status=EmailStatus.QUEUED).exists()
    assert not OutgoingEmail.objects.filter(body_text="").exists(), (
        "each is written as it would have been sent"
    )
    assert OutgoingEmail.objects.filter(kind="confirmation").exclude(subject="").exists()
    assert handed_over == [], "the history is filed as sent; nothing goes to the workers"
    assert not [r for r in caplog.records if r.name == "automations.engine" and r.levelname == "INFO"]
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]
    assert "http://127.0.0.1:8123/dashboard/" in capsys.readouterr().out
