"""A service's payment policy: in person, online in full or a deposit; never with approval."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from bookings_app.models import PaymentPolicy, Service, ServiceKind
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, olivia):
    client.force_login(olivia)
    return client


def _details(**fields) -> dict:
    return {
        "name": "Massage",
        "slug": "massage",
        "duration_minutes": 60,
        "price": "80",
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "is_online": "on",
        **fields,
    }


def test_a_new_service_is_paid_in_person():
    assert factories.service("Massage").payment_policy == PaymentPolicy.IN_PERSON


def test_the_database_refuses_online_payment_with_approval():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.service("Massage", requires_approval=True, payment_policy=PaymentPolicy.FULL)


def test_the_database_refuses_a_deposit_without_amount_or_with_both():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.service("Massage", payment_policy=PaymentPolicy.DEPOSIT)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.service(
            "Massage", payment_policy=PaymentPolicy.DEPOSIT, deposit_amount=Decimal("10"), deposit_percent=30
        )


def test_the_owner_sets_a_30_percent_deposit(owner_client):
    massage = factories.service("Massage")
    response = owner_client.post(
        reverse("dashboard:service", args=[massage.pk]),
        _details(payment_policy="deposit", deposit_percent="30", refund_policy="deposit_kept"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    massage.refresh_from_db()
    assert (massage.payment_policy, massage.deposit_percent, massage.refund_policy) == (
        "deposit",
        30,
        "deposit_kept",
    )


def test_the_form_says_why_a_service_needing_approval_cannot_take_payment(owner_client):
    massage = factories.service("Massage", requires_approval=True)
    response = owner_client.post(
        reverse("dashboard:service", args=[massage.pk]), _details(payment_policy="full")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "need your approval" in errors["payment_policy"][0]
    massage.refresh_from_db()
    assert massage.payment_policy == PaymentPolicy.IN_PERSON


def test_the_form_asks_for_the_deposit_next_to_its_field(owner_client):
    massage = factories.service("Massage")
    response = owner_client.post(
        reverse("dashboard:service", args=[massage.pk]), _details(payment_policy="deposit")
    )
    assert response.status_code == 400
    assert "deposit_amount" in response.context["form"].errors
    assert "field-error" in response.content.decode()


def test_a_course_is_paid_in_person(owner_client):
    course = factories.service("Course", kind=ServiceKind.COURSE, capacity=6)
    response = owner_client.post(
        reverse("dashboard:service", args=[course.pk]),
        _details(name="Course", slug="course", capacity=6, payment_policy="full"),
    )
    assert response.status_code == 400
    assert "payment_policy" in response.context["form"].errors


def test_approval_is_refused_while_the_service_takes_payment_online():
    from bookings_app.services.catalog import CatalogError
    from bookings_app.services.catalog_approval import save_approval_settings

    massage = factories.service("Massage", payment_policy=PaymentPolicy.FULL)
    with pytest.raises(CatalogError):
        save_approval_settings(
            service=massage,
            requires_approval=True,
            shared_requests=False,
            approval_notice_hours=None,
            decline_overlapping_requests=False,
            overlap_decline_message="",
            request_reminder_hours=24,
        )
    assert not Service.objects.get(pk=massage.pk).requires_approval
