"""Each balance keeps its client's entry count and points added and deducted, counted from the
entries already written; from here on ``post_entry`` keeps them with the balance."""

from django.db import migrations, models

from loyalty.balance_totals import recount_balance_totals


def count_what_is_written(apps, schema_editor):
    recount_balance_totals(apps.get_model("loyalty", "Balance"), apps.get_model("loyalty", "LedgerEntry"))


class Migration(migrations.Migration):
    dependencies = [
        ("loyalty", "0011_points_for_memberships_bought_online_too"),
    ]

    operations = [
        migrations.AddField(
            model_name="balance",
            name="added",
            field=models.PositiveIntegerField(default=0, verbose_name="points added"),
        ),
        migrations.AddField(
            model_name="balance",
            name="deducted",
            field=models.PositiveIntegerField(default=0, verbose_name="points deducted"),
        ),
        migrations.AddField(
            model_name="balance",
            name="entries",
            field=models.PositiveIntegerField(default=0, verbose_name="entries"),
        ),
        migrations.RunPython(count_what_is_written, migrations.RunPython.noop, elidable=True),
    ]
