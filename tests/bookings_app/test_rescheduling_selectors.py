"""What the owner may move a booking to (bookings_app.selectors.rescheduling)."""

from datetime import date, timedelta

import pytest

from bookings_app.core.errors import SlotUnavailable
from bookings_app.models import Attendance, ServiceKind
from bookings_app.selectors import may_reschedule, move_target
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio():
    business = factories.business()
    nina = factories.staff_member("Nina", hours={d: [("09:00", "17:00")] for d in range(7)})
    massage = factories.service("Massage", staff=[nina])
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10)
    day = date.today() + timedelta(days=3)
    booking = factories.booking(
        factories.session(massage, nina, factories.local(day, "10:00")), factories.client()
    )
    return {"business": business, "nina": nina, "yoga": yoga, "day": day, "booking": booking}


def test_a_free_slot_of_the_services_staff_is_a_target(studio):
    start = factories.local(studio["day"], "14:00")
    target = move_target(
        studio["booking"], business=studio["business"], start=start, staff_id=studio["nina"].pk
    )
    assert (target.start, target.staff, target.session) == (start, studio["nina"], None)


@pytest.mark.parametrize("at", ["10:00", "20:00"])
def test_a_taken_or_closed_slot_is_refused(studio, at):
    with pytest.raises(SlotUnavailable):
        move_target(
            studio["booking"],
            business=studio["business"],
            start=factories.local(studio["day"], at),
            staff_id=studio["nina"].pk,
        )


def test_a_session_of_another_class_is_refused(studio):
    yoga = factories.booking(
        factories.session(studio["yoga"], studio["nina"], factories.local(studio["day"], "12:00")),
        factories.client("Bob"),
    )
    pilates = factories.service("Pilates", kind=ServiceKind.CLASS, staff=[studio["nina"]], capacity=10)
    elsewhere = factories.session(pilates, studio["nina"], factories.local(studio["day"], "15:00"))
    with pytest.raises(SlotUnavailable):
        move_target(yoga, business=studio["business"], session_id=elsewhere.pk)


def test_only_a_confirmed_appointment_or_class_place_not_yet_attended_may_be_moved(studio):
    booking = studio["booking"]
    assert may_reschedule(booking)
    booking.attendance = Attendance.CHECKED_IN
    assert not may_reschedule(booking)
    course = factories.service("Ceramics", kind=ServiceKind.COURSE, staff=[studio["nina"]], capacity=3)
    enrolled = factories.booking(
        factories.session(course, studio["nina"], factories.local(studio["day"], "16:00")),
        factories.client("Cleo"),
    )
    assert not may_reschedule(enrolled)
