"""The demo business that ``make run`` shows. Every step finds before it creates."""

from django.contrib.auth.models import Group

from bookings_app.models import User
from bookings_app.roles import OWNER, STAFF, ensure_roles


def seed_all(*, password: str) -> int:
    """Create whatever is missing and return how many records were new."""
    ensure_roles()
    created = 0
    for email, first, last, role in (
        ("owner@rendez.test", "Olivia", "Owner", OWNER),
        ("staff@rendez.test", "Sam", "Staff", STAFF),
    ):
        user, new = _person(email=email, first_name=first, last_name=last, password=password)
        user.groups.add(Group.objects.get(name=role))
        if role == OWNER and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        created += new
    return created


def _person(*, email: str, first_name: str, last_name: str, password: str) -> tuple[User, bool]:
    user = User.objects.filter(email__iexact=email).first()
    if user:
        return user, False
    user = User.objects.create_user(email, password, first_name=first_name, last_name=last_name)
    return user, True
