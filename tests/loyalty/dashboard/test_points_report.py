"""The points report page: filters, totals, pagination, and the clients' "Points" panel."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.models import Business
from loyalty.models import LedgerEntry, Program
from loyalty.selectors import PointsReportFilters, points_report_totals
from loyalty.services import adjust_points, credit_points_for_ended_sessions
from tests.factories import visit
from tests.support.htmx import htmx

REPORT = "/dashboard/loyalty/points/"


def rows(page: str) -> int:
    return page.count('<td class="row-actions">')


def test_it_lists_every_entry_with_the_totals(as_olivia, program, alice, bob, olivia):
    adjust_points(client=alice, points=50, description="Welcome", by=olivia)
    adjust_points(client=alice, points=-20, description="Correction", by=olivia)
    adjust_points(client=bob, points=5, description="Hello", by=olivia)

    page = as_olivia.get(REPORT).content.decode()

    assert rows(page) == 3
    assert "<dd>3</dd>" in page and '<dd dir="ltr">+55</dd>' in page and '<dd dir="ltr">−20</dd>' in page


def test_its_totals_for_the_whole_ledger_or_one_client_are_the_entries_own(program, alice, bob, olivia):
    """Unfiltered or by client, the totals come from the balances' running counts: they must say
    what counting the entries says."""
    for client, points in ((alice, 50), (alice, -20), (bob, 5), (bob, 12), (bob, -17)):
        adjust_points(client=client, points=points, description="By hand", by=olivia)

    for client in (None, alice, bob):
        entries = LedgerEntry.objects.filter(**({"client": client} if client else {}))
        kept = points_report_totals(PointsReportFilters(client_id=client.pk if client else None))
        assert (kept.entries, kept.added, kept.deducted) == (
            entries.count(),
            sum(e.points for e in entries if e.points > 0),
            -sum(e.points for e in entries if e.points < 0),
        )
    assert points_report_totals(PointsReportFilters()).entries == 5


def test_it_filters_by_client_kind_service_and_dates(as_olivia, program, alice, bob, olivia, yoga, nina):
    visit(yoga, nina, alice)
    credit_points_for_ended_sessions()
    adjust_points(client=alice, points=7, description="Bonus", by=olivia)
    adjust_points(client=bob, points=3, description="Bonus", by=olivia)
    today = timezone.localdate(timezone=Business.current().tz)  # the owner's day

    assert rows(as_olivia.get(f"{REPORT}?client={alice.pk}").content.decode()) == 2
    assert rows(as_olivia.get(f"{REPORT}?kind=earned").content.decode()) == 1
    assert rows(as_olivia.get(f"{REPORT}?service={yoga.pk}").content.decode()) == 1
    assert rows(as_olivia.get(f"{REPORT}?date_from={today + timedelta(days=1)}").content.decode()) == 0
    only_bob = as_olivia.get(f"{REPORT}?client={bob.pk}&kind=manual").content.decode()
    assert rows(only_bob) == 1 and '<dd dir="ltr">+3</dd>' in only_bob


def test_it_pages_fifty_entries_at_a_time(as_olivia, program, alice, olivia):
    for n in range(51):
        adjust_points(client=alice, points=1, description=f"Visit {n}", by=olivia)

    first = as_olivia.get(REPORT).content.decode()
    second = as_olivia.get(f"{REPORT}?page=2", **htmx()).content.decode()

    assert rows(first) == 50 and "Page 1 of 2" in first
    assert rows(second) == 1 and "<html" not in second


def test_it_ignores_a_malformed_filter_rather_than_failing(as_olivia, program, alice, olivia):
    adjust_points(client=alice, points=1, description="Hi", by=olivia)

    response = as_olivia.get(f"{REPORT}?date_from=yesterday&client=abc&kind=gold")

    assert response.status_code == 200 and rows(response.content.decode()) == 1


def test_it_opens_a_clients_history_as_a_dialog(as_olivia, program, alice, olivia):
    adjust_points(client=alice, points=12, description="Welcome gift", by=olivia)

    page = as_olivia.get(f"/dashboard/loyalty/clients/{alice.pk}/history/", **htmx()).content.decode()

    assert "<dialog open" in page and "Welcome gift" in page and "12 points" in page


def test_it_links_the_history_from_the_clients_list_while_the_program_is_on(as_olivia, program, alice):
    history = f"/dashboard/loyalty/clients/{alice.pk}/history/"
    assert history in as_olivia.get("/dashboard/clients/").content.decode()
    assert history in as_olivia.get(f"/dashboard/clients/{alice.pk}/").content.decode()

    Program.objects.filter(pk=1).update(is_enabled=False)

    assert history not in as_olivia.get("/dashboard/clients/").content.decode()


@pytest.mark.parametrize("entries", [1, 50])
def test_it_reads_a_page_of_the_report_in_the_same_queries_for_1_and_50_rows(
    as_olivia, program, alice, olivia, yoga, nina, django_assert_num_queries, entries
):
    visit(yoga, nina, alice)
    credit_points_for_ended_sessions()
    for n in range(entries - 1):
        adjust_points(client=alice, points=1, description=f"Visit {n}", by=olivia)
    as_olivia.get(REPORT)

    # session, user, groups, program, totals (the page count too), the page's ids, its rows,
    # exports, business, service choices
    with django_assert_num_queries(10):
        response = as_olivia.get(REPORT)
    assert rows(response.content.decode()) == entries


def test_its_rows_escape_what_people_typed(as_olivia, program, alice, olivia):
    """The rows are written in Python (``loyalty.report_rows``): a name or a description holding
    markup reads as text."""
    alice.first_name = '<b onmouseover="x">Al</b>'
    alice.save(update_fields=["first_name"])
    adjust_points(client=alice, points=5, description="<img src=x onerror=alert(1)>", by=olivia)

    page = as_olivia.get(REPORT).content.decode()

    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
    assert "&lt;b onmouseover=&quot;x&quot;&gt;Al&lt;/b&gt;" in page and "<b onmouseover" not in page
    assert f'href="{REPORT}?client={alice.pk}"' in page and '<span class="badge badge--ok">' in page
