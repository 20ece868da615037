"""Actions get a running ``order`` apart from their number, which the owner's edits keep.

Existing actions run in the order of their numbers, as before; each automation remembers the
highest number its actions, runs and e-mails ever used, so a new action never takes the
number of one that is gone.
"""

from django.db import migrations, models
from django.db.models import Max


def number_existing_actions(apps, schema_editor):
    Automation = apps.get_model("automations", "Automation")
    Action = apps.get_model("automations", "Action")
    ActionOutcome = apps.get_model("automations", "ActionOutcome")
    AutomationMessage = apps.get_model("automations", "AutomationMessage")
    Action.objects.update(order=models.F("position"))
    for automation in Automation.objects.all():
        highest = [
            Action.objects.filter(automation=automation).aggregate(n=Max("position"))["n"],
            ActionOutcome.objects.filter(run__automation=automation).aggregate(n=Max("position"))["n"],
            AutomationMessage.objects.filter(automation=automation).aggregate(n=Max("position"))["n"],
        ]
        automation.last_action_number = max(number or 0 for number in highest)
        automation.save(update_fields=["last_action_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("automations", "0002_email_tracking"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="order",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="order"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="automation",
            name="last_action_number",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(number_existing_actions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="action",
            name="position",
            field=models.PositiveSmallIntegerField(verbose_name="number"),
        ),
        migrations.AlterModelOptions(
            name="action",
            options={
                "ordering": ["automation", "order"],
                "verbose_name": "action",
                "verbose_name_plural": "actions",
            },
        ),
        migrations.AddConstraint(
            model_name="action",
            constraint=models.UniqueConstraint(fields=("automation", "order"), name="action_one_per_place"),
        ),
    ]
