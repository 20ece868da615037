"""Roles are groups: owners may do everything, staff work the tablet and their own schedule."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

OWNER = "Owner"
STAFF = "Staff"
BUSINESS_APPS = ("bookings_app", "automations", "loyalty")
# Staff read the schedule and record attendance (a booking's check-in); the rest is the owner's.
STAFF_EXTRA_CODENAMES = ("change_booking",)


def ensure_roles(sender=None, **kwargs) -> None:
    """Create both groups with their permissions; safe to run after every ``migrate``.

    ``post_migrate`` comes once per app, each app's permissions made on its own signal: the
    roles are set on the last business app's, when all of theirs exist (not nine times over,
    which every flush of a test database paid)."""
    if sender is not None and sender.label != _last_business_app():
        return
    owner, _ = Group.objects.get_or_create(name=OWNER)
    staff, _ = Group.objects.get_or_create(name=STAFF)
    business = list(
        Permission.objects.filter(content_type__app_label__in=BUSINESS_APPS).select_related("content_type")
    )
    owner.permissions.set(business)
    staff.permissions.set(
        [
            p
            for p in business
            if p.content_type.app_label == "bookings_app"
            and (p.codename.startswith("view_") or p.codename in STAFF_EXTRA_CODENAMES)
        ]
    )


def _last_business_app() -> str:
    return [config.label for config in apps.get_app_configs() if config.label in BUSINESS_APPS][-1]


def is_owner(user) -> bool:
    return user.is_authenticated and (user.is_superuser or _in_group(user, OWNER))


def is_staff_member(user) -> bool:
    """Owners count as staff: they may use the tablet too."""
    return user.is_authenticated and (is_owner(user) or _in_group(user, STAFF))


def _in_group(user, name: str) -> bool:
    names = getattr(user, "_rendez_group_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._rendez_group_names = names
    return name in names
