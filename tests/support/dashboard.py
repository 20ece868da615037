"""The studios the owner's calendar and bookings tests work in, and a booking made in one."""

from datetime import date, timedelta

from bookings_app.models import Booking, ServiceKind
from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from tests import factories


def calendar_studio() -> dict:
    """Nina and Omar give massages, Nina teaches yoga; the calendar's week starts on ``monday``."""
    factories.business(time_zone="Europe/Paris")
    nina = factories.staff_member("Nina")
    omar = factories.staff_member("Omar")
    massage = factories.service("Massage", staff=[nina, omar])
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10)
    monday = factories.next_weekday(0)
    return {"nina": nina, "omar": omar, "massage": massage, "yoga": yoga, "monday": monday}


def bookings_studio() -> dict:
    """Nina works every day from 9 to 17 and gives massages and a yoga class for 2000."""
    factories.business()
    nina = factories.staff_member("Nina", hours={d: [("09:00", "17:00")] for d in range(7)})
    massage = factories.service("Massage", staff=[nina])
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=2000)
    return {"nina": nina, "massage": massage, "yoga": yoga}


def appointment(studio, *, days: int = 3, at: str = "10:00", first_name: str = "Alice") -> Booking:
    """A confirmed massage with Nina ``days`` from today at ``at``."""
    day = date.today() + timedelta(days=days)
    return book_appointment(
        service=studio["massage"],
        start=factories.local(day, at),
        staff=studio["nina"],
        details=ClientDetails(email=f"{first_name.lower()}@client.test", first_name=first_name),
    )
