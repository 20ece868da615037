"""The staff page's outside calendars: add one (with clear field errors for bad addresses, never
a 500), see its last success and last error, fetch it now, remove it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings_app.models import BusyTime, OutsideCalendar
from tests.support.calendar_server import ics

REFRESH = "bookings_app.tasks.refresh_outside_calendar"


@pytest.fixture
def owner_client(client, olivia):
    client.force_login(olivia)
    return client


def add(owner_client, nina, url: str, name: str = "Work"):
    url_of_the_form = reverse("dashboard:staff_outside_calendar_add", args=[nina.pk])
    return owner_client.post(url_of_the_form, {"outside-name": name, "outside-url": url})


def test_adding_a_calendar_queues_its_first_fetch_and_never_shows_the_address_again(
    owner_client, nina, handed_over, django_capture_on_commit_callbacks
):
    # a public address given as a number: the test needs no name server
    secret = "https://93.184.215.14/calendar/ical/nina%40example.com/private-5ecret/basic.ics"
    with django_capture_on_commit_callbacks(execute=True):
        response = add(owner_client, nina, secret.replace("https://", "webcal://"))

    calendar = OutsideCalendar.objects.get()
    assert response.status_code == 302 and calendar.url == secret
    assert handed_over[REFRESH] == [calendar.pk]
    page = owner_client.get(reverse("dashboard:staff_member", args=[nina.pk])).content.decode()
    assert "93.184.215.14/…" in page and "5ecret" not in page
    assert "Fetch queued" in page and "Not read yet" in page


def test_the_page_shows_the_last_success_and_the_last_error(owner_client, nina, calendar_server):
    from bookings_app.services.busy_times import refresh_outside_calendar

    calendar = OutsideCalendar.objects.create(
        staff=nina, name="Work", url=calendar_server.serve("/work.ics", ics("work"))
    )
    refresh_outside_calendar(calendar_id=calendar.pk, now=timezone.now() - timedelta(minutes=20))
    OutsideCalendar.objects.filter(pk=calendar.pk).update(url=calendar_server.fail("/broken.ics", 500))
    refresh_outside_calendar(calendar_id=calendar.pk)

    page = owner_client.get(reverse("dashboard:staff_member", args=[nina.pk])).content.decode()

    assert "The calendar&#x27;s server answered with error 500." in page
    assert "The last good copy is still used." in page and "Read " in page


def test_fetch_now_queues_the_task_and_says_so(
    owner_client, nina, handed_over, django_capture_on_commit_callbacks
):
    calendar = OutsideCalendar.objects.create(staff=nina, name="Work", url="https://calendar.example/a.ics")

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("dashboard:staff_outside_calendar_fetch", args=[nina.pk, calendar.pk]), follow=True
        )

    assert handed_over[REFRESH] == [calendar.pk]
    assert "Fetch queued" in response.content.decode()


def test_removing_a_calendar_frees_its_busy_times(owner_client, nina):
    calendar = OutsideCalendar.objects.create(staff=nina, name="Work", url="https://calendar.example/a.ics")
    start = timezone.now() + timedelta(days=1)
    BusyTime.objects.create(staff=nina, calendar=calendar, start=start, end=start + timedelta(hours=1))
    url = reverse("dashboard:staff_outside_calendar_remove", args=[nina.pk, calendar.pk])

    assert "Remove this outside calendar?" in owner_client.get(url).content.decode()
    assert owner_client.post(url).status_code == 302
    assert not OutsideCalendar.objects.exists() and not BusyTime.objects.exists()


def test_another_members_calendar_is_not_found(owner_client, nina):
    from tests import factories

    omar = factories.staff_member("Omar")
    calendar = OutsideCalendar.objects.create(staff=omar, name="Work", url="https://calendar.example/a.ics")

    url = reverse("dashboard:staff_outside_calendar_fetch", args=[nina.pk, calendar.pk])
    assert owner_client.post(url).status_code == 404


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("", "This field is required."),
        ("ftp://calendar.example/cal.ics", "starts with https://"),
        ("javascript:alert(1)", "starts with https://"),
        ("calendar.example/cal.ics", "starts with https://"),
        ("https://", "This is not a web address."),
        ("https://calendar.example:port/cal.ics", "This is not a web address."),
        ("https://" + "a" * 5000 + ".example/cal.ics", "at most 2000 characters"),
        ("http://10.0.0.7/cal.ics", "private network"),
        ("http://192.168.1.1/cal.ics", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "private network"),
        ("http://[fd00::1]/cal.ics", "private network"),
        ("http://0.0.0.0/cal.ics", "private network"),
        ("https://no-such-host.invalid/cal.ics", "cannot be found"),
    ],
)
def test_a_bad_address_gets_an_error_next_to_the_field(owner_client, nina, url, error):
    response = add(owner_client, nina, url)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode() or "field-error" in response.content.decode()
    assert not OutsideCalendar.objects.exists()


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/cal.ics", "http://localhost/cal.ics", "http://[::1]/x"]
)
def test_this_machine_is_refused_unless_the_setting_allows_it(owner_client, nina, settings, url, handed_over):
    settings.OUTSIDE_CALENDAR_ALLOW_LOOPBACK = False
    assert add(owner_client, nina, url).status_code == 400

    settings.OUTSIDE_CALENDAR_ALLOW_LOOPBACK = True
    assert add(owner_client, nina, url).status_code == 302


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.text(max_size=300), name=st.text(max_size=100))
def test_any_typed_address_gets_an_answer_never_a_500(owner_client, nina, url, name, handed_over):
    response = add(owner_client, nina, url, name)

    assert response.status_code in (302, 400)
