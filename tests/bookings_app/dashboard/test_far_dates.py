"""Year 1 and year 9999 typed into a team form: a message next to the field, never a 500.

A date that far out overflows as soon as the business's time zone is applied to it, or a day or a
week is added to it (see ``bookings_app.web.request_input``).
"""

import pytest
from django.urls import reverse

from bookings_app.models import BookingStatus, ServiceKind
from loyalty.models import Program
from tests import factories

pytestmark = pytest.mark.django_db
FAR_DAYS = ["0001-01-01", "9999-12-31"]
FAR_MOMENTS = ["0001-01-01T00:00", "9999-12-31T23:59"]
TOO_FAR = "This date is too far from today."


@pytest.fixture
def owner_client(client, olivia):
    client.force_login(olivia)
    return client


@pytest.fixture(params=FAR_DAYS)
def far_day(request) -> str:
    return request.param


@pytest.fixture
def nina():
    factories.business(time_zone="Asia/Jerusalem")
    return factories.staff_member("Nina")


@pytest.mark.parametrize("moment", FAR_MOMENTS)
@pytest.mark.parametrize("field", ["start", "end"])
def test_time_off_refuses_a_far_moment_next_to_the_field(owner_client, nina, field, moment):
    data = {"start": "2030-07-01T09:00", "end": "2030-07-01T12:00", field: moment}
    response = owner_client.post(reverse("dashboard:staff_time_off_add", args=[nina.pk]), data)
    assert response.status_code == 400
    assert response.context["time_off_form"].errors[field] == [TOO_FAR]
    assert not nina.time_off.exists()


@pytest.fixture
def massage(nina):
    return factories.service("Massage", staff=[nina])


@pytest.fixture
def yoga(nina):
    return factories.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10)


def _booking(service, nina, **fields):
    start = factories.local(factories.next_weekday(1), "10:00", "Asia/Jerusalem")
    return factories.booking(factories.session(service, nina, start), factories.client(), **fields)


def test_a_date_override_refuses_a_far_day(owner_client, nina, far_day):
    data = {"date": far_day, "start": "09:00", "end": "12:00"}
    response = owner_client.post(reverse("dashboard:staff_override_add", args=[nina.pk]), data)
    assert response.status_code == 400 and TOO_FAR in response.context["override_form"].errors["date"]
    assert not nina.date_overrides.exists()


@pytest.mark.parametrize("field", ["starts_on", "until"])
def test_a_class_schedule_refuses_a_far_day(owner_client, nina, yoga, field, far_day):
    data = {"weekdays": ["MO"], "start_time": "18:00", "starts_on": "2030-01-07", "staff": nina.pk}
    response = owner_client.post(
        reverse("dashboard:service", args=[yoga.pk]) + "?tab=schedule", {**data, field: far_day}
    )
    assert response.status_code == 400 and TOO_FAR in response.context["form"].errors[field]
    assert not yoga.schedules.exists() and not yoga.sessions.exists()


@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_the_bookings_list_says_a_far_day_is_too_far(owner_client, nina, massage, field, far_day):
    _booking(massage, nina)
    response = owner_client.get(reverse("dashboard:bookings"), {field: far_day})
    assert response.status_code < 500 and TOO_FAR in response.content.decode()


def test_rescheduling_a_booking_says_a_far_day_is_too_far(owner_client, nina, massage, far_day):
    booking = _booking(massage, nina)
    response = owner_client.get(
        reverse("dashboard:booking_reschedule", args=[booking.pk]), {"day": far_day, "staff": ""}
    )
    assert response.status_code < 500 and TOO_FAR in response.content.decode()


def test_rescheduling_a_request_refuses_a_far_day(owner_client, nina, massage, far_day):
    booking = _booking(massage, nina, status=BookingStatus.REQUESTED)
    data = {"staff": nina.pk, "day": far_day, "start": "2030-01-07T10:00:00+02:00"}
    response = owner_client.post(reverse("dashboard:request_reschedule", args=[booking.pk]), data)
    assert response.status_code == 400 and TOO_FAR in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_the_points_report_says_a_far_day_is_too_far(owner_client, field, far_day):
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True})
    response = owner_client.get(reverse("loyalty_dashboard:report"), {field: far_day})
    assert response.status_code < 500 and TOO_FAR in response.content.decode()
