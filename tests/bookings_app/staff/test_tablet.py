"""The staff tablet: today's sessions, check-in, no-show and undo, and who may do what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.models import (
    Attendance,
    Booking,
    Client,
    DomainEvent,
    EventKind,
    Label,
    PaymentMethod,
    ServiceKind,
)
from bookings_app.services.checkout import record_prepayment
from tests import factories

TODAY_URL = "/staff/"


def _today():
    return timezone.localdate(timezone=factories.business().tz)


@pytest.fixture
def sam_member(sam):
    """Sam's staff-member record, linked to his account, in Studio Lumen."""
    factories.business()
    member = factories.staff_member("Sam")
    member.user = sam
    member.save()
    return member


@pytest.fixture
def yoga_today(sam_member):
    """Sam's yoga class today at 18:00 (business time) with alice and bob booked."""
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, staff=[sam_member], capacity=10)
    session = factories.session(yoga, sam_member, factories.local(_today(), "18:00"))
    alice, bob = factories.client("Alice", phone="+33 6 12 34 56 78"), factories.client("Bob")
    alice.labels.add(Label.objects.create(name="VIP"))
    factories.booking(session, alice)
    factories.booking(session, bob, paid_at=timezone.now())
    session.refresh_from_db()
    return session


def _booking_of(session, first_name: str) -> Booking:
    return session.bookings.get(client__first_name=first_name)


# -- who may open the tablet --


@pytest.mark.parametrize(("person", "status"), [("carla", 403), ("sam", 200), ("olivia", 200)])
def test_it_opens_the_tablet_to_staff_and_owners_only(client, request, person, status):
    client.force_login(request.getfixturevalue(person))
    assert client.get(TODAY_URL).status_code == status


