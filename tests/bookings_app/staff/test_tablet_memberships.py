"""The tablet and memberships: a walk-in found by search can be seated with their membership
(its limit per week or month and its freezes hold), and a row paid with one shows the sessions
it pays for that week or month, or "unlimited"."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from bookings_app.models import Attendance, Booking, PaymentMethod, PlanCreditUse, ServiceKind
from bookings_app.services.memberships import freeze_membership
from bookings_app.services.plans import PlanCreditRefused
from bookings_app.services.walk_ins import add_walk_in
from tests import factories
from tests.support.memberships import member, membership_plan


def _today():
    return timezone.localdate(timezone=factories.business().tz)


@pytest.fixture
def sam_member(sam):
    factories.business()
    member_ = factories.staff_member("Sam")
    member_.user = sam
    member_.save()
    return member_


@pytest.fixture
def yoga(sam_member):
    return factories.service("Yoga", kind=ServiceKind.CLASS, staff=[sam_member], capacity=4, price=20)


@pytest.fixture
def yoga_today(yoga, sam_member):
    """Sam's yoga class today at 18:00 with four seats."""
    return factories.session(yoga, sam_member, factories.local(_today(), "18:00"))


@pytest.fixture
def morning_yoga(yoga, sam_member):
    return factories.session(yoga, sam_member, factories.local(_today(), "07:00"))


@pytest.fixture
def bob():
    return factories.client("Bob", last_name="Stone")


@pytest.fixture
def twice_a_week(yoga):
    return membership_plan([yoga], name="Twice a week", sessions_per_period=2)


@pytest.fixture
def bobs_membership(twice_a_week, bob):
    return member(twice_a_week, bob, now=timezone.now())


def _search(client, session, query="bob"):
    return client.get(f"/staff/sessions/{session.pk}/clients/", {"q": query}).content.decode()


def test_the_search_offers_a_found_clients_membership_with_the_sessions_left_this_week(
    client, sam, yoga_today, morning_yoga, bobs_membership
):
    add_walk_in(
        session=morning_yoga, client=bobs_membership.client, client_plan_id=bobs_membership.pk, by=sam
    )
    client.force_login(sam)
    page = _search(client, yoga_today)
    assert 'name="client_plan"' in page and f'value="{bobs_membership.pk}"' in page
    assert "Use the membership “<bdi>Twice a week</bdi>”" in page
    assert "1 of 2 left this week" in page
    assert "Pay as usual" in page


def test_an_unlimited_membership_is_offered_as_unlimited(client, sam, yoga, yoga_today, bob):
    member(membership_plan([yoga], name="Unlimited"), bob, now=timezone.now())
    client.force_login(sam)
    page = _search(client, yoga_today)
    assert "Use the membership “<bdi>Unlimited</bdi>”" in page and ">Unlimited<" in page


def test_a_membership_with_no_session_left_this_week_is_not_offered(
    client, sam, yoga_today, morning_yoga, sam_member, bobs_membership
):
    noon = factories.session(yoga_today.service, sam_member, factories.local(_today(), "12:00"))
    for session in (morning_yoga, noon):
        add_walk_in(session=session, client=bobs_membership.client, client_plan_id=bobs_membership.pk, by=sam)
    client.force_login(sam)
    page = _search(client, yoga_today)
    assert 'name="client_plan"' not in page
    assert "Membership “<bdi>Twice a week</bdi>” cannot be used" in page
    assert "No sessions left this week" in page


def test_a_frozen_membership_is_not_offered(client, sam, yoga_today, bobs_membership):
    tz = factories.business().tz
    midnight = datetime.combine(_today(), time.min, tzinfo=tz)
    freeze_membership(
        membership=bobs_membership,
        starts_at=midnight,
        ends_at=midnight + timedelta(days=1),
        now=timezone.now(),
    )
    client.force_login(sam)
    page = _search(client, yoga_today)
    assert 'name="client_plan"' not in page
    assert "Membership “<bdi>Twice a week</bdi>” cannot be used" in page
    assert "Frozen on that day" in page


