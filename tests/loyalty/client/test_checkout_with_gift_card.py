"""The public booking form's "Gift card code": it pays in full or in part, or nothing is booked."""

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.test import Client as Browser
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Booking, BookingStatus, DomainEvent, EventKind, OutgoingEmail, PaymentMethod
from bookings_app.services.changes import cancel_booking
from loyalty.models import GiftCard, GiftCardRedemption, Program
from loyalty.services import issue_gift_card
from loyalty.tasks import settle_cancelled_booking
from tests import factories as f

pytestmark = pytest.mark.django_db
MONDAY = f.next_weekday(0, after=date.today() + timedelta(days=2))
FIELD = "gift_card_code"


@pytest.fixture
def class_session(yoga, nina):
    """Monday's yoga class, 20 EUR a seat."""
    return f.session(yoga, nina, f.local(MONDAY, "18:00"))


@pytest.fixture
def card(studio, olivia) -> GiftCard:
    """A 25 EUR card nobody owns: whoever holds the code may pay with it."""
    return issue_gift_card(value=Decimal("25.00"), by=olivia)


def as_read(text: str) -> str:
    """The text without the invisible marks that keep amounts whole in right-to-left text."""
    return text.replace("\u2068", "").replace("\u2069", "")


def alice_form(request_key: str = "a" * 32, **fields) -> dict:
    return {
        "first_name": "Alice",
        "last_name": "Martin",
        "email": "alice@client.test",
        "request_key": request_key,
        **fields,
    }


def seat_url(session) -> str:
    return reverse("public:book_session", args=[session.service.slug, session.pk])


def massage_url(massage, at: str = "10:00") -> str:
    start = f.local(MONDAY, at)
    return reverse("public:book", args=[massage.slug]) + "?" + urlencode({"start": start.isoformat()})


def test_it_offers_the_gift_card_field_while_the_program_is_on(program, client, class_session):
    assert f'name="{FIELD}"' in client.get(seat_url(class_session)).content.decode()


def test_it_drops_the_field_while_the_program_is_off(studio, client, class_session):
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": False})

    assert f'name="{FIELD}"' not in client.get(seat_url(class_session)).content.decode()


def test_it_pays_a_class_seat_in_full_and_keeps_the_rest_on_the_card(
    program, client, class_session, card, as_sent
):
    response = client.post(seat_url(class_session), alice_form(**{FIELD: card.display_code.lower()}))

    assert response.status_code == 303
    booking = Booking.objects.get()
    assert booking.prepaid_amount == Decimal("20.00") and booking.due_in_person == 0
    assert booking.paid_at is not None and booking.payment_method == PaymentMethod.GIFT_CARD
    card.refresh_from_db()
    assert card.remaining_value == Decimal("5.00")
    confirmation = client.get(response["Location"]).content.decode()
    assert "Paid online" in confirmation and "To pay in person" in confirmation
    assert "Nothing, it is all paid" in confirmation and ">0.00 EUR<" not in confirmation
    email = as_sent(OutgoingEmail.objects.get(kind="confirmation"))
    assert "Paid online (Gift card): 20.00 EUR" in as_read(email.body_text)
    assert "To pay in person" not in email.body_text


def test_it_pays_part_of_a_massage_and_leaves_the_rest_for_the_desk(program, client, massage, card, as_sent):
    response = client.post(massage_url(massage), alice_form(**{FIELD: card.code}))

    assert response.status_code == 303
    booking = Booking.objects.get()
    assert booking.prepaid_amount == Decimal("25.00") and booking.due_in_person == Decimal("25.00")
    assert booking.paid_at is None
    card.refresh_from_db()
    assert card.remaining_value == 0
    email = as_sent(OutgoingEmail.objects.get(kind="confirmation"))
    for body in (email.body_text, email.body_html):
        assert "Paid online (Gift card): 25.00 EUR" in as_read(body)
        assert "To pay in person: 25.00 EUR" in as_read(body)
    assert "\u206825.00 EUR\u2069" in email.body_text  # the amount stays before its currency in Hebrew


def test_it_books_without_a_code_as_before(program, client, class_session, as_sent):
    response = client.post(seat_url(class_session), alice_form(**{FIELD: ""}))

    assert response.status_code == 303
    assert Booking.objects.get().prepaid_amount == 0
    assert "Paid online" not in as_sent(OutgoingEmail.objects.get(kind="confirmation")).body_text


def test_it_refuses_an_unknown_code_next_to_the_field_and_books_nothing(program, client, class_session):
    response = client.post(seat_url(class_session), alice_form(**{FIELD: "ABCD-EFGH-JKLM-NPQR"}))

    assert response.status_code == 400
    assert response.context["form"].errors[FIELD] == [
        "This gift card code is not valid. Check it and try again."
    ]
    assert 'class="field-error"' in response.content.decode()
    assert not Booking.objects.exists()
    class_session.refresh_from_db()
    assert class_session.seats_taken == 0


def test_it_refuses_an_expired_card_and_books_nothing(program, client, class_session, card):
    GiftCard.objects.filter(pk=card.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.post(seat_url(class_session), alice_form(**{FIELD: card.code}))

    assert response.status_code == 400
    assert response.context["form"].errors[FIELD] == ["This gift card has expired."]
    assert not Booking.objects.exists() and not GiftCardRedemption.objects.exists()


def test_it_refuses_a_card_spent_in_full(program, client, class_session, card):
    GiftCard.objects.filter(pk=card.pk).update(remaining_value=0)

    response = client.post(seat_url(class_session), alice_form(**{FIELD: card.code}))

    assert response.status_code == 400
    assert response.context["form"].errors[FIELD] == ["This gift card has been spent in full."]
    assert not Booking.objects.exists()


def test_it_spends_the_card_once_when_the_form_is_sent_twice(program, client, class_session, card):
    client.post(seat_url(class_session), alice_form(**{FIELD: card.code}))
    again = client.post(seat_url(class_session), alice_form(**{FIELD: card.code}))

    assert again.status_code == 303
    assert Booking.objects.count() == 1 and GiftCardRedemption.objects.count() == 1
    card.refresh_from_db()
    assert card.remaining_value == Decimal("5.00")


def test_it_pays_a_course_session_by_session_until_the_card_runs_out(program, client, nina, card, as_sent):
    course = f.service("Pottery", kind="course", staff=[nina], capacity=6, price=Decimal("10.00"))
    for week in range(3):
        f.session(course, nina, f.local(MONDAY + timedelta(days=7 * week), "19:00"))

    response = client.post(reverse("public:enrol", args=[course.slug]), alice_form(**{FIELD: card.code}))

    assert response.status_code == 303
    paid = sorted(Booking.objects.values_list("prepaid_amount", flat=True))
    assert paid == [Decimal("5.00"), Decimal("10.00"), Decimal("10.00")]
    email = as_sent(OutgoingEmail.objects.get(kind="confirmation"))
    assert "Paid online (Gift card): 25.00 EUR\nTo pay in person: 5.00 EUR" in as_read(email.body_text)


def test_it_hides_the_field_for_a_service_that_needs_approval(program, client, massage):
    massage.requires_approval = True
    massage.save()

    page = client.get(massage_url(massage)).content.decode()

    assert "Request to book" in page and f'name="{FIELD}"' not in page


def test_it_refuses_a_forged_code_for_a_service_that_needs_approval(program, client, massage, card):
    massage.requires_approval = True
    massage.save()

    response = client.post(massage_url(massage), alice_form(**{FIELD: card.code}))

    assert response.status_code == 400
    assert "Clients cannot pay online for such a service." in response.content.decode()
    assert not Booking.objects.exists()
    card.refresh_from_db()
    assert card.remaining_value == card.initial_value


def test_it_returns_the_amount_to_the_card_when_the_booking_is_cancelled(
    program, client, class_session, card
):
    client.post(seat_url(class_session), alice_form(**{FIELD: card.code}))
    booking = Booking.objects.get()

    cancel_booking(booking=booking, by_client=True)
    settle_cancelled_booking(booking.pk)

    card.refresh_from_db()
    booking.refresh_from_db()
    assert card.remaining_value == Decimal("25.00")
    assert booking.status == BookingStatus.CANCELLED
    assert booking.prepaid_amount == 0 and booking.paid_at is None


def test_it_queues_the_refund_when_a_booking_is_cancelled(
    program, client, class_session, card, handed_to_the_broker, django_capture_on_commit_callbacks
):
    client.post(seat_url(class_session), alice_form(**{FIELD: card.code}))
    booking = Booking.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=booking, by_client=True)

    cancelled = DomainEvent.objects.get(kind=EventKind.BOOKING_CANCELLED, booking=booking)
    assert ("loyalty.tasks.process_event", (cancelled.pk,)) in handed_to_the_broker


@override_settings(LOYALTY_CODE_ATTEMPTS="3/15m")
def test_it_stops_guessing_after_too_many_wrong_codes(program, client, class_session, card):
    for attempt in range(3):
        wrong = client.post(
            seat_url(class_session), alice_form(f"{attempt}" * 32, **{FIELD: "ABCD-EFGH-JKLM-NPQR"})
        )
        assert wrong.status_code == 400

    blocked = client.post(seat_url(class_session), alice_form("9" * 32, **{FIELD: card.code}))

    assert blocked.status_code == 429
    assert "Too many wrong gift card codes" in blocked.content.decode()
    assert not Booking.objects.exists()


