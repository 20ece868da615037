"""Each consumer of the outbox keeps its own "processed" mark (EventDelivery), and the event's
kind no longer lists the kinds of other apps (they register them).

The events automations had not processed yet become its deliveries; loyalty's beat scans settle
the cancellations made before."""

import django.db.models.deletion
from django.db import migrations, models

AUTOMATIONS = "automations"


def deliver_unprocessed_to_automations(apps, schema_editor) -> None:
    DomainEvent = apps.get_model("bookings_app", "DomainEvent")
    EventDelivery = apps.get_model("bookings_app", "EventDelivery")
    waiting = DomainEvent.objects.filter(processed_at__isnull=True).values_list("pk", flat=True)
    EventDelivery.objects.bulk_create(
        (EventDelivery(consumer=AUTOMATIONS, event_id=pk) for pk in waiting.iterator()), batch_size=1000
    )


def mark_processed_from_deliveries(apps, schema_editor) -> None:
    DomainEvent = apps.get_model("bookings_app", "DomainEvent")
    EventDelivery = apps.get_model("bookings_app", "EventDelivery")
    waiting = EventDelivery.objects.filter(consumer=AUTOMATIONS, processed_at__isnull=True)
    DomainEvent.objects.exclude(pk__in=waiting.values("event_id")).update(
        processed_at=models.F("occurred_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("bookings_app", "0010_merge_clock_and_event_actor"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("consumer", models.CharField(max_length=30)),
                ("processed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="bookings_app.domainevent",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("processed_at__isnull", True)),
                        fields=["consumer", "event"],
                        name="event_delivery_pending_idx",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("consumer", "event"), name="event_delivery_once")
                ],
            },
        ),
        migrations.RunPython(deliver_unprocessed_to_automations, mark_processed_from_deliveries),
        migrations.RemoveIndex(model_name="domainevent", name="event_unprocessed_idx"),
        migrations.RemoveField(model_name="domainevent", name="processed_at"),
        migrations.AlterField(
            model_name="domainevent",
            name="kind",
            field=models.CharField(max_length=40, verbose_name="kind"),
        ),
    ]
