"""Exports of the points report: asked for in the dashboard, built by a worker, downloaded once ready.

The worker claims the export with a conditional UPDATE (pending → running, naming its worker
process), so a task that runs twice builds the file once; the minute sweep builds again an
export whose worker died (``bookings_app.core.workers``). Rows are streamed to a file under
``VAR_DIR/exports`` and the progress is written every thousand rows for the page's progress bar. A daily sweep
(``tidy_exports``) deletes exports older than ``EXPORTS_KEPT`` with their files, and fails
those still not built after ``BUILD_ABANDONED``.
"""

import logging
import secrets
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings_app.core import workers
from bookings_app.core.hand_over import after_commit
from bookings_app.models import User

from ..errors import LoyaltyError
from ..exports import csv_chunks, write_xlsx
from ..models import ExportFormat, ExportStatus, PointsExport
from ..selectors import PointsReportFilters, points_report

logger = logging.getLogger(__name__)

EXPORTS_KEPT = timedelta(days=7)  # then the export and its file are deleted
BUILD_ABANDONED = timedelta(hours=2)  # "being built" this long: its worker was lost


def exports_dir() -> Path:
    return Path(settings.VAR_DIR) / "exports"


def export_path(export: PointsExport) -> Path:
    return exports_dir() / export.file_name


def filters_to_json(filters: PointsReportFilters) -> dict:
    return {
        key: value.isoformat() if isinstance(value, date) else value for key, value in asdict(filters).items()
    }


def filters_from_json(stored: dict) -> PointsReportFilters:
    def day(key: str) -> date | None:
        return date.fromisoformat(stored[key]) if stored.get(key) else None

    return PointsReportFilters(
        date_from=day("date_from"),
        date_to=day("date_to"),
        client_id=stored.get("client_id"),
        kind=stored.get("kind") or "",
        service_id=stored.get("service_id"),
    )


def request_points_export(*, by: User, file_format: str, filters: PointsReportFilters) -> PointsExport:
    """Record the export and queue its task after commit (a beat sweep picks up a lost message)."""
    if file_format not in ExportFormat.values:
        raise LoyaltyError()
    with transaction.atomic():
        export = PointsExport.objects.create(
            requested_by=by, file_format=file_format, filters=filters_to_json(filters)
        )
        after_commit("loyalty.tasks.build_points_export", export.pk)
    return export


def build_points_export(*, export_id: int, lost: bool = False) -> bool:
    """Build the file of a pending export (``lost``: or of one whose worker died while building
    it); False when another worker claimed it first."""
    now = timezone.now()
    claimable = Q(status=ExportStatus.PENDING)
    if lost:
        claimable |= Q(status=ExportStatus.RUNNING) & workers.lost_claim(now=now, timeout=BUILD_ABANDONED)
    claimed = PointsExport.objects.filter(claimable, pk=export_id).update(
        status=ExportStatus.RUNNING,
        claimed_at=now,
        claimed_by=workers.current_worker(),
        rows_written=0,
    )
    if not claimed:
        return False
    export = PointsExport.objects.get(pk=export_id)
    entries = points_report(filters_from_json(export.filters))
    total = entries.count()
    PointsExport.objects.filter(pk=export.pk).update(rows_total=total)
    file_name = f"points-{export.pk}-{secrets.token_hex(8)}.{export.file_format}"
    target = exports_dir() / file_name
    target.parent.mkdir(parents=True, exist_ok=True)

    def progress(rows: int) -> None:
        PointsExport.objects.filter(pk=export.pk).update(rows_written=min(rows, total))

    try:
        _write(export.file_format, entries, target, progress)
    except LoyaltyError as e:
        target.unlink(missing_ok=True)
        _finish(export, status=ExportStatus.FAILED, error=str(e.message))
        return True
    except Exception:
        target.unlink(missing_ok=True)
        _finish(export, status=ExportStatus.FAILED, error="")
        raise
    _finish(export, status=ExportStatus.DONE, file_name=file_name, rows_written=total)
    return True


def _write(file_format: str, entries, target: Path, progress) -> None:
    if file_format == ExportFormat.XLSX:
        write_xlsx(entries, str(target), progress)
        return
    with target.open("w", encoding="utf-8", newline="") as out:
        for block in csv_chunks(entries, progress):
            out.write(block)


def _finish(export: PointsExport, *, status: str, **fields) -> None:
    PointsExport.objects.filter(pk=export.pk).update(status=status, finished_at=timezone.now(), **fields)


def build_pending_exports() -> int:
    """Beat sweep: build exports whose task message was lost, and again those whose worker
    died while building them (its heartbeat stopped). Returns how many were built."""
    now = timezone.now()
    forgotten = now - timedelta(minutes=1)  # younger ones still have their message coming
    waiting = PointsExport.objects.filter(status=ExportStatus.PENDING, created_at__lt=forgotten)
    waiting = list(waiting.order_by("pk").values_list("pk", flat=True)[:10])
    dropped = PointsExport.objects.filter(
        Q(status=ExportStatus.RUNNING) & workers.lost_claim(now=now, timeout=BUILD_ABANDONED)
    )
    dropped = list(dropped.order_by("pk").values_list("pk", flat=True)[:10])
    return sum(1 for export_id in waiting + dropped if build_points_export(export_id=export_id, lost=True))


def tidy_exports(*, now: datetime | None = None) -> tuple[int, int]:
    """The daily sweep: exports still "being built" long after they were asked for failed
    (their worker was lost; the owner can ask again), and exports older than
    ``EXPORTS_KEPT`` deleted with their files, as are files no export names any more.
    Returns (failed, deleted)."""
    now = now or timezone.now()
    abandoned = PointsExport.objects.filter(
        status__in=[ExportStatus.PENDING, ExportStatus.RUNNING], created_at__lt=now - BUILD_ABANDONED
    )
    failed = abandoned.update(
        status=ExportStatus.FAILED, finished_at=now, error=_("Stopped before it was ready; ask for it again.")
    )
    deleted, _by_model = PointsExport.objects.filter(created_at__lt=now - EXPORTS_KEPT).delete()
    named = set(PointsExport.objects.exclude(file_name="").values_list("file_name", flat=True))
    files = exports_dir().glob("points-*") if exports_dir().is_dir() else []
    for path in files:
        if path.name not in named and _older_than(path, now - BUILD_ABANDONED):
            path.unlink(missing_ok=True)
    return failed, deleted


def _older_than(path: Path, moment: datetime) -> bool:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC) < moment
