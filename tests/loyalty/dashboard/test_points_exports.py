"""Exports of the points report: built by the task, with progress, downloaded only by who asked."""

import csv
import io
import os
import time
from datetime import timedelta

from django.utils import timezone
from openpyxl import load_workbook

from bookings_app.core.workers import LOST_AFTER
from bookings_app.models import WorkerHeartbeat
from loyalty import tasks
from loyalty.exports import csv_chunks
from loyalty.models import EntryKind, ExportStatus, LedgerEntry, PointsExport
from loyalty.selectors import PointsReportFilters, points_report
from loyalty.services import adjust_points, tidy_exports
from loyalty.services.report_exports import export_path
from tests.support.htmx import htmx

EXPORTS = "/dashboard/loyalty/points/exports/"


def ask_for_export(browser, file_format: str, **filters) -> PointsExport:
    browser.post(EXPORTS, {"format": file_format, **filters}, **htmx())
    return PointsExport.objects.latest("pk")


def download(browser, export: PointsExport) -> bytes:
    response = browser.get(f"{EXPORTS}{export.pk}/download/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_it_queues_the_export_and_shows_its_progress(
    as_olivia, program, handed_to_the_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_olivia.post(EXPORTS, {"format": "csv"}, **htmx())

    export = PointsExport.objects.get()
    assert ("loyalty.tasks.build_points_export", (export.pk,)) in handed_to_the_broker
    assert export.status == ExportStatus.PENDING
    assert 'hx-trigger="every 1s"' in response.content.decode()


def test_it_builds_a_csv_of_the_filtered_rows(as_olivia, program, alice, bob, olivia):
    adjust_points(client=alice, points=30, description="Welcome", by=olivia)
    adjust_points(client=bob, points=4, description="Hello", by=olivia)
    export = ask_for_export(as_olivia, "csv", client=alice.pk)

    tasks.build_points_export(export.pk)

    export.refresh_from_db()
    assert (export.status, export.rows_total, export.rows_written, export.percent) == (
        ExportStatus.DONE,
        1,
        1,
        100,
    )
    rows = list(csv.reader(io.StringIO(download(as_olivia, export).decode("utf-8-sig"))))
    assert [(row[1], row[4], row[6]) for row in rows[1:]] == [("Alice Martin", "30", "Welcome")]


def test_it_builds_an_excel_workbook_of_the_filtered_rows(as_olivia, program, alice, bob, olivia):
    adjust_points(client=alice, points=30, description="Welcome", by=olivia)
    adjust_points(client=bob, points=4, description="Hello", by=olivia)
    export = ask_for_export(as_olivia, "xlsx", kind="manual", client=bob.pk)

    tasks.build_points_export(export.pk)

    sheet = load_workbook(io.BytesIO(download(as_olivia, export)), read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:5] == ["Date", "Client", "E-mail", "Kind", "Points"]
    assert [(row[1], row[4]) for row in values[1:]] == [("Bob", 4)]


def test_it_builds_an_export_once_when_the_task_runs_twice(as_olivia, program):
    export = ask_for_export(as_olivia, "csv")

    assert tasks.build_points_export(export.pk) is True
    assert tasks.build_points_export(export.pk) is False


def test_it_shows_the_download_link_once_ready(as_olivia, program):
    export = ask_for_export(as_olivia, "csv")
    tasks.build_points_export(export.pk)

    page = as_olivia.get(f"{EXPORTS}{export.pk}/", **htmx()).content.decode()

    assert f"{EXPORTS}{export.pk}/download/" in page and "every 1s" not in page


def test_it_lets_only_the_owner_who_asked_download_it(as_olivia, as_oscar, program):
    export = ask_for_export(as_olivia, "csv")
    tasks.build_points_export(export.pk)

    assert as_oscar.get(f"{EXPORTS}{export.pk}/download/").status_code == 404
    assert as_oscar.get(f"{EXPORTS}{export.pk}/").status_code == 404


def test_it_refuses_to_download_an_export_not_yet_built(as_olivia, program):
    export = ask_for_export(as_olivia, "xlsx")

    assert as_olivia.get(f"{EXPORTS}{export.pk}/download/").status_code == 404


def test_it_refuses_an_unknown_format(as_olivia, program):
    assert as_olivia.post(EXPORTS, {"format": "pdf"}).status_code == 400
    assert not PointsExport.objects.exists()


def test_it_records_the_progress_every_thousand_rows(program, alice, olivia):
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                client=alice, points=1, kind=EntryKind.MANUAL, description=f"Visit {n}", balance_after=n + 1
            )
            for n in range(2500)
        ]
    )
    export = PointsExport.objects.create(requested_by=olivia, file_format="csv")
    seen: list[int] = []
    progress_of = PointsExport.objects.filter(pk=export.pk).values_list("rows_written", flat=True)

    def spy(rows: int) -> None:
        seen.append(rows)

    written = "".join(csv_chunks(points_report(PointsReportFilters()), spy))
    tasks.build_points_export(export.pk)

    assert seen == [1000, 2000] and written.count("\n") == 2501
    export.refresh_from_db()
    assert (export.rows_total, progress_of.get(), export.status) == (2500, 2500, ExportStatus.DONE)


