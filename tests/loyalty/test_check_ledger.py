"""The ledger audit: silent when everything adds up, precise when something drifted."""

import pytest
from django.core.management import CommandError, call_command

from loyalty.ledger_check import check_ledger
from loyalty.models import Balance, EntryKind, LedgerEntry
from loyalty.services import adjust_points


@pytest.fixture
def alices_points(program, alice, olivia):
    adjust_points(client=alice, points=20, description="Welcome bonus", by=olivia)
    adjust_points(client=alice, points=-5, description="Tea", by=olivia)
    return alice


def test_it_finds_nothing_in_a_ledger_that_adds_up(alices_points, capsys):
    assert check_ledger() == []

    call_command("check_ledger")
    assert "The points ledger adds up." in capsys.readouterr().out


def test_it_reports_a_stored_balance_that_drifted(alices_points):
    Balance.objects.filter(client=alices_points).update(points=40)

    assert check_ledger() == [
        f"Client #{alices_points.pk}: the stored balance is 40 but the entries add up to 15."
    ]


def test_it_reports_entries_without_a_balance_row(alices_points):
    Balance.objects.filter(client=alices_points).delete()

    assert check_ledger() == [
        f"Client #{alices_points.pk}: the stored balance is 0 but the entries add up to 15.",
        f"Client #{alices_points.pk}: the balance counts 0 entries, 0 points added and 0 deducted, "
        "but the entries say 2, 20 and 5.",
    ]


def test_it_reports_running_totals_that_drifted(alices_points):
    Balance.objects.filter(client=alices_points).update(entries=7, deducted=0)

    assert check_ledger() == [
        f"Client #{alices_points.pk}: the balance counts 7 entries, 20 points added and 0 deducted, "
        "but the entries say 2, 20 and 5."
    ]


def test_it_reports_the_first_broken_link_of_the_balance_after_chain(alices_points):
    # bulk_create bypasses the services, as a faulty import or a hand-written SQL fix would.
    [stray] = LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                client=alices_points,
                points=5,
                kind=EntryKind.MANUAL,
                description="Hand fix",
                balance_after=25,
            )
        ]
    )
    Balance.objects.filter(client=alices_points).update(points=20, entries=3, added=25)

    assert check_ledger() == [
        f"Client #{alices_points.pk}: entry #{stray.pk} says the balance after it was 25, but the entries "
        "up to it add up to 20."
    ]


def test_it_exits_with_status_one_on_drift(alices_points, capsys):
    Balance.objects.filter(client=alices_points).update(points=40)

    with pytest.raises(CommandError) as failed:
        call_command("check_ledger")

    assert failed.value.returncode == 1
    assert "the stored balance is 40" in capsys.readouterr().out
