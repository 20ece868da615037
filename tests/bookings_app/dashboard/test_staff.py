"""Dashboard: staff members — list, details, tablet account, working hours, overrides, time off."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import DateOverride, StaffMember, TimeOff, User, WorkingHours
from tests import factories

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def nina() -> StaffMember:
    return factories.staff_member("Nina")


@pytest.fixture
def owner_client(client, olivia):
    client.force_login(olivia)
    return client


def _urls(nina: StaffMember) -> list[tuple[str, str]]:
    override = DateOverride.objects.create(staff=nina, date=date(2030, 1, 2), start=time(9), end=time(12))
    start = datetime(2030, 1, 3, 9, tzinfo=PARIS)
    time_off = TimeOff.objects.create(staff=nina, start=start, end=start + timedelta(hours=3))
    return [
        ("get", reverse("dashboard:staff_list")),
        ("get", reverse("dashboard:staff_new")),
        ("get", reverse("dashboard:staff_member", args=[nina.pk])),
        ("get", reverse("dashboard:staff_hours_interval") + "?weekday=0"),
        ("get", reverse("dashboard:staff_override_remove", args=[nina.pk, override.pk])),
        ("get", reverse("dashboard:staff_time_off_remove", args=[nina.pk, time_off.pk])),
        ("post", reverse("dashboard:staff_invite", args=[nina.pk])),
        ("post", reverse("dashboard:staff_hours", args=[nina.pk])),
        ("post", reverse("dashboard:staff_override_add", args=[nina.pk])),
        ("post", reverse("dashboard:staff_time_off_add", args=[nina.pk])),
    ]


def test_it_sends_anonymous_visitors_to_the_sign_in(client, nina):
    for method, url in _urls(nina):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/dashboard/login/"), url


@pytest.mark.parametrize("person", ["carla", "sam"])
def test_it_forbids_clients_and_staff(client, request, nina, person):
    client.force_login(request.getfixturevalue(person))
    for method, url in _urls(nina):
        assert getattr(client, method)(url).status_code == 403, url


def test_it_opens_the_pages_for_the_owner(owner_client, nina):
    for method, url in _urls(nina):
        if method == "get":
            assert owner_client.get(url).status_code == 200, url


def test_it_searches_staff_by_name_or_email(owner_client, nina):
    factories.staff_member("Omar")
    names = lambda response: [m.name for m in response.context["page"].object_list]  # noqa: E731
    assert names(owner_client.get(reverse("dashboard:staff_list"), {"q": "omar@"})) == ["Omar"]
    assert names(owner_client.get(reverse("dashboard:staff_list"), {"q": "NIN"})) == ["Nina"]


@pytest.mark.parametrize("count", [10, 1000])
def test_it_lists_a_page_in_the_same_number_of_queries(owner_client, django_assert_num_queries, count):
    StaffMember.objects.bulk_create(StaffMember(name=f"Member {n:04}") for n in range(count))
    # session, user, groups, count, page with its service counts
    with django_assert_num_queries(5):
        response = owner_client.get(reverse("dashboard:staff_list"))
    assert len(response.context["page"].object_list) == min(count, 25)


def test_it_adds_a_staff_member_and_opens_the_hours(owner_client):
    response = owner_client.post(
        reverse("dashboard:staff_new"),
        {
            "name": "Omar",
            "email": "omar@studio.test",
            "color": "#aa3300",
            "is_active": "on",
        },
    )
    omar = StaffMember.objects.get(name="Omar")
    assert response["Location"] == reverse("dashboard:staff_member", args=[omar.pk]) + "#hours"
    assert omar.color == "#aa3300"


def test_it_shows_a_wrong_colour_next_to_its_field(owner_client, nina):
    response = owner_client.post(
        reverse("dashboard:staff_member", args=[nina.pk]), {"name": "Nina", "color": "red"}
    )
    assert response.status_code == 400 and b"field--invalid" in response.content


def test_it_invites_to_the_tablet_and_says_the_password_is_set_in_the_admin(owner_client, nina):
    response = owner_client.post(reverse("dashboard:staff_invite", args=[nina.pk]), follow=True)
    nina.refresh_from_db()
    assert nina.user == User.objects.get(email="nina@studio.test")
    assert "in the admin" in response.content.decode()


def test_it_explains_why_it_cannot_invite_without_email(owner_client):
    omar = StaffMember.objects.create(name="Omar")
    response = owner_client.post(reverse("dashboard:staff_invite", args=[omar.pk]), follow=True)
    assert "Add an e-mail address first" in response.content.decode()
    assert not User.objects.filter(staff_member=omar).exists()


def test_it_saves_a_split_day_and_replaces_the_old_hours(owner_client, nina):
    response = owner_client.post(
        reverse("dashboard:staff_hours", args=[nina.pk]),
        {
            "day-1-start": ["09:00", "14:00"],
            "day-1-end": ["12:00", "18:00"],
            "day-3-start": ["", "10:00"],
            "day-3-end": ["", "16:00"],
        },
    )
    assert response.status_code == 302
    assert list(WorkingHours.objects.filter(staff=nina).values_list("weekday", "start", "end")) == [
        (1, time(9), time(12)),
        (1, time(14), time(18)),
        (3, time(10), time(16)),
    ]


@pytest.mark.parametrize(
    ("starts", "ends", "problem"),
    [
        (["12:00"], ["09:00"], "must end after it starts"),
        (["09:00", "11:00"], ["12:00", "13:00"], "must not overlap"),
        (["9h"], ["12:00"], "Enter both times"),
    ],
)
def test_it_shows_the_problem_next_to_the_day_and_keeps_the_hours(owner_client, nina, starts, ends, problem):
    response = owner_client.post(
        reverse("dashboard:staff_hours", args=[nina.pk]),
        {
            "day-2-start": starts,
            "day-2-end": ends,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert problem in page and "hours__day--invalid" in page
    assert WorkingHours.objects.filter(staff=nina).count() == 5


def test_it_adds_an_empty_interval_with_htmx(owner_client):
    response = owner_client.get(
        reverse("dashboard:staff_hours_interval"), {"weekday": 4}, headers={"HX-Request": "true"}
    )
    assert b'name="day-4-start"' in response.content and b"<html" not in response.content
    assert owner_client.get(reverse("dashboard:staff_hours_interval"), {"weekday": 9}).status_code == 404


def test_it_adds_and_removes_a_date_override_after_a_confirmation(owner_client, nina):
    owner_client.post(
        reverse("dashboard:staff_override_add", args=[nina.pk]),
        {"date": "2030-06-01", "start": "10:00", "end": "13:00"},
    )
    override = nina.date_overrides.get()
    confirm = owner_client.get(reverse("dashboard:staff_override_remove", args=[nina.pk, override.pk]))
    assert b"Remove this date override?" in confirm.content and nina.date_overrides.exists()
    owner_client.post(reverse("dashboard:staff_override_remove", args=[nina.pk, override.pk]))
    assert not nina.date_overrides.exists()


def test_it_refuses_an_override_that_ends_before_it_starts(owner_client, nina):
    response = owner_client.post(
        reverse("dashboard:staff_override_add", args=[nina.pk]),
        {"date": "2030-06-01", "start": "13:00", "end": "10:00"},
    )
    assert response.status_code == 400 and not nina.date_overrides.exists()


def test_it_reads_time_off_in_the_business_time_zone(owner_client, nina):
    factories.business(time_zone="Asia/Jerusalem")
    owner_client.post(
        reverse("dashboard:staff_time_off_add", args=[nina.pk]),
        {"start": "2030-07-01T09:00", "end": "2030-07-01T12:00", "reason": "Dentist"},
    )
    time_off = nina.time_off.get()
    assert time_off.start == datetime(2030, 7, 1, 9, tzinfo=ZoneInfo("Asia/Jerusalem"))
    assert time_off.reason == "Dentist"


def test_it_refuses_time_off_that_ends_first(owner_client, nina):
    response = owner_client.post(
        reverse("dashboard:staff_time_off_add", args=[nina.pk]),
        {"start": "2030-07-01T12:00", "end": "2030-07-01T09:00"},
    )
    assert response.status_code == 400 and b"must end after it starts" in response.content


def test_it_lists_coming_time_off_before_past_time_off(owner_client, nina):
    now = timezone.now()
    TimeOff.objects.create(
        staff=nina, start=now - timedelta(days=10), end=now - timedelta(days=9), reason="Past"
    )
    TimeOff.objects.create(
        staff=nina, start=now + timedelta(days=9), end=now + timedelta(days=10), reason="Later"
    )
    TimeOff.objects.create(
        staff=nina, start=now + timedelta(days=1), end=now + timedelta(days=2), reason="Soon"
    )
    page = owner_client.get(reverse("dashboard:staff_member", args=[nina.pk])).content.decode()
    assert page.index("Soon") < page.index("Later") < page.index("Past")


def test_it_removes_time_off_after_a_confirmation(owner_client, nina):
    start = timezone.now() + timedelta(days=3)
    time_off = TimeOff.objects.create(staff=nina, start=start, end=start + timedelta(hours=2))
    url = reverse("dashboard:staff_time_off_remove", args=[nina.pk, time_off.pk])
    assert b"Remove this time off?" in owner_client.get(url).content
    owner_client.post(url)
    assert not nina.time_off.exists()


def test_it_hides_another_members_time_off(owner_client, nina):
    omar = factories.staff_member("Omar")
    start = timezone.now() + timedelta(days=3)
    time_off = TimeOff.objects.create(staff=omar, start=start, end=start + timedelta(hours=2))
    assert (
        owner_client.post(reverse("dashboard:staff_time_off_remove", args=[nina.pk, time_off.pk])).status_code
        == 404
    )
