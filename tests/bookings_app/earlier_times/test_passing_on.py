"""An earlier time nobody uses is passed on: after EARLIER_TIME_NOTICE_HOURS the next client
waiting is told, never the one it was passed on from, whose link then says so."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.models import EarlierNoticeStatus, EarlierTimeNotice, OutgoingEmail
from bookings_app.services.changes import cancel_booking
from bookings_app.services.earlier_time_moves import (
    EarlierTimePassedOn,
    ask_for_earlier_time,
    move_to_earlier_time,
)
from bookings_app.services.earlier_times import pass_on_unused_notices
from tests.support.races import race

pytestmark = pytest.mark.django_db


def _later(hours: float):
    return timezone.now() + timedelta(hours=hours)


@pytest.fixture
def told_bob(alice, bob, carla):
    """Bob, then Carla, asked for an earlier time; Alice's 10:00 freed up and Bob was told."""
    ask_for_earlier_time(booking=bob)
    ask_for_earlier_time(booking=carla)
    cancel_booking(booking=alice, by_client=True)
    [notice] = EarlierTimeNotice.objects.all()
    assert notice.request.booking == bob
    return notice


def test_an_unused_time_goes_to_the_next_client_after_the_notice_hours(told_bob, carla, settings):
    settings.EARLIER_TIME_NOTICE_HOURS = 2
    assert pass_on_unused_notices(now=_later(1.5)) == 0

    assert pass_on_unused_notices(now=_later(2.1)) == 1

    told_bob.refresh_from_db()
    assert told_bob.status == EarlierNoticeStatus.PASSED_ON
    carlas = EarlierTimeNotice.objects.get(status=EarlierNoticeStatus.SENT)
    assert (carlas.request.booking, carlas.start) == (carla, told_bob.start)
    assert OutgoingEmail.objects.filter(kind="earlier_time", to=carla.client.email).count() == 1


def test_the_first_clients_link_says_the_time_went_to_the_next_client(told_bob):
    pass_on_unused_notices(now=_later(3))
    with pytest.raises(EarlierTimePassedOn):
        move_to_earlier_time(notice=told_bob)


def test_it_is_never_passed_back_to_a_client_it_was_passed_on_from(told_bob):
    pass_on_unused_notices(now=_later(3))
    pass_on_unused_notices(now=_later(6))

    assert EarlierTimeNotice.objects.filter(request__booking=told_bob.request.booking).count() == 1
    assert not EarlierTimeNotice.objects.filter(status=EarlierNoticeStatus.SENT).exists()


def test_a_time_already_past_is_not_passed_on(told_bob):
    assert pass_on_unused_notices(now=told_bob.start + timedelta(minutes=1)) == 0
    told_bob.refresh_from_db()
    assert told_bob.status == EarlierNoticeStatus.SENT


def test_the_e_mail_says_how_long_the_client_has_alone(told_bob, settings):
    email = OutgoingEmail.objects.get(kind="earlier_time")
    assert "If you have not moved within 2 hours, we tell the next client waiting." in email.body_text


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_pass_a_time_on_once(alice, bob, carla):
    ask_for_earlier_time(booking=bob)
    ask_for_earlier_time(booking=carla)
    cancel_booking(booking=alice, by_client=True)

    passed = race(lambda _: pass_on_unused_notices(now=_later(3)), range(6))

    assert sum(passed) == 1
    assert EarlierTimeNotice.objects.filter(status=EarlierNoticeStatus.SENT).count() == 1
    assert OutgoingEmail.objects.filter(kind="earlier_time").count() == 2
