"""The owner's settings: the business's name, locale and booking policy, and the wording of the
booking e-mails. Each save is one transaction under the rows' locks, so two owners saving at
once leave one whole version, never a mix."""

from django.db import transaction

from ..models import BookingEmailSetting, Business
from .feed_renames import show_renamed

EMAIL_SETTING_FIELDS = ("is_enabled", "subject", "intro")


def update_business_settings(*, business: Business, **settings) -> Business:
    """Save the given fields of the business (a validated settings form's values)."""
    with transaction.atomic():
        locked = Business.objects.select_for_update().get(pk=business.pk)
        if "name" in settings and settings["name"] != locked.name:
            show_renamed(business=True)
        for field, value in settings.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(settings))
    return locked


def ensure_booking_email_settings(kinds) -> None:
    """A settings row for each booking e-mail kind, made with the defaults the first time (one
    read, and no write lock, once they all exist)."""
    existing = set(BookingEmailSetting.objects.filter(kind__in=kinds).values_list("kind", flat=True))
    for kind in kinds:
        if kind not in existing:
            BookingEmailSetting.objects.get_or_create(kind=kind)


def save_booking_email_settings(*, changes: dict[int, dict]) -> None:
    """Save each changed e-mail setting (by id: ``is_enabled``, ``subject``, ``intro``), all or none."""
    with transaction.atomic():
        for setting in BookingEmailSetting.objects.select_for_update().filter(pk__in=changes).order_by("pk"):
            wanted = changes[setting.pk]
            for field in EMAIL_SETTING_FIELDS:
                setattr(setting, field, wanted[field])
            setting.save(update_fields=list(EMAIL_SETTING_FIELDS))
