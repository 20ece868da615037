"""The demo business loads once, and never in production."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from bookings_app.models import User
from bookings_app.roles import is_owner, is_staff_member


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


def test_it_creates_the_owner_and_the_staff_member_who_can_sign_in(db):
    call_command("seed_demo", "--quiet-summary")
    owner = User.objects.get(email="owner@rendez.test")
    staff = User.objects.get(email="staff@rendez.test")
    assert owner.check_password("rendez-demo") and is_owner(owner)
    assert staff.check_password("rendez-demo") and is_staff_member(staff) and not is_owner(staff)


def test_running_it_twice_changes_nothing(db):
    call_command("seed_demo", "--quiet-summary")
    before = _counts()
    call_command("seed_demo", "--quiet-summary")
    assert _counts() == before


def test_it_refuses_to_run_with_debug_off(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.filter(email="owner@rendez.test").exists()
