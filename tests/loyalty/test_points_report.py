"""The points report: filters by dates, client, kind and service; newest first; 50 a page."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from loyalty.models import EntryKind, LedgerEntry
from loyalty.selectors import PointsReportFilters, points_report, points_report_page
from loyalty.services import adjust_points, credit_points_for_ended_sessions
from tests.factories import visit

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def ledger(program, yoga, nina, alice, bob, olivia):
    """Alice earned a yoga visit and got a bonus; Bob got a bonus."""
    visit(yoga, nina, alice)
    credit_points_for_ended_sessions()
    adjust_points(client=alice, points=30, description="Bonus", by=olivia)
    adjust_points(client=bob, points=7, description="Sorry for the wait", by=olivia)
    return LedgerEntry.objects.order_by("id")


def descriptions(entries) -> list[str]:
    return [entry.description for entry in entries]


def test_it_lists_every_entry_newest_first(ledger):
    assert descriptions(points_report(PointsReportFilters())) == descriptions(reversed(ledger))


def test_it_filters_by_client_kind_and_service(ledger, alice, yoga):
    by_alice = points_report(PointsReportFilters(client_id=alice.pk))
    manual = points_report(PointsReportFilters(kind=EntryKind.MANUAL))
    for_yoga = points_report(PointsReportFilters(service_id=yoga.pk))

    assert {entry.client for entry in by_alice} == {alice} and len(by_alice) == 2
    assert descriptions(manual) == ["Sorry for the wait", "Bonus"]
    assert [entry.kind for entry in for_yoga] == [EntryKind.EARNED]


def test_it_filters_by_days_in_the_business_time_zone(program, alice):
    # 00:30 in Paris on 2 March is 23:30 UTC on 1 March: the entry belongs to 2 March.
    late = LedgerEntry.objects.create(
        client=alice,
        points=1,
        kind=EntryKind.MANUAL,
        description="At 00:30",
        balance_after=1,
        created_at=datetime(2027, 3, 2, 0, 30, tzinfo=PARIS),
    )

    on_first = points_report(PointsReportFilters(date_from=date(2027, 3, 1), date_to=date(2027, 3, 1)))
    on_second = points_report(PointsReportFilters(date_from=date(2027, 3, 2), date_to=date(2027, 3, 2)))

    assert list(on_first) == []
    assert list(on_second) == [late]


def test_it_pages_by_fifty(program, alice, olivia):
    for n in range(51):
        adjust_points(client=alice, points=1, description=f"Point {n}", by=olivia)

    first = points_report_page(PointsReportFilters())
    last = points_report_page(PointsReportFilters(), page_number=2)

    assert len(first.object_list) == 50 and first.object_list[0].description == "Point 50"
    assert [entry.description for entry in last.object_list] == ["Point 0"]


def test_it_loads_a_page_in_the_same_queries_for_one_row_and_fifty(
    program, alice, olivia, django_assert_num_queries
):
    adjust_points(client=alice, points=1, description="One", by=olivia)
    # the count, the page's ids, its rows (the business's time zone only for dates)
    with django_assert_num_queries(3):
        list(points_report_page(PointsReportFilters()).object_list)

    for n in range(60):
        adjust_points(client=alice, points=1, description=f"Point {n}", by=olivia)
    with django_assert_num_queries(3):
        rows = list(points_report_page(PointsReportFilters()).object_list)
    assert len(rows) == 50 and all(row.client.first_name == "Alice" for row in rows)
