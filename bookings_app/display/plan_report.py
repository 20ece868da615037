"""The plans report as CSV (``display/spreadsheets.py`` defuses and streams it)."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ..models import Plan
from .spreadsheets import csv_blocks


def report_csv(plans: QuerySet[Plan]) -> Iterator[str]:
    """One line per plan, numbers as numbers and the revenue with its currency in its own column."""
    headers = [
        _("Plan"),
        _("Kind"),
        _("Archived"),
        _("Active packs"),
        _("Packs sold"),
        _("Packs given"),
        _("Credits sold"),
        _("Credits used"),
        _("Revenue"),
        _("Currency"),
    ]
    rows = (
        [
            plan.name,
            plan.get_kind_display(),
            _("yes") if plan.is_archived else _("no"),
            plan.active_packs,
            plan.packs_sold,
            plan.packs_given,
            plan.credits_sold,
            plan.credits_used,
            f"{plan.revenue:.2f}",
            plan.currency,
        ]
        for plan in plans.iterator()
    )
    return csv_blocks(headers, rows)
