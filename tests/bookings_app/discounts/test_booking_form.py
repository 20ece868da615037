"""The public booking form's "Discount code" field: refused with a message next to it and nothing
written, or taken off before the gift card and the online payment; shown on the confirmation."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Booking, DiscountCode, DiscountRedemption, OutgoingEmail, ServiceKind
from loyalty.models import Program
from loyalty.services import issue_gift_card
from tests import factories
from tests.support.discounts import code

pytestmark = pytest.mark.django_db


def _form(**fields) -> dict:
    return {
        "first_name": "Alice",
        "last_name": "Martin",
        "email": "alice@client.test",
        "request_key": "b" * 32,
        **fields,
    }


def _seat_url(session) -> str:
    return reverse("public:book_session", args=[session.service.slug, session.pk])


def test_the_field_shows_while_the_owner_has_a_code(client, yoga_session):
    assert "id_discount_code" not in client.get(_seat_url(yoga_session)).content.decode()
    code(code="SPRING")
    page = client.get(_seat_url(yoga_session)).content.decode()
    assert 'id="id_discount_code"' in page and "Discount code" in page


def test_the_field_is_not_offered_for_a_free_class_or_a_course(client, nina, welcome10):
    free = factories.service("Open day", kind=ServiceKind.CLASS, staff=[nina], capacity=8, price=Decimal("0"))
    session = factories.session(free, nina, timezone.now() + timedelta(days=2), capacity=8)
    assert "id_discount_code" not in client.get(_seat_url(session)).content.decode()
    course = factories.service("Pottery", kind=ServiceKind.COURSE, staff=[nina], price=Decimal("30"))
    factories.session(course, nina, timezone.now() + timedelta(days=5), capacity=8)
    page = client.get(reverse("public:enrol", args=[course.slug])).content.decode()
    assert "id_discount_code" not in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("NOPE", "This discount code does not exist."),
        ("x" * 33, "Ensure this value has at most 32 characters (it has 33)."),
    ],
)
def test_a_wrong_code_says_why_next_to_the_field_and_books_nothing(
    client, yoga_session, welcome10, typed, message
):
    response = client.post(_seat_url(yoga_session), _form(discount_code=typed))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_discount_code_error"' in page and message in page.replace("&#x27;", "'")
    assert not Booking.objects.exists() and not DiscountRedemption.objects.exists()
    welcome10.refresh_from_db()
    yoga_session.refresh_from_db()
    assert welcome10.uses == 0 and yoga_session.seats_taken == 0


def test_a_used_up_code_says_so(client, yoga_session):
    code(code="GONE", max_uses=1)
    DiscountCode.objects.filter(code="GONE").update(uses=1)
    response = client.post(_seat_url(yoga_session), _form(discount_code="gone"))
    assert response.status_code == 400
    assert "This discount code has been used up." in response.content.decode()


@pytest.mark.parametrize(
    "typed", ["-10", "999999999999999999999", "1e309", "NaN", "' OR 1=1 --", "١٠", "\x00"]
)
def test_odd_input_never_breaks_the_form(client, yoga_session, welcome10, typed):
    response = client.post(_seat_url(yoga_session), _form(discount_code=typed))
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_the_confirmation_shows_the_code_and_what_it_took_off(client, yoga_session, welcome10, olivia):
    response = client.post(_seat_url(yoga_session), _form(discount_code="welcome10"))
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert "Discount" in page and "−2.00 EUR" in page and "WELCOME10" in page
    assert '18.00 EUR</bdi> <span class="muted">(instead of <bdi>20.00 EUR</bdi>)' in page
    booking = Booking.objects.get()
    assert booking.price == Decimal("18.00")
    client.force_login(olivia)
    owner_page = client.get(reverse("dashboard:booking", args=[booking.pk])).content.decode()
    assert "−2.00 EUR" in owner_page and "WELCOME10" in owner_page and "18.00 EUR" in owner_page


def test_the_discount_comes_before_the_gift_card(client, yoga_session, welcome10, olivia):
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True})
    card = issue_gift_card(value=Decimal("10.00"), by=olivia)
    response = client.post(
        _seat_url(yoga_session), _form(discount_code="welcome10", gift_card_code=card.code)
    )
    assert response.status_code == 303
    booking = Booking.objects.get()
    assert (booking.price, booking.prepaid_amount, booking.due_in_person) == (
        Decimal("18.00"),
        Decimal("10.00"),
        Decimal("8.00"),
    )


def test_a_refused_gift_card_gives_the_code_back(client, yoga_session, welcome10):
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True})
    response = client.post(
        _seat_url(yoga_session), _form(discount_code="welcome10", gift_card_code="ABCD-EFGH-JKLM-NPQR")
    )
    assert response.status_code == 400
    welcome10.refresh_from_db()
    assert welcome10.uses == 0 and not Booking.objects.exists()


def test_a_class_paid_online_asks_the_discounted_price(client, pilates_session, welcome10):
    response = client.post(_seat_url(pilates_session), _form(discount_code="WELCOME10"))
    assert response.status_code == 303
    assert Booking.objects.get().payments.get().amount == Decimal("36.00")


def test_the_confirmation_email_names_the_code_and_its_discount(client, yoga_session, welcome10, as_sent):
    client.post(_seat_url(yoga_session), _form(discount_code="welcome10"))
    email = as_sent(OutgoingEmail.objects.get(kind="confirmation"))
    assert "Discount code WELCOME10: −\u20682.00 EUR\u2069" in email.body_text
    assert "Discount code WELCOME10" in email.body_html
