"""Each balance's running totals (entries, points added, points deducted) counted afresh from
its entries, in one statement: what the upgrade that brought them did, and what a bulk load
that bypasses ``post_entry`` (the bench's made-up past) does afterwards.

Takes the two model classes, so that the migration can pass its historical ones."""

from django.db.models import Count, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def recount_balance_totals(balance_model, entry_model) -> int:
    """Returns how many balances were rewritten."""
    of_client = entry_model.objects.filter(client_id=OuterRef("client_id")).order_by().values("client_id")

    def per_client(entries, total):
        return Coalesce(Subquery(entries.annotate(total=total).values("total")), Value(0))

    return balance_model.objects.update(
        entries=per_client(of_client, Count("pk")),
        added=per_client(of_client.filter(points__gt=0), Sum("points")),
        deducted=per_client(of_client.filter(points__lt=0), Sum(F("points") * -1)),
    )
