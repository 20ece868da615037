"""The one SVG bar chart builder (bookings_app.display.charts), as the home page and the automation
statistics draw with it."""

from django.utils import translation

from bookings_app.display.charts import Bar, Column, bar_chart, one_series

WEEKS = one_series([Bar(f"Mar {day}", day % 3, f"{day % 3} bookings") for day in range(1, 13)])


def test_an_axis_title_keeps_its_hyphen_at_its_own_end_in_hebrew():
    with translation.override("he"):
        svg = bar_chart(title="הזמנות", columns=WEEKS, y_label="צ'ק-אין (%)", x_label="שבוע שמתחיל ב-")

    assert ">\u2068שבוע שמתחיל ב-\u2069</text>" in svg
    assert ">\u2068צ&#x27;ק-אין (%)\u2069</text>" in svg


def test_it_names_every_figure_for_screen_readers():
    svg = bar_chart(title="Bookings per week", columns=WEEKS[:2], y_label="Bookings", x_label="Week starting")

    assert 'role="img"' in svg
    assert 'aria-label="Bookings per week: Mar 1: 1 bookings; Mar 2: 2 bookings"' in svg
    assert "<title>Mar 2: 2 bookings</title>" in svg


def test_columns_hold_a_bar_per_series_side_by_side():
    columns = [
        Column(
            "1 Mar",
            (Bar("01/03", 4, "4", "sent"), Bar("01/03", 2, "2", "opened"), Bar("01/03", 0, "0", "clicked")),
        ),
        Column(
            "2 Mar",
            (Bar("02/03", 0, "0", "sent"), Bar("02/03", 0, "0", "opened"), Bar("02/03", 0, "0", "clicked")),
        ),
    ]

    svg = bar_chart(title="E-mails per day", columns=columns, figures="1 Mar: 4 sent", width=720)

    assert svg.count("<rect") == 2  # nothing drawn for zero
    assert svg.index('class="sent"') < svg.index('class="opened"')
    assert 'aria-label="E-mails per day: 1 Mar: 4 sent"' in svg
    assert "chart__axis-label" not in svg  # no axis titles asked for


def test_it_shows_at_most_six_dates_under_the_axis_ending_with_the_last():
    days = one_series([Bar(f"{day} Mar", 1, "1") for day in range(1, 31)])

    svg = bar_chart(title="E-mails per day", columns=days)

    assert svg.count('class="chart__tick">\u2068') == 6
    assert "\u206830 Mar\u2069" in svg
