"""The ledger audit: every stored balance equals the sum of its entries (and counts them, the
points added and the points deducted as they do), and each entry's ``balance_after`` continues
the one before it.

Two queries, whatever the size of the ledger: one GROUP BY compares sums with balances,
one window (a running sum per client, in insertion order) finds the first broken link.
"""

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .models import Balance, LedgerEntry


def check_ledger() -> list[str]:
    """A readable line per problem found; [] when the ledger adds up."""
    return _balance_drift() + _broken_chains()


def _balance_drift() -> list[str]:
    sums = {
        row["client_id"]: row
        for row in LedgerEntry.objects.order_by()
        .values("client_id")
        .annotate(
            total=Sum("points"),
            entries=Count("pk"),
            added=Coalesce(Sum("points", filter=Q(points__gt=0)), 0),
            deducted=Coalesce(Sum(F("points") * -1, filter=Q(points__lt=0)), 0),
        )
    }
    stored = {row["client_id"]: row for row in Balance.objects.values("client_id", *_KEPT)}
    problems = []
    for client_id in sorted(sums.keys() | stored.keys()):
        written, kept = sums.get(client_id, _NONE), stored.get(client_id, _NONE)
        if written["total"] != kept["points"]:
            problems.append(
                _(
                    "Client #%(client)d: the stored balance is %(balance)d"
                    " but the entries add up to %(total)d."
                )
                % {"client": client_id, "balance": kept["points"], "total": written["total"]}
            )
        if any(written[name] != kept[name] for name in _COUNTS):
            problems.append(
                _(
                    "Client #%(client)d: the balance counts %(entries)d entries, %(added)d points added"
                    " and %(deducted)d deducted, but the entries say %(real_entries)d, %(real_added)d"
                    " and %(real_deducted)d."
                )
                % {
                    "client": client_id,
                    **{name: kept[name] for name in _COUNTS},
                    **{f"real_{name}": written[name] for name in _COUNTS},
                }
            )
    return problems


_COUNTS = ("entries", "added", "deducted")  # the balance's running totals beside its points
_KEPT = ("points", *_COUNTS)
_NONE = {"points": 0, "total": 0, "entries": 0, "added": 0, "deducted": 0}


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
