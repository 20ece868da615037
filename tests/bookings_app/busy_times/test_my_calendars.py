"""The staff area's "My calendars": Sam, signed in, sees and changes only the outside calendars
of Nina, the staff member linked to his account; he adds one with the owner's checks (the message
next to the field, never a 500), removes one after confirming, and copies the feed address the
owner made for Nina. Another staff member's calendar is not found; a client is refused; an
account linked to no staff member is told so."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings_app.models import BusyTime, FeedKind, OutsideCalendar, StaffMember
from bookings_app.services.busy_times import refresh_outside_calendar
from bookings_app.services.calendar_feeds import ensure_feed
from tests import factories
from tests.support.calendar_server import ics

PAGE = "/staff/my-calendars/"
REFRESH = "bookings_app.tasks.refresh_outside_calendar"
# A public address given as a number: the checks need no name server.
SECRET = "https://93.184.215.14/calendar/ical/nina%40example.com/private-5ecret/basic.ics"


@pytest.fixture
def ninas_account(nina, sam):
    """Sam signs in as Nina: his account is linked to her staff member."""
    StaffMember.objects.filter(pk=nina.pk).update(user=sam)
    return sam


@pytest.fixture
def sam_client(client, ninas_account):
    client.force_login(ninas_account)
    return client


@pytest.fixture
def omars_calendar(db):
    """Omar's calendar: another staff member's, which Sam must never reach."""
    omar = factories.staff_member("Omar")
    return OutsideCalendar.objects.create(staff=omar, name="Omar gym", url="https://omar.example/gym.ics")


def _remove_url(calendar: OutsideCalendar) -> str:
    return reverse("staff:my_calendar_remove", args=[calendar.pk])


def _add(client, url: str, name: str = "Personal"):
    return client.post(PAGE, {"outside-name": name, "outside-url": url})


# -- who may open it --


def test_it_sends_anonymous_visitors_to_the_sign_in(client, nina):
    calendar = OutsideCalendar.objects.create(staff=nina, name="Work", url="https://calendar.example/a.ics")
    for response in (client.get(PAGE), _add(client, SECRET), client.post(_remove_url(calendar))):
        assert response.status_code == 302 and response["Location"].startswith("/dashboard/login/")
    assert OutsideCalendar.objects.count() == 1


def test_it_refuses_a_client(client, carla, nina):
    calendar = OutsideCalendar.objects.create(staff=nina, name="Work", url="https://calendar.example/a.ics")
    client.force_login(carla)

    assert client.get(PAGE).status_code == 403
    assert _add(client, SECRET).status_code == 403
    assert client.post(_remove_url(calendar)).status_code == 403
    assert list(OutsideCalendar.objects.values_list("name", flat=True)) == ["Work"]


def test_it_shows_sam_his_own_calendars_only(sam_client, nina, omars_calendar):
    OutsideCalendar.objects.create(staff=nina, name="Nina family", url="https://family.example/f.ics")

    page = sam_client.get(PAGE).content.decode()

    assert "Nina family" in page and "family.example/…" in page and "/f.ics" not in page
    assert "Omar gym" not in page and "omar.example" not in page
    assert "/fetch/" in page and f"/staff/my-calendars/{omars_calendar.pk}/" not in page


def test_another_members_calendar_is_not_found_and_stays(sam_client, omars_calendar):
    assert sam_client.get(_remove_url(omars_calendar)).status_code == 404
    assert sam_client.post(_remove_url(omars_calendar)).status_code == 404
    assert OutsideCalendar.objects.filter(pk=omars_calendar.pk).exists()


def test_an_unlinked_account_is_told_so_and_adds_nothing(client, olivia, nina, omars_calendar):
    client.force_login(olivia)  # the owner may open the staff area, and is no staff member here

    page = client.get(PAGE)
    refused = _add(client, SECRET)

    assert page.status_code == 200
    assert "Your account is not linked to a staff member" in page.content.decode()
    assert refused.status_code == 403 and OutsideCalendar.objects.count() == 1
    assert client.get(_remove_url(omars_calendar)).status_code == 404


def test_the_staff_area_links_to_my_calendars(sam_client):
    today = sam_client.get(reverse("staff:today")).content.decode()
    mine = sam_client.get(PAGE).content.decode()

    assert f'href="{PAGE}"' in today
    assert f'href="{PAGE}" aria-current="page"' in mine


# -- adding and removing --


def test_adding_queues_the_first_fetch_and_never_shows_the_address_again(
    sam_client, nina, handed_over, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(sam_client, SECRET.replace("https://", "webcal://"), name="Personal")

    calendar = OutsideCalendar.objects.get()
    assert response.status_code == 302 and response["Location"] == PAGE
    assert calendar.staff == nina and calendar.url == SECRET and calendar.name == "Personal"
    assert handed_over[REFRESH] == [calendar.pk]
    page = sam_client.get(PAGE).content.decode()
    assert "Outside calendar added." in page
    assert "93.184.215.14/…" in page and "5ecret" not in page
    assert "Fetch queued" in page and "Not read yet" in page


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("", "This field is required."),
        ("ftp://calendar.example/cal.ics", "starts with https://"),
        ("javascript:alert(1)", "starts with https://"),
        ("https://calendar.example:port/cal.ics", "This is not a web address."),
        ("http://10.0.0.7/cal.ics", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "private network"),
        ("https://no-such-host.invalid/cal.ics", "cannot be found"),
    ],
)
def test_a_bad_address_gets_its_message_next_to_the_field(sam_client, url, error):
    response = _add(sam_client, url)

    page = response.content.decode()
    assert response.status_code == 400
    field = page[page.index('<label for="id_outside-url"') : page.index("Add outside calendar")]
    assert "field-error" in field and error in field
    assert not OutsideCalendar.objects.exists()


def test_a_missing_name_is_asked_for_next_to_its_field(sam_client):
    response = _add(sam_client, SECRET, name="")

    page = response.content.decode()
    assert response.status_code == 400
    field = page[page.index('<label for="id_outside-name"') : page.index('<label for="id_outside-url"')]
    assert "This field is required." in field
    assert not OutsideCalendar.objects.exists()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.text(max_size=300), name=st.text(max_size=100))
def test_any_typed_address_gets_an_answer_never_a_500(sam_client, url, name, handed_over):
    assert _add(sam_client, url, name).status_code in (302, 400)


def test_removing_asks_first_then_frees_the_busy_times(sam_client, nina):
    calendar = OutsideCalendar.objects.create(staff=nina, name="Work", url="https://calendar.example/a.ics")
    start = timezone.now() + timedelta(days=1)
    BusyTime.objects.create(staff=nina, calendar=calendar, start=start, end=start + timedelta(hours=1))

    confirmation = sam_client.get(_remove_url(calendar)).content.decode()
    assert "Remove this outside calendar?" in confirmation and "calendar.example/…" in confirmation
    assert OutsideCalendar.objects.exists()

    response = sam_client.post(_remove_url(calendar), follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "Outside calendar removed." in response.content.decode()
    assert not OutsideCalendar.objects.exists() and not BusyTime.objects.exists()


# -- what the page shows --


def test_it_shows_the_last_success_and_the_last_error(sam_client, nina, calendar_server):
    calendar = OutsideCalendar.objects.create(
        staff=nina, name="Work", url=calendar_server.serve("/work.ics", ics("work"))
    )
    refresh_outside_calendar(calendar_id=calendar.pk, now=timezone.now() - timedelta(minutes=20))
    OutsideCalendar.objects.filter(pk=calendar.pk).update(url=calendar_server.fail("/broken.ics", 500))
    refresh_outside_calendar(calendar_id=calendar.pk)

    page = sam_client.get(PAGE).content.decode()

    assert "The calendar&#x27;s server answered with error 500." in page
    assert "The last good copy is still used." in page and "Read " in page


def test_it_shows_ninas_feed_address_to_copy_and_nothing_to_renew_it(sam_client, nina):
    ninas = ensure_feed(kind=FeedKind.STAFF, staff=nina)
    omars = ensure_feed(kind=FeedKind.STAFF, staff=factories.staff_member("Omar"))
    business = ensure_feed(kind=FeedKind.BUSINESS)

    page = sam_client.get(PAGE).content.decode()

    assert f"/calendar/{ninas.token}.ics" in page and 'data-copy="staff-feed"' in page
    assert omars.token not in page and business.token not in page
    assert "Renew" not in page and reverse("dashboard:feeds") not in page


def test_without_a_feed_it_says_the_owner_makes_one(sam_client):
    page = sam_client.get(PAGE).content.decode()

    assert "No calendar address yet: the owner can make one for you." in page
    assert 'data-copy="staff-feed"' not in page


# -- fetch now --


def _fetch_url(calendar: OutsideCalendar) -> str:
    return reverse("staff:my_calendar_fetch", args=[calendar.pk])


def test_fetch_now_queues_one_fetch_however_often_it_is_pressed(
    sam_client, nina, handed_over, django_capture_on_commit_callbacks
):
    calendar = OutsideCalendar.objects.create(staff=nina, name="Work", url="https://calendar.example/a.ics")

    with django_capture_on_commit_callbacks(execute=True):
        response = sam_client.post(_fetch_url(calendar), follow=True)
        sam_client.post(_fetch_url(calendar))

    page = response.content.decode()
    assert handed_over[REFRESH] == [calendar.pk]
    assert "Fetch queued: the busy times update in a moment." in page
    assert 'type="submit" disabled>Fetch now' in page


def test_fetch_now_is_asked_again_once_the_last_fetch_ended(sam_client, nina, handed_over, calendar_server):
    calendar = OutsideCalendar.objects.create(
        staff=nina, name="Work", url=calendar_server.serve("/w.ics", ics("work"))
    )
    sam_client.post(_fetch_url(calendar))
    refresh_outside_calendar(calendar_id=calendar.pk)

    page = sam_client.get(PAGE).content.decode()

    assert 'type="submit">Fetch now' in page


def test_fetch_now_of_another_members_calendar_is_not_found(sam_client, nina, omars_calendar, handed_over):
    own = OutsideCalendar.objects.create(staff=nina, name="Work", url="https://calendar.example/a.ics")

    assert sam_client.post(_fetch_url(omars_calendar)).status_code == 404
    assert sam_client.get(_fetch_url(own)).status_code == 405
    assert handed_over[REFRESH] == []
