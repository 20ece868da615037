"""The owner's settings are saved by services, not by the views' forms."""

import pytest

from bookings_app.models import BookingEmailSetting, Business
from bookings_app.services.settings import (
    ensure_booking_email_settings,
    save_booking_email_settings,
    update_business_settings,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_saves_the_given_business_settings_and_leaves_the_others():
    business = factories.business(name="Old name", max_advance_days=60)
    saved = update_business_settings(business=business, name="Studio Lumen", cancel_window_hours=12)
    stored = Business.objects.get(pk=business.pk)
    assert (stored.name, stored.cancel_window_hours, stored.max_advance_days) == ("Studio Lumen", 12, 60)
    assert saved.name == "Studio Lumen"


def test_it_makes_each_email_setting_once():
    ensure_booking_email_settings(["confirmation", "reminder"])
    ensure_booking_email_settings(["confirmation", "reminder"])
    assert sorted(BookingEmailSetting.objects.values_list("kind", flat=True)) == ["confirmation", "reminder"]


def test_it_saves_only_the_changed_email_settings():
    ensure_booking_email_settings(["confirmation", "reminder"])
    confirmation = BookingEmailSetting.objects.get(kind="confirmation")
    reminder = BookingEmailSetting.objects.get(kind="reminder")
    wording = {"is_enabled": False, "subject": "See you {date}", "intro": "Hello"}
    save_booking_email_settings(changes={confirmation.pk: wording})
    confirmation.refresh_from_db()
    assert (confirmation.is_enabled, confirmation.subject, confirmation.intro) == (
        False,
        "See you {date}",
        "Hello",
    )
    assert BookingEmailSetting.objects.get(pk=reminder.pk).is_enabled == reminder.is_enabled
    assert BookingEmailSetting.objects.get(pk=reminder.pk).subject == reminder.subject
