"""The Celery worker processes alive now: each keeps its row fresh while it runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One worker process (``host:pid:nonce``), seen at ``last_seen``. A claim on a run or an
    e-mail names the process that made it (``claimed_by``); once that process's row is stale
    or gone, the claim is lost and the sweeps hand the work to another worker."""

    worker = models.CharField(_("worker"), max_length=120, unique=True)
    started_at = models.DateTimeField(_("started"))
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker
