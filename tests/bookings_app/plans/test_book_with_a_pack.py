"""The public booking form: a signed-in client with a fitting pack books without paying."""

from datetime import timedelta

from bookings_app.models import Booking, BookingStatus, Business, ClientPlan, PaymentPolicy, Service
from bookings_app.web.accounts import user_for_client
from tests import factories as f

FORM = {
    "first_name": "Alice",
    "last_name": "Martin",
    "email": "alice@client.test",
    "phone": "",
    "request_key": "a" * 32,
}


def book_url(session) -> str:
    return f"/s/yoga/sessions/{session.pk}/book/"


def test_a_signed_in_client_is_offered_her_pack(client, alices_pack, alice, yoga_sessions):
    client.force_login(user_for_client(alice))
    page = client.get(book_url(yoga_sessions[0])).content.decode()
    assert "Use my pack “10 classes” — 10 credits left" in page


def test_no_pack_is_offered_to_a_visitor_or_for_another_service(client, alices_pack, alice, yoga_sessions):
    assert "Use my pack" not in client.get(book_url(yoga_sessions[0])).content.decode()


def test_booking_with_the_pack_pays_nothing_online_and_uses_a_credit(
    client, alices_pack, alice, yoga_sessions
):
    Service.objects.filter(slug="yoga").update(payment_policy=PaymentPolicy.FULL)
    client.force_login(user_for_client(alice))
    response = client.post(book_url(yoga_sessions[0]), {**FORM, "use_plan": str(alices_pack.pk)})
    assert response.status_code == 303
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED
    assert not booking.payments.exists()
    alices_pack.refresh_from_db()
    assert alices_pack.credits_left == 9


def test_paying_as_usual_leaves_the_pack_alone(client, alices_pack, alice, yoga_sessions):
    client.force_login(user_for_client(alice))
    client.post(book_url(yoga_sessions[0]), {**FORM, "use_plan": "none"})
    alices_pack.refresh_from_db()
    assert alices_pack.credits_left == 10
    assert Booking.objects.count() == 1


def test_an_empty_pack_refuses_next_to_the_field_and_books_nothing(client, alices_pack, alice, yoga_sessions):
    client.force_login(user_for_client(alice))
    client.get(book_url(yoga_sessions[0]))
    ClientPlan.objects.filter(pk=alices_pack.pk).update(credits_used=10)
    response = client.post(book_url(yoga_sessions[0]), {**FORM, "use_plan": str(alices_pack.pk)})
    assert response.status_code == 409
    assert "Your pack cannot pay for this booking any more" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_forged_pack_is_refused(client, alices_pack, alice, yoga_sessions):
    client.force_login(user_for_client(alice))
    for forged in ("999999", "-1", "x" * 300, "1e9"):
        response = client.post(book_url(yoga_sessions[0]), {**FORM, "use_plan": forged})
        assert response.status_code == 400, forged
    assert not Booking.objects.exists()


def test_booking_with_my_pack_for_someone_else_is_refused(client, alices_pack, alice, yoga_sessions):
    client.force_login(user_for_client(alice))
    response = client.post(
        book_url(yoga_sessions[0]), {**FORM, "email": "bob@client.test", "use_plan": str(alices_pack.pk)}
    )
    assert response.status_code == 409
    assert "cannot pay for this booking" in response.content.decode()
    assert not Booking.objects.exists()


def test_the_booking_form_says_when_a_limit_is_reached(client, alice, yoga_sessions):
    Business.objects.filter(pk=1).update(max_bookings_per_day=1)
    client.post(book_url(yoga_sessions[0]), FORM)

    later = f.session(
        yoga_sessions[0].service, yoga_sessions[0].staff, yoga_sessions[0].start + timedelta(hours=1)
    )
    response = client.post(book_url(later), {**FORM, "request_key": "b" * 32})
    assert response.status_code == 400
    assert "You may book at most 1 session a day." in response.content.decode()
