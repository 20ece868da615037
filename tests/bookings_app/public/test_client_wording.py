"""What the public pages say to a client: what they may still do and until when, who to contact,
what was sent, and a withdrawn request called withdrawn."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.models import BookingEmailSetting, BookingStatus, OutgoingEmail, ServiceKind
from bookings_app.services.changes import cancel_booking
from bookings_app.web import links
from bookings_app.web.accounts import user_for_client
from tests import factories as make

pytestmark = pytest.mark.django_db

IN_A_WEEK = make.next_weekday(2, after=timezone.localdate() + timedelta(days=6))


@pytest.fixture
def nina():
    make.business(time_zone="Europe/Paris", cancel_window_hours=24)
    return make.staff_member("Nina")


@pytest.fixture
def massage(nina):
    return make.service("Massage", staff=[nina])


def alices(service, start):
    return make.booking(make.session(service, service.staff.get(), start), make.client("Alice"))


def page(client, name: str, booking) -> str:
    path = (
        links.manage_path(booking).replace("/manage/", "/booked/")
        if name == "confirmation"
        else links.manage_path(booking)
    )
    return client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("name", ["confirmation", "manage"])
def test_it_says_until_when_the_client_may_cancel_or_reschedule(client, massage, name):
    booking = alices(massage, make.local(IN_A_WEEK, "10:00"))
    deadline = IN_A_WEEK - timedelta(days=1)

    html = page(client, name, booking)

    assert (
        f"You can cancel or reschedule this booking until {deadline:%A}, {deadline.day} {deadline:%B %Y}, "
        in html
    )
    assert "\u206610:00\u2069" in html


@pytest.mark.parametrize("name", ["confirmation", "manage"])
def test_it_says_whom_to_contact_once_the_window_has_passed(client, massage, name):
    booking = alices(massage, timezone.now() + timedelta(hours=3))

    html = page(client, name, booking)

    assert "Changes online were possible until" in html
    assert "mailto:" in html
    assert "Cancel or reschedule this booking" not in html
    assert "You can cancel" not in html


def test_it_offers_a_course_only_cancelling(client, nina):
    pottery = make.service("Pottery", kind=ServiceKind.COURSE, staff=[nina])
    booking = alices(pottery, make.local(IN_A_WEEK, "18:00"))

    html = page(client, "confirmation", booking)

    assert "You can cancel this booking until" in html
    assert "or reschedule this booking" not in html


def book_a_massage(client, massage) -> str:
    """Alice books through the form; the confirmation page she lands on."""
    start = make.local(IN_A_WEEK, "10:00")
    response = client.post(
        f"/s/{massage.slug}/book/?start={start.isoformat().replace('+', '%2B')}",
        {
            "first_name": "Alice",
            "last_name": "Durand",
            "email": "alice@client.test",
            "phone": "",
            "request_key": "b" * 32,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 303, response.content.decode()[:2000]
    return client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_it_says_the_details_were_sent_when_the_confirmation_e_mail_is_on(client, massage):
    html = book_a_massage(client, massage)

    assert "We have sent the details to" in html


def test_it_promises_no_e_mail_when_the_owner_switched_the_confirmation_off(client, massage):
    BookingEmailSetting.objects.create(kind="confirmation", is_enabled=False)

    html = book_a_massage(client, massage)

    assert "We have sent the details to" not in html
    assert "Keep this page" in html


def test_it_words_withdrawing_a_request_as_withdrawing(client, massage, as_sent):
    request = make.booking(
        make.session(massage, massage.staff.get(), make.local(IN_A_WEEK, "10:00")),
        make.client("Alice"),
        status=BookingStatus.REQUESTED,
    )
    manage = links.manage_path(request)
    cancel = manage + "cancel/"

    assert "Withdraw my request" in client.get(manage, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    asking = client.get(cancel, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Withdraw this request?" in asking and "Yes, withdraw my request" in asking
    assert "cancel my booking" not in asking

    after = client.post(cancel, HTTP_ACCEPT_LANGUAGE="en", follow=True).content.decode()

    assert "This request is withdrawn." in after
    assert "Your request is withdrawn." in after
    assert "This booking is cancelled." not in after
    assert as_sent(OutgoingEmail.objects.get(kind="cancellation")).subject.startswith(
        "Request withdrawn: Massage"
    )


def test_it_lists_a_withdrawn_request_as_withdrawn_in_my_bookings(client, massage):
    request = make.booking(
        make.session(massage, massage.staff.get(), make.local(IN_A_WEEK, "10:00")),
        make.client("Alice"),
        status=BookingStatus.REQUESTED,
    )
    cancel_booking(booking=request, by_client=True)
    client.force_login(user_for_client(request.client))

    html = client.get("/my/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<span class="badge">Withdrawn</span>' in html
    assert "Cancelled" not in html


def test_it_still_calls_a_cancelled_booking_cancelled(client, massage, as_sent):
    booking = alices(massage, make.local(IN_A_WEEK, "10:00"))
    cancel_booking(booking=booking, by_client=True)

    html = page(client, "manage", booking)

    assert "This booking is cancelled." in html
    assert as_sent(OutgoingEmail.objects.get(kind="cancellation")).subject.startswith(
        "Booking cancelled: Massage"
    )


def test_it_fills_in_a_signed_in_client_s_details(client, massage):
    alice = make.client("Alice", last_name="Durand", phone="+33 6 12 34 56 78")
    client.force_login(user_for_client(alice))
    start = make.local(IN_A_WEEK, "10:00")

    form = client.get(f"/s/{massage.slug}/book/?start={start.isoformat().replace('+', '%2B')}").context[
        "form"
    ]

    assert (
        form["first_name"].value(),
        form["last_name"].value(),
        form["email"].value(),
        form["phone"].value(),
    ) == ("Alice", "Durand", "alice@client.test", "+33 6 12 34 56 78")


def test_it_leaves_a_visitor_s_form_empty(client, massage):
    start = make.local(IN_A_WEEK, "10:00")

    form = client.get(f"/s/{massage.slug}/book/?start={start.isoformat().replace('+', '%2B')}").context[
        "form"
    ]

    assert form["email"].value() is None
