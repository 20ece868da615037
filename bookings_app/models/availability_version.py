"""The availability version: one row whose token changes whenever anything free slots read changes.

Database triggers (``bookings_app/core/availability_version.py``, installed after every
``migrate``) write a new random token in the same transaction as any insert, update or delete
on those tables, so cached slots keyed on the token can never outlive the data they came from,
whichever code wrote it (a service, ``QuerySet.update()``, ``bulk_create``, the admin, raw SQL).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AvailabilityVersion(models.Model):
    """One row (pk 1). A random token rather than a counter: a rolled-back transaction or a
    restored backup brings back an old token together with the data it stood for, never a
    number that later, different data will reach again."""

    token = models.CharField(_("token"), max_length=32)

    class Meta:
        verbose_name = _("availability version")
        verbose_name_plural = _("availability versions")

    def __str__(self) -> str:
        return self.token
