"""The client's pages: ask and stop from the booking's pages, move from the e-mail's link."""

import pytest
from django.urls import reverse

from bookings_app.models import EarlierTimeNotice, EarlierTimeRequest, ServiceKind
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.changes import cancel_booking
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.earlier_time_moves import ask_for_earlier_time
from bookings_app.web.earlier_time_links import notice_path
from bookings_app.web.links import manage_token
from tests import factories as f

pytestmark = pytest.mark.django_db
ALICE = ClientDetails(email="alice@client.test", first_name="Alice")

ASK_BUTTON = "Tell me if an earlier time opens"


def _manage(booking) -> str:
    return reverse("public:manage", args=[manage_token(booking)])


def test_the_manage_page_offers_to_ask_and_asking_shows_how_to_stop(client, bob):
    assert ASK_BUTTON in client.get(_manage(bob)).content.decode()
    response = client.post(reverse("public:earlier_time_ask", args=[manage_token(bob)]), {"back": "manage"})
    assert response.status_code == 303 and response["Location"].startswith(_manage(bob))
    page = client.get(_manage(bob)).content.decode()
    assert "we will e-mail you if an earlier time opens" in page
    assert "Stop telling me" in page and ASK_BUTTON not in page
    assert EarlierTimeRequest.objects.get(booking=bob).staff == bob.session.staff


def test_the_confirmation_page_offers_it_too_and_comes_back_to_itself(client, bob):
    confirmation = reverse("public:confirmation", args=[manage_token(bob)])
    assert ASK_BUTTON in client.get(confirmation).content.decode()
    response = client.post(
        reverse("public:earlier_time_ask", args=[manage_token(bob)]), {"back": "confirmation", "with": "x"}
    )
    assert response["Location"].startswith(confirmation)


def test_with_several_staff_members_the_client_may_ask_for_anyone(client, massage, bob):
    massage.staff.add(f.staff_member("Omar"))
    assert "Anyone on the team" in client.get(_manage(bob)).content.decode()
    client.post(reverse("public:earlier_time_ask", args=[manage_token(bob)]), {"with": "anyone"})
    assert EarlierTimeRequest.objects.get(booking=bob).staff is None


def test_stopping_from_the_manage_page(client, bob):
    ask_for_earlier_time(booking=bob)
    response = client.post(reverse("public:earlier_time_stop", args=[manage_token(bob)]))
    assert response.status_code == 303
    assert EarlierTimeRequest.objects.get(booking=bob).status == "stopped"
    assert ASK_BUTTON in client.get(_manage(bob)).content.decode()


def test_a_class_booking_is_not_offered_an_earlier_time(client, nina, monday):
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=5)
    seat = book_class_seat(session=f.session(yoga, nina, f.local(monday, "18:00")), details=ALICE)
    assert ASK_BUTTON not in client.get(_manage(seat)).content.decode()
    response = client.post(reverse("public:earlier_time_ask", args=[manage_token(seat)]))
    assert response.status_code == 303
    assert not EarlierTimeRequest.objects.exists()


def test_the_link_shows_both_times_and_moves_the_booking(client, alice, bob, django_assert_max_num_queries):
    ask_for_earlier_time(booking=bob)
    cancel_booking(booking=alice, by_client=True)
    path = notice_path(EarlierTimeNotice.objects.get())
    with django_assert_max_num_queries(8):
        page = client.get(path).content.decode()
    assert "An earlier time is free" in page and "Move to this time" in page
    assert "Booked now" in page
    response = client.post(path)
    assert response.status_code == 303 and response["Location"].startswith(_manage(bob))
    assert "Your booking is moved" in client.get(response["Location"]).content.decode()
    again = client.post(path)
    assert again.status_code == 400
    assert "no longer offered to you" in again.content.decode()
    assert "You moved to this time" in client.get(path).content.decode()


def test_the_link_says_the_time_was_taken_when_someone_was_quicker(client, alice, bob, book):
    ask_for_earlier_time(booking=bob)
    cancel_booking(booking=alice, by_client=True)
    book(f.racer(3), "10:00")
    response = client.post(notice_path(EarlierTimeNotice.objects.get()))
    assert response.status_code == 409
    page = response.content.decode()
    assert "this time was taken by someone else" in page and "Move to this time" not in page


def test_a_tampered_link_is_not_found(client):
    assert client.get(reverse("public:earlier_time", args=["12:nope"])).status_code == 404


def test_the_link_speaks_hebrew(client, alice, carla):
    ask_for_earlier_time(booking=carla)
    cancel_booking(booking=alice, by_client=True)
    path = notice_path(EarlierTimeNotice.objects.get())
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="he").content.decode()
    assert 'dir="rtl"' in page and "Move to this time" not in page and "לעבור למועד הזה" in page
