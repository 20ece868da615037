"""Loyalty stops scanning bookings for cancellations (its 5-minute beat scans are gone) and reads
only the event outbox. Cancellations and declines recorded before loyalty had deliveries of its
own, whose points or gift card payments were never settled, become loyalty deliveries here, so
its sweep settles them once."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q

LOYALTY = "loyalty"
SETTLED_KINDS = ("booking.cancelled", "booking.declined")


def deliver_unsettled_cancellations(apps, schema_editor) -> None:
    DomainEvent = apps.get_model("bookings_app", "DomainEvent")
    EventDelivery = apps.get_model("bookings_app", "EventDelivery")
    LedgerEntry = apps.get_model("loyalty", "LedgerEntry")
    GiftCardRedemption = apps.get_model("loyalty", "GiftCardRedemption")
    unreturned = GiftCardRedemption.objects.filter(booking=OuterRef("booking"), refunded_at__isnull=True)
    earned = LedgerEntry.objects.filter(booking=OuterRef("booking"), kind="earned")
    reversed_ = LedgerEntry.objects.filter(booking=OuterRef("booking"), kind="reversed")
    unsettled = (
        DomainEvent.objects.filter(kind__in=SETTLED_KINDS, booking__isnull=False)
        .filter(Q(Exists(unreturned)) | (Q(Exists(earned)) & ~Q(Exists(reversed_))))
        .exclude(Exists(EventDelivery.objects.filter(consumer=LOYALTY, event=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    EventDelivery.objects.bulk_create(
        (EventDelivery(consumer=LOYALTY, event_id=pk) for pk in unsettled.iterator()),
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("loyalty", "0005_ownerflows_entry_reason"),
        ("bookings_app", "0012_merge_deliveries_and_mail"),
    ]

    operations = [migrations.RunPython(deliver_unsettled_cancellations, migrations.RunPython.noop)]