def test_the_daily_sweep_deletes_week_old_exports_with_their_files_and_fails_abandoned_ones(
    as_olivia, program, alice, olivia
):
    adjust_points(client=alice, points=30, description="Welcome", by=olivia)
    old = ask_for_export(as_olivia, "csv")
    tasks.build_points_export(old.pk)
    old.refresh_from_db()
    recent = ask_for_export(as_olivia, "csv")
    tasks.build_points_export(recent.pk)
    recent.refresh_from_db()
    abandoned = ask_for_export(as_olivia, "csv")
    PointsExport.objects.filter(pk=abandoned.pk).update(status=ExportStatus.RUNNING)
    stray = export_path(recent).with_name("points-999-abandoned.csv")
    stray.write_text("half a file")
    later = timezone.now() + timedelta(days=3)
    PointsExport.objects.filter(pk=old.pk).update(created_at=later - timedelta(days=8))
    os.utime(stray, (time.time() - 3 * 3600, time.time() - 3 * 3600))

    assert tidy_exports(now=later) == (1, 1)

    assert not PointsExport.objects.filter(pk=old.pk).exists() and not export_path(old).exists()
    assert export_path(recent).exists() and not stray.exists()
    abandoned.refresh_from_db()
    assert (abandoned.status, abandoned.error) == (
        ExportStatus.FAILED,
        "Stopped before it was ready; ask for it again.",
    )
    assert "Exports are kept for seven days." in as_olivia.get("/dashboard/loyalty/points/").content.decode()


def test_the_sweep_builds_again_an_export_whose_worker_died_and_leaves_one_still_being_built(
    as_olivia, program
):
    dropped, in_hand = ask_for_export(as_olivia, "csv"), ask_for_export(as_olivia, "xlsx")
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker="host:1:gone0000", started_at=now - timedelta(hours=1), last_seen=now - LOST_AFTER * 2
    )
    WorkerHeartbeat.objects.create(
        worker="host:2:alive000", started_at=now - timedelta(hours=1), last_seen=now
    )
    for export, worker in ((dropped, "host:1:gone0000"), (in_hand, "host:2:alive000")):
        PointsExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.RUNNING,
            claimed_by=worker,
            claimed_at=now - timedelta(minutes=1),
            rows_total=0,
        )

    assert tasks.build_pending_exports() == 1
    assert tasks.build_pending_exports() == 0

    dropped.refresh_from_db()
    in_hand.refresh_from_db()
    assert dropped.status == ExportStatus.DONE and export_path(dropped).exists()
    assert in_hand.status == ExportStatus.RUNNING
