"""In Chromium on a desktop: the owner pages through the week calendar and books an empty slot."""

from datetime import date, timedelta

import pytest

from bookings_app.models import Booking, ServiceKind, TimeOff
from tests import factories as f
from tests.support.browser import screenshot, signed_in_page

MONDAY = f.next_weekday(0, after=date.today() + timedelta(days=2))


@pytest.fixture
def studio(db):
    """Studio Lumen: Nina gives massages and a yoga class; Omar has an afternoon off."""
    f.business()
    nina, omar = f.staff_member("Nina"), f.staff_member("Omar")
    omar.color = "#e8590c"
    omar.save()
    massage = f.service("Massage", staff=[nina, omar])
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=12)
    yoga_session = f.session(yoga, nina, f.local(MONDAY, "18:00"))
    f.booking(yoga_session, f.client("Bob"))
    booked = f.session(massage, nina, f.local(MONDAY + timedelta(days=1), "09:00"))
    f.booking(booked, f.client("Carol", last_name="Stone"))
    omars = f.session(massage, omar, f.local(MONDAY + timedelta(days=2), "11:30"))
    f.booking(omars, f.client("Dan"), status="requested")
    TimeOff.objects.create(
        staff=omar,
        start=f.local(MONDAY + timedelta(days=3), "13:00"),
        end=f.local(MONDAY + timedelta(days=3), "17:00"),
        reason="Dentist",
    )
    return nina


def _past_weeks_of_yoga(nina) -> None:
    """Six past weeks of yoga, with a few no-shows, so the home charts have bars to draw."""
    yoga = nina.services.get(name="Yoga")
    for weeks_ago in range(1, 7):
        session = f.session(yoga, nina, f.local(date.today() - timedelta(weeks=weeks_ago), "18:00"))
        for index in range(weeks_ago + 2):
            attendance = "no_show" if index < weeks_ago % 3 else "checked_in"
            f.booking(session, f.client(f"Past{weeks_ago}x{index}"), attendance=attendance)
    today = f.session(yoga, nina, f.local(date.today(), "23:00"))
    f.booking(today, f.client("Eve"))


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_pages_through_the_week_and_books_an_empty_slot(
    live_server, page_for, olivia, studio, language
):
    nina = studio
    page = signed_in_page(page_for, live_server, olivia, language)
    page.goto(f"{live_server.url}/dashboard/calendar/?view=week&date={MONDAY}")
    page.wait_for_selector(".calendar-block--class")
    assert page.locator(".calendar-block--pending").count() == 1
    screenshot(page, f"dashboard-calendar-week-{language}")

    page.evaluate(
        "() => { const marker = document.createElement('div'); marker.id = 'no-reload-marker';"
        " document.body.appendChild(marker); }"
    )
    page.click("[data-nav=next]")
    page.wait_for_url(f"**date={MONDAY + timedelta(days=7)}**")
    page.wait_for_selector(".calendar-block", state="detached")
    page.click("[data-nav=previous]")
    page.wait_for_url(f"**date={MONDAY}**")
    page.wait_for_selector(".calendar-block--class")
    assert page.locator("#no-reload-marker").count() == 1, "navigation reloaded the page"

    page.select_option("select[name=staff]", str(nina.pk))
    page.wait_for_url(f"**staff={nina.pk}**")
    page.click(f"button.calendar-cell[name=start][value='{MONDAY}T10:00']")
    page.wait_for_selector("#calendar-panel [data-panel=new-booking]")
    page.select_option("#id_service", label="Massage")
    page.fill("#id_first_name", "Alice")
    page.fill("#id_last_name", "Martin")
    page.fill("#id_email", "alice@client.test")
    screenshot(page, f"dashboard-calendar-new-booking-{language}")
    page.click("#calendar-panel button[type=submit]")
    page.wait_for_selector("#calendar-panel [data-panel=booking]")
    block = page.locator("#calendar .calendar-block--appointment", has_text="Alice Martin")
    block.wait_for()
    assert page.locator("#no-reload-marker").count() == 1
    assert Booking.objects.filter(client__email="alice@client.test", source="dashboard").count() == 1
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    screenshot(page, f"dashboard-calendar-booked-{language}")

    page.select_option("select[name=staff]", "all")
    page.wait_for_url("**staff=all**")
    page.click(".segmented__option >> nth=1")
    page.wait_for_url("**view=day**")
    assert page.locator("h3.calendar-column__head").count() == 2  # Nina and Omar
    screenshot(page, f"dashboard-calendar-day-{language}")


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_sees_today_at_a_glance(live_server, page_for, olivia, studio, language):
    _past_weeks_of_yoga(studio)
    page = signed_in_page(page_for, live_server, olivia, language)
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("svg[role=img]").count() == 2
    screenshot(page, f"dashboard-home-charts-{language}")


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_week_uses_the_width_and_a_half_hour_shows_the_whole_name(
    live_server, page_for, olivia, studio, language
):
    nina = studio
    short = f.service("Quick check", staff=[nina], duration_minutes=30)
    f.booking(
        f.session(short, nina, f.local(MONDAY + timedelta(days=4), "10:00")),
        f.client("Hugo", last_name="Bernard"),
    )
    page = signed_in_page(page_for, live_server, olivia, language, viewport={"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/dashboard/calendar/?view=week&date={MONDAY}")
    page.wait_for_selector(".calendar-block--class")

    grid = page.eval_on_selector(".calendar-scroll", "e => e.getBoundingClientRect().width")
    assert grid > 1000, f"the week is squeezed to {grid:.0f} px beside an empty panel"
    title = page.locator(".calendar-block", has_text="Hugo").locator(".calendar-block__title")
    assert title.evaluate("e => e.scrollHeight <= e.clientHeight + 1 && e.scrollWidth <= e.clientWidth + 1")
    assert title.evaluate(
        "e => e.getBoundingClientRect().bottom <= e.closest('.calendar-block').getBoundingClientRect().bottom"
    )
    screenshot(page, f"dashboard-calendar-wide-{language}")