def test_a_walk_in_with_a_membership_is_paid_by_it_and_checked_in(client, sam, yoga_today, bobs_membership):
    client.force_login(sam)
    response = client.post(f"/staff/sessions/{yoga_today.pk}/walk-in/", {"client_plan": bobs_membership.pk})
    assert response.status_code == 200
    booking = Booking.objects.get(client=bobs_membership.client)
    assert (booking.attendance, booking.payment_method) == (Attendance.CHECKED_IN, PaymentMethod.PLAN)
    assert PlanCreditUse.objects.get(booking=booking).client_plan_id == bobs_membership.pk
    assert "Membership <bdi>Twice a week</bdi> · 1 of 2 this week" in response.content.decode()


def test_the_row_of_a_booking_paid_with_an_unlimited_membership_says_unlimited(
    client, sam, yoga, yoga_today, bob
):
    unlimited = member(membership_plan([yoga], name="Unlimited"), bob, now=timezone.now())
    add_walk_in(session=yoga_today, client=bob, client_plan_id=unlimited.pk, by=sam)
    client.force_login(sam)
    page = client.get("/staff/").content.decode()
    assert "Membership <bdi>Unlimited</bdi> · unlimited" in page


def test_the_row_counts_the_sessions_of_the_bookings_week_only(
    client, sam, yoga_today, morning_yoga, sam_member, bobs_membership
):
    next_week = factories.session(
        yoga_today.service, sam_member, factories.local(_today() + timedelta(days=7), "18:00")
    )
    for session in (morning_yoga, next_week):
        add_walk_in(session=session, client=bobs_membership.client, client_plan_id=bobs_membership.pk, by=sam)
    client.force_login(sam)
    page = client.get("/staff/").content.decode()
    assert page.count("Membership <bdi>Twice a week</bdi> · 1 of 2 this week") == 1


def test_a_walk_in_past_the_weeks_limit_books_nobody_and_says_why(
    client, sam, yoga_today, morning_yoga, sam_member, bobs_membership
):
    noon = factories.session(yoga_today.service, sam_member, factories.local(_today(), "12:00"))
    for session in (morning_yoga, noon):
        add_walk_in(session=session, client=bobs_membership.client, client_plan_id=bobs_membership.pk, by=sam)
    client.force_login(sam)
    response = client.post(f"/staff/sessions/{yoga_today.pk}/walk-in/", {"client_plan": bobs_membership.pk})
    assert response.status_code == 409
    assert "no sessions left that week" in response.content.decode()
    assert not Booking.objects.filter(session=yoga_today).exists()


def test_a_walk_in_with_a_frozen_membership_books_nobody(client, sam, yoga_today, bobs_membership):
    tz = factories.business().tz
    midnight = datetime.combine(_today(), time.min, tzinfo=tz)
    freeze_membership(
        membership=bobs_membership,
        starts_at=midnight,
        ends_at=midnight + timedelta(days=1),
        now=timezone.now(),
    )
    client.force_login(sam)
    response = client.post(f"/staff/sessions/{yoga_today.pk}/walk-in/", {"client_plan": bobs_membership.pk})
    assert response.status_code == 409
    assert "frozen" in response.content.decode()
    assert not Booking.objects.exists()


def test_another_clients_membership_is_refused(client, sam, yoga_today, bobs_membership):
    zoe = factories.client("Zoe")
    client.force_login(sam)
    response = client.post(
        f"/staff/sessions/{yoga_today.pk}/walk-in/", {"client": zoe.pk, "client_plan": bobs_membership.pk}
    )
    assert response.status_code == 400
    assert "another client" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_membership_pays_at_the_door_for_a_session_that_has_started(sam, yoga, sam_member, bobs_membership):
    started = factories.session(yoga, sam_member, timezone.now() - timedelta(minutes=10))
    booking = add_walk_in(
        session=started, client=bobs_membership.client, client_plan_id=bobs_membership.pk, by=sam
    )
    assert booking.payment_method == PaymentMethod.PLAN


def test_a_lapsed_membership_pays_for_nothing_at_the_door(sam, yoga_today, bobs_membership):
    bobs_membership.status = "lapsed"
    bobs_membership.save(update_fields=["status"])
    with pytest.raises(PlanCreditRefused):
        add_walk_in(
            session=yoga_today, client=bobs_membership.client, client_plan_id=bobs_membership.pk, by=sam
        )
    assert not Booking.objects.exists()
