"""Joins the event-delivery and mail-written-at-send migrations, written side by side."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("bookings_app", "0011_events_deliveries"),
        ("bookings_app", "0011_mail_written_at_send"),
    ]

    operations = []
