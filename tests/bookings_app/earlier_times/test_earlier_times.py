"""An earlier time: who is told of a freed slot, once, and how they move to it."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings_app.core.errors import InvalidTransition
from bookings_app.models import (
    EarlierTimeNotice,
    EarlierTimeRequest,
    OutgoingEmail,
    ServiceKind,
)
from bookings_app.services.catalog import add_time_off, remove_time_off
from bookings_app.services.changes import cancel_booking, reschedule_appointment
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.earlier_time_moves import (
    EarlierTimeClosed,
    EarlierTimeTaken,
    ask_for_earlier_time,
    move_to_earlier_time,
    stop_earlier_time,
)
from bookings_app.services.earlier_times import offer_freed_time
from bookings_app.services.payments import release_hold
from bookings_app.services.requests import decline_request
from tests import factories as f

pytestmark = pytest.mark.django_db
ALICE = ClientDetails(email="alice@client.test", first_name="Alice")
BOB = ClientDetails(email="bob@client.test", first_name="Bob")
PARIS = ZoneInfo("Europe/Paris")


def _told(booking) -> list[str]:
    """The times (HH:MM in Paris) the booking's client was told of, open or not."""
    return [
        notice.start.astimezone(PARIS).strftime("%H:%M")
        for notice in EarlierTimeNotice.objects.filter(request__booking=booking).order_by("start")
    ]


def _mails_to(email: str) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(kind="earlier_time", to=email))


def test_it_tells_the_first_client_who_asked_when_an_earlier_slot_frees(alice, bob, carla):
    ask_for_earlier_time(booking=bob)
    ask_for_earlier_time(booking=carla)
    cancel_booking(booking=alice, by_client=True)
    assert _told(bob) == ["10:00"]
    assert _told(carla) == []
    (mail,) = _mails_to("bob@client.test")
    assert "Massage" in mail.subject and "10:00" in mail.body_text and "/earlier/" in mail.body_text
    assert mail.dedupe_key == f"earlier_time:{EarlierTimeNotice.objects.get().pk}"


def test_the_next_freed_slot_goes_to_the_next_client_who_asked(alice, bob, carla, book):
    dora = book(f.racer(4), "12:00")
    ask_for_earlier_time(booking=bob)
    ask_for_earlier_time(booking=carla)
    cancel_booking(booking=alice, by_client=True)
    cancel_booking(booking=dora, by_client=True)
    assert _told(bob) == ["10:00"]
    assert _told(carla) == ["12:00"]


def test_a_client_already_told_of_an_earlier_time_is_told_of_a_still_earlier_one(alice, bob, carla, book):
    dora = book(f.racer(4), "12:00")
    ask_for_earlier_time(booking=bob)
    cancel_booking(booking=dora, by_client=True)
    cancel_booking(booking=alice, by_client=True)
    assert _told(bob) == ["10:00", "12:00"]


def test_nobody_is_told_of_a_time_later_than_their_booking(alice, book):
    early = book(BOB, "09:00")
    ask_for_earlier_time(booking=early)
    cancel_booking(booking=alice, by_client=True)
    assert not EarlierTimeNotice.objects.exists()


def test_nobody_is_told_of_a_time_inside_the_minimum_notice(alice, bob, studio):
    ask_for_earlier_time(booking=bob)
    studio.min_notice_minutes = 60 * 24 * 30
    studio.save()
    cancel_booking(booking=alice, by_client=False)
    assert not EarlierTimeNotice.objects.exists()


def test_a_client_who_asked_for_their_staff_member_is_not_told_of_anothers_time(massage, nina, book, monday):
    omar = f.staff_member("Omar")
    massage.staff.add(omar)
    with_omar = book(ALICE, "10:00", staff=omar)
    bob = book(BOB, "15:00", staff=nina)
    ask_for_earlier_time(booking=bob)
    cancel_booking(booking=with_omar, by_client=True)
    assert not EarlierTimeNotice.objects.exists()


def test_a_client_who_asked_for_anyone_moves_to_another_staff_members_time(massage, nina, book):
    omar = f.staff_member("Omar")
    massage.staff.add(omar)
    with_omar = book(ALICE, "10:00", staff=omar)
    bob = book(BOB, "15:00", staff=nina)
    ask_for_earlier_time(booking=bob, with_anyone=True)
    cancel_booking(booking=with_omar, by_client=True)
    moved = move_to_earlier_time(notice=EarlierTimeNotice.objects.get())
    assert moved.session.staff == omar
    assert moved.session.start.astimezone(PARIS).strftime("%H:%M") == "10:00"


def test_moving_there_reschedules_the_booking_and_gives_its_old_time_to_the_next_client(alice, bob, carla):
    ask_for_earlier_time(booking=bob)
    ask_for_earlier_time(booking=carla)
    cancel_booking(booking=alice, by_client=True)
    notice = EarlierTimeNotice.objects.get()
    moved = move_to_earlier_time(notice=notice)
    assert moved.session.start.astimezone(PARIS).strftime("%H:%M") == "10:00"
    notice.refresh_from_db()
    assert notice.status == "taken"
    assert EarlierTimeRequest.objects.get(booking=bob).status == "moved"
    assert OutgoingEmail.objects.filter(booking=bob, kind="reschedule").count() == 1
    assert _told(carla) == ["15:00"]


