"""The ledger audit: every stored balance equals the sum of its entries, and each entry's
``balance_after`` continues the one before it.

Two queries, whatever the size of the ledger: one GROUP BY compares sums with balances,
one window (a running sum per client, in insertion order) finds the first broken link.
"""

from django.db.models import F, Sum, Window
from django.utils.translation import gettext as _

from .models import Balance, LedgerEntry


def check_ledger() -> list[str]:
    """A readable line per problem found; [] when the ledger adds up."""
    return _balance_drift() + _broken_chains()


def _balance_drift() -> list[str]:
    sums = dict(
        LedgerEntry.objects.order_by()
        .values("client_id")
        .annotate(total=Sum("points"))
        .values_list("client_id", "total")
    )
    stored = dict(Balance.objects.values_list("client_id", "points"))
    problems = []
    for client_id in sorted(sums.keys() | stored.keys()):
        entries_total, balance = sums.get(client_id, 0), stored.get(client_id, 0)
        if entries_total != balance:
            problems.append(
                _(
                    "Client #%(client)d: the stored balance is %(balance)d"
                    " but the entries add up to %(total)d."
                )
                % {"client": client_id, "balance": balance, "total": entries_total}
            )
    return problems


def _broken_chains() -> list[str]:
    running = LedgerEntry.objects.order_by().annotate(
        running=Window(Sum("points"), partition_by=[F("client_id")], order_by=F("id").asc())
    )
    broken = running.exclude(balance_after=F("running")).values_list(
        "client_id", "id", "balance_after", "running"
    )
    first_per_client: dict[int, tuple[int, int, int]] = {}
    for client_id, entry_id, balance_after, expected in broken.order_by("client_id", "id"):
        first_per_client.setdefault(client_id, (entry_id, balance_after, expected))
    return [
        _(
            "Client #%(client)d: entry #%(entry)d says the balance after it was %(after)d, but the entries "
            "up to it add up to %(expected)d."
        )
        % {"client": client_id, "entry": entry_id, "after": after, "expected": expected}
        for client_id, (entry_id, after, expected) in sorted(first_per_client.items())
    ]
