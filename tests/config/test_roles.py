"""The roles migrate leaves behind: owners hold every permission of the three business apps,
staff read the schedule and check clients in."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from bookings_app.web.roles import OWNER, STAFF


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_both_roles_with_every_business_permission_again():
    call_command("flush", verbosity=0, interactive=False)  # ends with post_migrate, as migrate does

    business = Permission.objects.filter(
        content_type__app_label__in=("bookings_app", "loyalty", "automations")
    )
    owner = set(Group.objects.get(name=OWNER).permissions.all())
    staff = {p.codename for p in Group.objects.get(name=STAFF).permissions.all()}
    assert owner == set(business)
    assert {p.content_type.app_label for p in owner} == {"bookings_app", "loyalty", "automations"}
    assert "change_booking" in staff and "view_session" in staff
    assert not any(code.startswith(("add_", "delete_")) for code in staff)
