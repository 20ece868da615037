"""Upgrading counts each balance's entries, points added and points deducted from the entries
already written, so the points report's totals are right from the first page after it."""

import importlib

from django.apps import apps

from loyalty.ledger_check import check_ledger
from loyalty.models import Balance
from loyalty.services import adjust_points

migration = importlib.import_module("loyalty.migrations.0012_balance_keeps_its_totals")


def test_it_counts_what_was_written_before_the_upgrade(program, alice, bob, olivia):
    for client, points in ((alice, 30), (alice, -10), (alice, 4), (bob, 8)):
        adjust_points(client=client, points=points, description="By hand", by=olivia)
    Balance.objects.update(entries=0, added=0, deducted=0)  # as the columns arrive

    migration.count_what_is_written(apps, schema_editor=None)

    assert sorted(Balance.objects.values_list("client_id", "entries", "added", "deducted")) == sorted(
        [(alice.pk, 3, 34, 10), (bob.pk, 1, 8, 0)]
    )
    assert check_ledger() == []
