"""Joins the two migrations written side by side: the 12-hour clock and owner texts, and who acted."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("bookings_app", "0009_clienttime_clock_and_translations"),
        ("bookings_app", "0009_ownerflows_event_actor"),
    ]

    operations = []
