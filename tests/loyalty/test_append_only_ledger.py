"""The ledger is history: entries are never changed or deleted, not even from the admin."""

import pytest
from django.contrib import admin

from loyalty.errors import LedgerIsAppendOnly
from loyalty.models import LedgerEntry
from loyalty.services import adjust_points


@pytest.fixture
def entry(program, alice, olivia) -> LedgerEntry:
    return adjust_points(client=alice, points=20, description="Welcome bonus", by=olivia)


def test_it_refuses_to_change_an_entry(entry):
    entry.points = 2000

    with pytest.raises(LedgerIsAppendOnly):
        entry.save()

    assert LedgerEntry.objects.get(pk=entry.pk).points == 20


def test_it_refuses_to_delete_an_entry(entry):
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()

    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_it_refuses_bulk_updates_and_deletes(entry):
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.objects.filter(pk=entry.pk).update(points=2000)
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.objects.all().delete()

    assert LedgerEntry.objects.get(pk=entry.pk).points == 20


def test_it_shows_the_ledger_read_only_in_the_admin(entry, rf, olivia):
    request = rf.get("/admin/loyalty/ledgerentry/")
    request.user = olivia
    entry_admin = admin.site._registry[LedgerEntry]

    assert not entry_admin.has_add_permission(request)
    assert not entry_admin.has_change_permission(request, entry)
    assert not entry_admin.has_delete_permission(request, entry)


def test_it_never_grants_change_or_delete_on_the_ledger(entry, olivia):
    assert olivia.has_perm("loyalty.view_ledgerentry")
    assert not olivia.has_perm("loyalty.change_ledgerentry")
    assert not olivia.has_perm("loyalty.delete_ledgerentry")


def test_it_keeps_the_entries_of_a_deleted_account_and_forgets_who_made_them(entry, olivia):
    olivia.delete()

    kept = LedgerEntry.objects.get(pk=entry.pk)
    assert (kept.points, kept.created_by) == (20, None)
