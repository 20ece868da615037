"""The waitlist's triggers, from the waitlist services' events to an executed action."""

from datetime import timedelta

from django.utils import timezone

from automations.models import RunStatus
from bookings_app.models import Booking, OutgoingEmail, Service
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.changes import cancel_booking
from bookings_app.services.waitlist import accept_offer, expire_offers, join_waitlist
from tests import factories as f

from .builders import ALICE, automation, email_client


def _full_yoga(yoga, nina):
    Service.objects.filter(pk=yoga.pk).update(waitlist_enabled=True, price=0)
    yoga.refresh_from_db()
    session = f.session(yoga, nina, timezone.now() + timedelta(days=2), capacity=1)
    book_class_seat(session=session, details=f.racer(1))
    return session


def subjects() -> list[str]:
    return list(
        OutgoingEmail.objects.filter(kind="automation").order_by("pk").values_list("subject", flat=True)
    )


def test_each_step_of_the_line_starts_its_automation(worker, yoga, nina, alice):
    for key in ("waitlist_joined", "waitlist_offered", "waitlist_offer_expired", "waitlist_booked"):
        automation(key, actions=[email_client(f"{key} {{client_first_name}}")])
    session = _full_yoga(yoga, nina)
    entry = join_waitlist(session=session, details=ALICE)
    cancel_booking(booking=Booking.objects.get(client__email=f.racer(1).email), by_client=True)
    entry.refresh_from_db()
    accept_offer(entry=entry)

    runs = worker.deliver()

    assert {run.status for run in runs} == {RunStatus.DONE}
    assert subjects() == ["waitlist_joined Alice", "waitlist_offered Alice", "waitlist_booked Alice"]


def test_an_expired_offer_starts_its_automation(worker, yoga, nina, alice):
    automation("waitlist_offer_expired", actions=[email_client("Missed it, {client_first_name}")])
    session = _full_yoga(yoga, nina)
    join_waitlist(session=session, details=ALICE)
    cancel_booking(booking=Booking.objects.get(client__email=f.racer(1).email), by_client=True)
    expire_offers(now=timezone.now() + timedelta(hours=3))

    worker.deliver()

    assert subjects() == ["Missed it, Alice"]


def test_an_earlier_time_offered_starts_its_automation(worker, massage):
    from bookings_app.services.bookings import book_appointment
    from bookings_app.services.earlier_time_moves import ask_for_earlier_time

    automation("earlier_time_offered", actions=[email_client("Sooner, {client_first_name}?")])
    monday = f.next_weekday(0, after=timezone.localdate() + timedelta(days=3))
    early = book_appointment(service=massage, start=f.local(monday, "10:00"), details=f.racer(1))
    late = book_appointment(service=massage, start=f.local(monday, "15:00"), details=ALICE)
    ask_for_earlier_time(booking=late)
    cancel_booking(booking=early, by_client=True)

    runs = worker.deliver()

    assert {run.status for run in runs} == {RunStatus.DONE}
    assert subjects() == ["Sooner, Alice?"]