def test_it_sends_anonymous_visitors_to_the_sign_in(client, db):
    response = client.get(TODAY_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/dashboard/login/")


@pytest.mark.parametrize("action", ["check-in", "no-show", "undo"])
@pytest.mark.parametrize(("person", "status"), [(None, 302), ("carla", 403), ("sam", 200), ("olivia", 200)])
def test_it_lets_only_the_team_record_attendance(client, request, yoga_today, action, person, status):
    if person:
        client.force_login(request.getfixturevalue(person))
    booking = _booking_of(yoga_today, "Alice")
    response = client.post(f"/staff/bookings/{booking.pk}/{action}/")
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/dashboard/login/")


def test_it_keeps_the_tablet_signed_in_for_a_month(client, sam):
    client.force_login(sam)
    client.get(TODAY_URL)
    assert client.session.get_expiry_age() == 60 * 60 * 24 * 30


# -- what the day shows --


def test_it_shows_sams_class_with_its_roster(client, sam, yoga_today):
    client.force_login(sam)
    page = client.get(TODAY_URL).content.decode()
    assert "Yoga" in page and "18:00" in page
    assert "Alice" in page and "Bob" in page
    assert "+33 6 12 34 56 78" in page
    assert "VIP" in page
    assert "2 of 10 seats taken" in page
    assert page.count("First visit") == 2
    assert "Paid" in page and "Not paid" in page


def test_it_shows_what_is_left_to_pay_when_a_gift_card_paid_part(client, sam, yoga_today):
    alice = _booking_of(yoga_today, "Alice")
    Booking.objects.filter(pk=alice.pk).update(price=Decimal("20.00"))
    record_prepayment(booking=alice, amount=Decimal("15.00"), method=PaymentMethod.GIFT_CARD)
    client.force_login(sam)

    page = client.get(TODAY_URL).content.decode()

    assert "5.00 EUR to pay" in page and "Not paid" not in page


def test_it_shows_a_staff_member_only_their_own_sessions(client, sam, yoga_today):
    nina = factories.staff_member("Nina")
    pilates = factories.service("Pilates", kind=ServiceKind.CLASS, staff=[nina], capacity=5)
    factories.session(pilates, nina, factories.local(_today(), "10:00"))
    client.force_login(sam)
    page = client.get(TODAY_URL).content.decode()
    assert "Yoga" in page and "Pilates" not in page


def test_it_shows_the_owner_everyone_with_a_chip_per_staff_member(client, olivia, yoga_today):
    nina = factories.staff_member("Nina")
    pilates = factories.service("Pilates", kind=ServiceKind.CLASS, staff=[nina], capacity=5)
    factories.session(pilates, nina, factories.local(_today(), "10:00"))
    client.force_login(olivia)
    page = client.get(TODAY_URL).content.decode()
    assert "Yoga" in page and "Pilates" in page
    assert page.index("Pilates") < page.index("Yoga"), "sessions are ordered by time"
    assert f"staff={nina.pk}" in page
    only_nina = client.get(TODAY_URL, {"staff": nina.pk}).content.decode()
    assert "Pilates" in only_nina and "Yoga" not in only_nina


def test_it_tells_a_staff_user_without_a_staff_member_why_the_day_is_empty(client, sam, db):
    client.force_login(sam)
    assert "not linked to a staff member" in client.get(TODAY_URL).content.decode()


def test_it_switches_day_with_the_date_parameter(client, sam, yoga_today):
    client.force_login(sam)
    tomorrow = _today() + timedelta(days=1)
    page = client.get(TODAY_URL, {"date": tomorrow.isoformat()}).content.decode()
    assert "Yoga" not in page
    assert "No sessions on this day." in page


def test_it_answers_htmx_with_the_day_only(client, sam, yoga_today):
    client.force_login(sam)
    response = client.get(TODAY_URL, {"date": _today().isoformat()}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert 'id="tablet-day"' in page and "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_it_falls_back_to_today_for_a_date_it_cannot_read(client, sam, yoga_today):
    client.force_login(sam)
    assert "Yoga" in client.get(TODAY_URL, {"date": "tomorrow-ish"}).content.decode()


def test_it_drops_the_first_visit_badge_once_the_client_has_been_before(client, sam, yoga_today, sam_member):
    alice = _booking_of(yoga_today, "Alice").client
    earlier = factories.session(yoga_today.service, sam_member, yoga_today.start - timedelta(days=7))
    factories.booking(earlier, alice, attendance=Attendance.CHECKED_IN, attendance_at=timezone.now())
    client.force_login(sam)
    assert client.get(TODAY_URL).content.decode().count("First visit") == 1


def test_it_highlights_the_session_running_now(client, sam, sam_member):
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, staff=[sam_member], capacity=10)
    factories.session(yoga, sam_member, factories.started_today(minutes=10))
    client.force_login(sam)
    response = client.get(TODAY_URL, {"date": _today().isoformat()})
    assert "session-card--now" in response.content.decode()


# -- tapping --


def test_it_checks_a_client_in_and_answers_with_the_row(client, sam, yoga_today):
    booking = _booking_of(yoga_today, "Alice")
    client.force_login(sam)
    response = client.post(f"/staff/bookings/{booking.pk}/check-in/", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.strip().startswith(f'<li class="roster-row roster-row--checked_in" id="booking-{booking.pk}"')
    assert "Undo" in page
    booking.refresh_from_db()
    assert booking.attendance == Attendance.CHECKED_IN and booking.attendance_by == sam


def test_it_checks_in_once_when_tapped_twice(client, sam, yoga_today):
    booking = _booking_of(yoga_today, "Alice")
    client.force_login(sam)
    client.post(f"/staff/bookings/{booking.pk}/check-in/")
    second = client.post(f"/staff/bookings/{booking.pk}/check-in/")
    assert second.status_code == 200
    assert DomainEvent.objects.filter(kind=EventKind.CHECKED_IN, booking=booking).count() == 1


def test_it_marks_a_no_show_then_undoes_it(client, sam, yoga_today):
    booking = _booking_of(yoga_today, "Bob")
    client.force_login(sam)
    page = client.post(f"/staff/bookings/{booking.pk}/no-show/").content.decode()
    assert "roster-row--no_show" in page
    page = client.post(f"/staff/bookings/{booking.pk}/undo/").content.decode()
    assert "Check in" in page
    booking.refresh_from_db()
    assert booking.attendance == ""


def test_it_refuses_a_check_in_over_a_no_show_with_a_409(client, sam, yoga_today):
    booking = _booking_of(yoga_today, "Bob")
    client.force_login(sam)
    client.post(f"/staff/bookings/{booking.pk}/no-show/")
    response = client.post(f"/staff/bookings/{booking.pk}/check-in/")
    assert response.status_code == 409
    assert "cannot be changed" in response.content.decode()


def test_it_hides_other_staff_members_bookings_from_sam(client, sam, yoga_today):
    nina = factories.staff_member("Nina")
    pilates = factories.service("Pilates", kind=ServiceKind.CLASS, staff=[nina], capacity=5)
    session = factories.session(pilates, nina, factories.local(_today(), "10:00"))
    booking = factories.booking(session, factories.client("Dana"))
    client.force_login(sam)
    assert client.post(f"/staff/bookings/{booking.pk}/check-in/").status_code == 404
    booking.refresh_from_db()
    assert booking.attendance == ""


def test_it_lets_the_owner_check_in_anyone(client, olivia, yoga_today):
    booking = _booking_of(yoga_today, "Alice")
    client.force_login(olivia)
    assert client.post(f"/staff/bookings/{booking.pk}/check-in/").status_code == 200


def test_it_refuses_a_get_on_a_tap(client, sam, yoga_today):
    client.force_login(sam)
    assert client.get(f"/staff/bookings/{_booking_of(yoga_today, 'Alice').pk}/check-in/").status_code == 405


# -- query counts --


def _fill_day(member, *, sessions: int, per_session: int) -> None:
    """``sessions`` classes today, each with ``per_session`` labelled clients booked (bulk inserts)."""
    yoga = factories.service(
        "Yoga", kind=ServiceKind.CLASS, staff=[member], capacity=per_session + 1, duration_minutes=30
    )
    regular = Label.objects.create(name="Regular")
    for index in range(sessions):
        start = factories.local(_today(), "07:00") + timedelta(minutes=40 * index)
        session = factories.session(yoga, member, start)
        clients = Client.objects.bulk_create(
            [
                Client(first_name=f"Client {index}-{number}", email=f"c{index}-{number}@client.test")
                for number in range(per_session)
            ]
        )
        Booking.objects.bulk_create(
            [
                Booking(
                    session=session,
                    service=yoga,
                    client=person,
                    price=Decimal("10"),
                    code=f"T{index}-{number}",
                )
                for number, person in enumerate(clients)
            ]
        )
        regular.clients.add(*clients)


DAY_QUERIES = {"sam": 12, "olivia": 12}  # with the day's waitlists, one query


@pytest.mark.parametrize("person", ["sam", "olivia"])
@pytest.mark.parametrize(("sessions", "per_session"), [(1, 1), (20, 10)])
def test_it_makes_the_same_number_of_queries_for_a_quiet_and_a_busy_day(
    client, request, sam_member, django_assert_num_queries, person, sessions, per_session
):
    _fill_day(sam_member, sessions=sessions, per_session=per_session)
    client.force_login(request.getfixturevalue(person))
    with django_assert_num_queries(DAY_QUERIES[person]):
        page = client.get(TODAY_URL).content
    assert page.count(b"roster-row__check-in") == sessions * per_session