@override_settings(LOYALTY_CODE_ATTEMPTS="3/15m")
def test_it_counts_wrong_codes_per_ip_address_whatever_the_email(program, client, class_session, card):
    for attempt in range(3):
        client.post(
            seat_url(class_session),
            {
                **alice_form(f"{attempt}" * 32, **{FIELD: "ABCD-EFGH-JKLM-NPQR"}),
                "email": f"guesser{attempt}@client.test",
            },
        )

    blocked = client.post(
        seat_url(class_session),
        {**alice_form("9" * 32, **{FIELD: card.code}), "email": "someone@client.test"},
    )

    assert blocked.status_code == 429


@override_settings(LOYALTY_CODE_ATTEMPTS="3/15m")
def test_it_counts_wrong_codes_per_client_whatever_the_address(program, class_session, card):
    """Alice has never booked: each refused booking also rolls back the client it made."""
    for attempt in range(3):
        Browser(REMOTE_ADDR=f"10.0.0.{attempt}").post(
            seat_url(class_session), alice_form(f"{attempt}" * 32, **{FIELD: "ABCD-EFGH-JKLM-NPQR"})
        )

    blocked = Browser(REMOTE_ADDR="10.0.0.99").post(
        seat_url(class_session), alice_form("9" * 32, **{FIELD: card.code})
    )

    assert blocked.status_code == 429


def behind_our_proxy(client_address: str) -> Browser:
    """A visitor as Rendez sees them behind the nginx of docs/deploy.md."""
    return Browser(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=client_address)


@override_settings(LOYALTY_CODE_ATTEMPTS="10/15m", TRUSTED_PROXIES=["10.0.0.1"])
def test_ten_clients_mistyping_behind_the_proxy_do_not_block_the_eleventh(program, class_session, card):
    for number in range(10):
        wrong = behind_our_proxy(f"203.0.113.{number}").post(
            seat_url(class_session),
            {
                **alice_form(f"{number}" * 32, **{FIELD: "ABCD-EFGH-JKLM-NPQR"}),
                "email": f"client{number}@client.test",
            },
        )
        assert wrong.status_code == 400

    paid = behind_our_proxy("203.0.113.99").post(
        seat_url(class_session), alice_form("9" * 32, **{FIELD: card.code})
    )

    assert paid.status_code == 303
    assert Booking.objects.get().prepaid_amount == Decimal("20.00")


@override_settings(LOYALTY_CODE_ATTEMPTS="3/15m", TRUSTED_PROXIES=["10.0.0.1"])
def test_one_guesser_behind_the_proxy_is_still_stopped(program, class_session, card):
    for attempt in range(3):
        behind_our_proxy("198.51.100.7").post(
            seat_url(class_session),
            {
                **alice_form(f"{attempt}" * 32, **{FIELD: "ABCD-EFGH-JKLM-NPQR"}),
                "email": f"guesser{attempt}@client.test",
            },
        )

    blocked = behind_our_proxy("198.51.100.7").post(
        seat_url(class_session),
        {**alice_form("9" * 32, **{FIELD: card.code}), "email": "someone@client.test"},
    )

    assert blocked.status_code == 429


@override_settings(LOYALTY_CODE_ATTEMPTS="3/15m")
def test_a_spent_or_expired_card_is_not_a_wrong_guess(program, client, class_session, card, olivia):
    spent = issue_gift_card(value=Decimal("10.00"), by=olivia)
    GiftCard.objects.filter(pk=spent.pk).update(remaining_value=0)
    expired = issue_gift_card(value=Decimal("10.00"), by=olivia)
    GiftCard.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    for attempt, code in enumerate([spent.code, expired.code, spent.code, expired.code]):
        refused = client.post(seat_url(class_session), alice_form(f"{attempt}" * 32, **{FIELD: code}))
        assert refused.status_code == 400

    paid = client.post(seat_url(class_session), alice_form("9" * 32, **{FIELD: card.code}))

    assert paid.status_code == 303


@override_settings(LOYALTY_CODE_ATTEMPTS="3/15m")
def test_it_counts_wrong_codes_per_signed_in_account_whatever_the_address(
    program, class_session, card, carla
):
    for attempt in range(3):
        guesser = Browser(REMOTE_ADDR=f"10.0.0.{attempt}")
        guesser.force_login(carla)
        guesser.post(
            seat_url(class_session),
            {
                **alice_form(f"{attempt}" * 32, **{FIELD: "ABCD-EFGH-JKLM-NPQR"}),
                "email": f"carla{attempt}@client.test",
            },
        )

    carla_elsewhere = Browser(REMOTE_ADDR="10.0.0.99")
    carla_elsewhere.force_login(carla)
    blocked = carla_elsewhere.post(
        seat_url(class_session), {**alice_form("9" * 32, **{FIELD: card.code}), "email": "carla@client.test"}
    )

    assert blocked.status_code == 429
