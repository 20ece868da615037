"""The tablet and class packs: a row shows the pack that paid and its credits left; a walk-in
found by search can be seated with their pack."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.models import Attendance, Booking, ClientPlan, PaymentMethod, PlanCreditUse, ServiceKind
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.plans import PlanCreditRefused, give_plan, save_plan, use_credit
from bookings_app.services.walk_ins import add_walk_in
from tests import factories


def _today():
    return timezone.localdate(timezone=factories.business().tz)


@pytest.fixture
def sam_member(sam):
    factories.business()
    member = factories.staff_member("Sam")
    member.user = sam
    member.save()
    return member


@pytest.fixture
def yoga_today(sam_member):
    """Sam's yoga class today at 18:00 with four seats."""
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, staff=[sam_member], capacity=4, price=20)
    return factories.session(yoga, sam_member, factories.local(_today(), "18:00"))


@pytest.fixture
def ten_classes(yoga_today):
    return save_plan(
        services=[yoga_today.service],
        name="10 classes",
        description="",
        credits=10,
        valid_days=90,
        valid_from="purchase",
        price=Decimal("150.00"),
        currency="EUR",
        one_per_client=False,
        no_show_forfeits=True,
    )


@pytest.fixture
def bobs_pack(ten_classes):
    bob = factories.client("Bob", last_name="Stone")
    pack = give_plan(plan=ten_classes, client=bob)
    ClientPlan.objects.filter(pk=pack.pk).update(credits_used=3)
    return pack


def test_a_booking_paid_with_a_pack_shows_the_pack_and_credits_left(client, sam, yoga_today, bobs_pack):
    details = ClientDetails(email=bobs_pack.client.email, first_name="Bob")
    book_and_pay(
        # Booked the day before: today's class may already have begun when the suite runs.
        book=lambda: book_class_seat(
            session=yoga_today, details=details, now=yoga_today.start - timedelta(days=1)
        ),
        pay=lambda bookings: use_credit(client_plan_id=bobs_pack.pk, bookings=bookings),
    )
    client.force_login(sam)
    page = client.get("/staff/").content.decode()
    assert "<bdi>10 classes</bdi> · 6 left" in page
    assert "badge--plan" in page and ">Paid<" not in page


def test_the_search_offers_a_found_clients_fitting_pack(client, sam, yoga_today, bobs_pack):
    factories.client("Bobby", last_name="Nopack")
    client.force_login(sam)
    page = client.get(f"/staff/sessions/{yoga_today.pk}/clients/", {"q": "bob"}).content.decode()
    assert page.count('name="client_plan"') == 1
    assert f'value="{bobs_pack.pk}"' in page and "7 credits left" in page
    assert "Pay as usual" in page


def test_a_used_up_or_ended_pack_is_not_offered(client, sam, yoga_today, bobs_pack):
    ClientPlan.objects.filter(pk=bobs_pack.pk).update(credits_used=10)
    client.force_login(sam)
    page = client.get(f"/staff/sessions/{yoga_today.pk}/clients/", {"q": "bob"}).content.decode()
    assert 'name="client_plan"' not in page


def test_a_walk_in_with_a_pack_uses_one_credit_and_is_checked_in(client, sam, yoga_today, bobs_pack):
    client.force_login(sam)
    response = client.post(f"/staff/sessions/{yoga_today.pk}/walk-in/", {"client_plan": bobs_pack.pk})
    assert response.status_code == 200
    booking = Booking.objects.get(client=bobs_pack.client)
    assert booking.attendance == Attendance.CHECKED_IN
    assert booking.payment_method == PaymentMethod.PLAN
    bobs_pack.refresh_from_db()
    assert bobs_pack.credits_used == 4
    assert PlanCreditUse.objects.get(booking=booking).client_plan_id == bobs_pack.pk
    assert "<bdi>10 classes</bdi> · 6 left" in response.content.decode()


def test_a_walk_in_with_a_used_up_pack_books_nobody_and_says_why(client, sam, yoga_today, bobs_pack):
    ClientPlan.objects.filter(pk=bobs_pack.pk).update(credits_used=10)
    client.force_login(sam)
    response = client.post(f"/staff/sessions/{yoga_today.pk}/walk-in/", {"client_plan": bobs_pack.pk})
    assert response.status_code == 409
    assert "no credits left" in response.content.decode()
    assert not Booking.objects.exists()


def test_another_clients_pack_is_refused(client, sam, yoga_today, bobs_pack):
    zoe = factories.client("Zoe")
    client.force_login(sam)
    response = client.post(
        f"/staff/sessions/{yoga_today.pk}/walk-in/", {"client": zoe.pk, "client_plan": bobs_pack.pk}
    )
    assert response.status_code == 400
    assert "another client" in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize("value", ["x", "-1", "999999", "1e9", "", " ", "1;DROP", "\x00"])
def test_bad_pack_values_get_a_reason_never_a_500(client, sam, yoga_today, bobs_pack, value):
    client.force_login(sam)
    response = client.post(f"/staff/sessions/{yoga_today.pk}/walk-in/", {"client_plan": value})
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_the_service_refuses_a_pack_for_another_service(sam, yoga_today, bobs_pack, sam_member):
    pilates = factories.service("Pilates", kind=ServiceKind.CLASS, staff=[sam_member], capacity=4)
    session = factories.session(pilates, sam_member, factories.local(_today(), "19:00"))
    with pytest.raises(PlanCreditRefused):
        add_walk_in(session=session, client=bobs_pack.client, client_plan_id=bobs_pack.pk, by=sam)
    assert not Booking.objects.exists()