def test_a_notice_holds_nothing_the_first_to_book_gets_the_time_and_the_client_is_told(alice, bob, book):
    ask_for_earlier_time(booking=bob)
    cancel_booking(booking=alice, by_client=True)
    book(f.racer(5), "10:00")
    notice = EarlierTimeNotice.objects.get()
    with pytest.raises(EarlierTimeTaken):
        move_to_earlier_time(notice=notice)
    bob.refresh_from_db()
    assert bob.session.start.astimezone(PARIS).strftime("%H:%M") == "15:00"
    notice.refresh_from_db()
    assert notice.status == "gone"
    with pytest.raises(EarlierTimeTaken):
        move_to_earlier_time(notice=notice)
    assert EarlierTimeRequest.objects.get(booking=bob).status == "waiting"


def test_a_used_link_moves_nothing_the_second_time(alice, bob):
    ask_for_earlier_time(booking=bob)
    cancel_booking(booking=alice, by_client=True)
    notice = EarlierTimeNotice.objects.get()
    move_to_earlier_time(notice=notice)
    with pytest.raises(EarlierTimeClosed):
        move_to_earlier_time(notice=notice)


def test_stopping_withdraws_the_open_notice_and_gives_its_time_to_the_next_client(alice, bob, carla):
    ask_for_earlier_time(booking=bob)
    ask_for_earlier_time(booking=carla)
    cancel_booking(booking=alice, by_client=True)
    assert stop_earlier_time(booking=bob)
    assert not stop_earlier_time(booking=bob)
    assert EarlierTimeNotice.objects.get(request__booking=bob).status == "gone"
    assert _told(carla) == ["10:00"]
    with pytest.raises(EarlierTimeClosed):
        move_to_earlier_time(notice=EarlierTimeNotice.objects.get(request__booking=bob))


def test_a_cancelled_booking_stops_waiting_and_its_notice_goes_to_the_next_client(alice, bob, carla):
    ask_for_earlier_time(booking=bob)
    ask_for_earlier_time(booking=carla)
    cancel_booking(booking=alice, by_client=True)
    cancel_booking(booking=bob, by_client=True)
    assert EarlierTimeRequest.objects.get(booking=bob).status == "closed"
    assert _told(carla) == ["10:00"]


def test_asking_twice_keeps_one_wish_and_only_upcoming_appointments_may_ask(bob, nina, monday):
    first = ask_for_earlier_time(booking=bob)
    assert ask_for_earlier_time(booking=bob) == first
    with pytest.raises(IntegrityError), transaction.atomic():
        EarlierTimeRequest.objects.create(
            booking=bob, client=bob.client, service=bob.service, created_at=timezone.now()
        )
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=5)
    session = f.session(yoga, nina, f.local(monday, "18:00"))
    from bookings_app.services.bookings import book_class_seat

    seat = book_class_seat(session=session, details=ALICE)
    with pytest.raises(InvalidTransition):
        ask_for_earlier_time(booking=seat)
    with pytest.raises(InvalidTransition):
        ask_for_earlier_time(booking=bob, now=bob.session.start - timedelta(hours=1))


def test_a_slot_freed_twice_is_told_once(alice, bob, carla):
    ask_for_earlier_time(booking=bob)
    ask_for_earlier_time(booking=carla)
    cancel_booking(booking=alice, by_client=True)
    session = alice.session
    offer_freed_time(staff_id=session.staff_id, start=session.blocked_start, end=session.blocked_end)
    assert EarlierTimeNotice.objects.count() == 1
    assert len(_mails_to("bob@client.test")) == 1


def test_the_database_refuses_a_second_open_notice_for_one_slot(alice, bob, carla):
    ask_for_earlier_time(booking=bob)
    carla_wish = ask_for_earlier_time(booking=carla)
    cancel_booking(booking=alice, by_client=True)
    notice = EarlierTimeNotice.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        EarlierTimeNotice.objects.create(
            request=carla_wish,
            service=notice.service,
            staff=notice.staff,
            start=notice.start,
            end=notice.end,
            created_at=timezone.now(),
        )


def test_a_moved_booking_frees_its_old_time(bob, carla, monday):
    ask_for_earlier_time(booking=carla)
    reschedule_appointment(booking=bob, start=f.local(monday, "11:00"), by_client=True)
    assert _told(carla) == ["15:00"]


def test_time_off_taken_back_frees_its_span(nina, bob, monday):
    time_off = add_time_off(staff_member=nina, start=f.local(monday, "09:00"), end=f.local(monday, "12:00"))
    ask_for_earlier_time(booking=bob)
    remove_time_off(time_off=time_off)
    assert _told(bob) == ["09:00"]


def test_a_declined_request_frees_its_slot(nina, bob, book):
    therapy = f.service("Therapy", staff=[nina], requires_approval=True)
    request = book(ALICE, "10:00", service=therapy)
    ask_for_earlier_time(booking=bob)
    decline_request(booking=request, by=None)
    assert _told(bob) == ["10:00"]


def test_a_released_payment_hold_frees_its_slot(bob, book):
    held = book(ALICE, "10:00", hold_until=timezone.now() + timedelta(minutes=15))
    ask_for_earlier_time(booking=bob)
    assert release_hold(booking_id=held.pk, reason="expired")
    assert _told(bob) == ["10:00"]


def test_the_owner_can_switch_the_email_off(alice, bob):
    from bookings_app.models import BookingEmailSetting

    BookingEmailSetting.objects.create(kind="earlier_time", is_enabled=False)
    ask_for_earlier_time(booking=bob)
    cancel_booking(booking=alice, by_client=True)
    assert _told(bob) == ["10:00"]
    assert _mails_to("bob@client.test") == []
