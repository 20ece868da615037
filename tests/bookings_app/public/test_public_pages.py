"""The public booking pages: service list → day → time → form → confirmation, and the manage link."""

import re
from datetime import UTC, date, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Booking, BookingStatus, Client, OutgoingEmail, ServiceKind, Session
from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from bookings_app.web import links
from tests import factories as f

# A Monday at least three days away, so the 24-hour change window never closes during a test.
MONDAY = f.next_weekday(0, after=date.today() + timedelta(days=2))
PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
BOB = ClientDetails(email="bob@client.test", first_name="Bob", last_name="Martin")


@pytest.fixture
def studio(db):
    """Studio Lumen: Nina works Monday to Friday 09–17; a one-hour massage."""
    business = f.business()
    nina = f.staff_member("Nina")
    massage = f.service("Massage", staff=[nina], description="Sixty minutes of calm.")
    return business, nina, massage


@pytest.fixture
def yoga(studio):
    """A yoga class with two sessions next week: one with three seats, one full."""
    _, nina, _ = studio
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=3, price="15.00")
    open_session = f.session(yoga, nina, f.local(MONDAY, "18:00"))
    full_session = f.session(yoga, nina, f.local(MONDAY + timedelta(days=2), "18:00"), capacity=1)
    f.booking(full_session, f.client("Zoe"))
    return yoga, open_session, full_session


@pytest.fixture
def pottery(studio):
    """A three-session pottery course."""
    _, nina, _ = studio
    course = f.service("Pottery", kind=ServiceKind.COURSE, staff=[nina], capacity=6, price="120.00")
    sessions = [
        f.session(course, nina, f.local(MONDAY + timedelta(days=7 * week), "19:00")) for week in range(3)
    ]
    return course, sessions


def alice_form(request_key: str = "a" * 32, **fields) -> dict:
    return {
        "first_name": "Alice",
        "last_name": "Durand",
        "email": "alice@client.test",
        "phone": "+33 6 12 34 56 78",
        "request_key": request_key,
        **fields,
    }


def book_url(service, start, **params) -> str:
    return (
        reverse("public:book", args=[service.slug]) + "?" + urlencode({"start": start.isoformat(), **params})
    )


def manage_url(token: str) -> str:
    return reverse("public:manage", args=[token])


def alice_books_a_massage(massage, at: str = "10:00") -> Booking:
    return book_appointment(
        service=massage,
        start=f.local(MONDAY, at),
        details=ClientDetails(email="alice@client.test", first_name="Alice", last_name="Durand"),
    )


# --- Home and service pages -------------------------------------------------------------------------


def test_it_lists_the_bookable_services_by_kind_with_duration_and_price(client, studio, yoga):
    f.service("Private room", is_online=False)
    f.service("Old massage", is_archived=True)
    response = client.get(reverse("public:home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Studio Lumen" in page
    assert "Appointments" in page and "Classes" in page
    assert "Massage" in page and "Yoga" in page and "Sixty minutes of calm." in page
    assert "60 min" in page and "50.00 EUR" in page and "15.00 EUR" in page
    assert "Private room" not in page and "Old massage" not in page


def test_it_shows_the_days_with_free_times_as_buttons(client, studio):
    _, _, massage = studio
    response = client.get(massage.get_absolute_url(), {"month": MONDAY.strftime("%Y-%m")})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'name="day" value="{MONDAY.isoformat()}"' in page
    saturday = MONDAY + timedelta(days=5)
    if saturday.month == MONDAY.month:
        assert f'value="{saturday.isoformat()}"' not in page


def test_it_gives_htmx_only_the_calendar_when_the_month_changes(client, studio):
    _, _, massage = studio
    response = client.get(
        massage.get_absolute_url(), {"month": MONDAY.strftime("%Y-%m")}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="calendar"')
    assert "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_it_shows_the_days_times_in_the_time_zone_asked_for(client, studio):
    _, _, massage = studio
    response = client.get(
        massage.get_absolute_url(),
        {"day": MONDAY.isoformat(), "tz": "America/New_York"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    ten_in_paris = f.local(MONDAY, "10:00").astimezone(NEW_YORK)
    assert page.lstrip().startswith('<section id="slots"')
    assert "America/New_York" in page
    assert f'datetime="{ten_in_paris.isoformat()}"' in page
    assert urlencode({"start": ten_in_paris.isoformat()}) in page


def test_it_narrows_the_times_to_the_chosen_staff_member(client, studio):
    _, nina, massage = studio
    omar = f.staff_member("Omar", hours={0: [("14:00", "16:00")]})
    massage.staff.add(omar)
    any_staff = client.get(massage.get_absolute_url(), {"day": MONDAY.isoformat()}).content.decode()
    assert "Omar" in any_staff and "&amp;staff=" not in any_staff.split('id="slots"')[1]
    only_omar = client.get(
        massage.get_absolute_url(), {"day": MONDAY.isoformat(), "staff": omar.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert only_omar.count('class="slot"') == 3  # 14:00, 14:30, 15:00
    assert only_omar.count(f"staff={omar.pk}") == 3


def test_it_reads_the_time_zone_from_the_cookie_and_ignores_an_unknown_one(client, studio):
    _, _, massage = studio
    client.cookies["tz"] = "Asia/Tokyo"
    tokyo = client.get(massage.get_absolute_url(), {"day": MONDAY.isoformat()}).content.decode()
    assert "Asia/Tokyo" in tokyo
    assert f'datetime="{f.local(MONDAY, "10:00").astimezone(ZoneInfo("Asia/Tokyo")).isoformat()}"' in tokyo
    client.cookies["tz"] = "Mars/Olympus_Mons"
    fallback = client.get(massage.get_absolute_url(), {"day": MONDAY.isoformat()}).content.decode()
    assert "Europe/Paris" in fallback and "Mars" not in fallback


def test_it_lists_the_class_sessions_with_seats_left_or_full(client, yoga):
    yoga_class, open_session, full_session = yoga
    page = client.get(yoga_class.get_absolute_url()).content.decode()
    assert "3 seats left" in page
    assert "Full" in page
    assert reverse("public:book_session", args=[yoga_class.slug, open_session.pk]) in page
    assert reverse("public:book_session", args=[yoga_class.slug, full_session.pk]) not in page


def test_it_lists_every_course_session_with_one_enrol_button(client, pottery):
    course, _ = pottery
    page = client.get(course.get_absolute_url()).content.decode()
    assert page.count('class="visit"') == 3
    assert page.count(reverse("public:enrol", args=[course.slug])) == 1


def test_it_answers_404_for_an_offline_service(client, studio):
    f.service("Private room", is_online=False)
    assert client.get(reverse("public:service", args=["private-room"])).status_code == 404
    assert client.get(reverse("public:service", args=["nothing-here"])).status_code == 404


# --- Booking an appointment ------------------------------------------------------------------------


def test_it_books_an_appointment_and_sees_the_client_to_the_confirmation(client, studio):
    _, nina, massage = studio
    start = f.local(MONDAY, "10:00")
    form = client.get(book_url(massage, start, staff=nina.pk))
    assert form.status_code == 200
    assert 'name="request_key"' in form.content.decode() and "Book now" in form.content.decode()
    response = client.post(book_url(massage, start, staff=nina.pk), alice_form(language="fr"))
    booking = Booking.objects.get()
    assert response.status_code == 303
    token = response["Location"].split("/")[2]
    assert response["Location"] == reverse("public:confirmation", args=[token])
    assert links.booking_for_token(token) == booking
    assert booking.session.start == start and booking.session.staff == nina
    assert booking.client.phone == "+33 6 12 34 56 78"
    assert booking.client.time_zone == "Europe/Paris"
    confirmation = client.get(response["Location"]).content.decode()
    assert "You're booked" in confirmation
    assert reverse("public:booking_ics", args=[token]) in confirmation
    assert "calendar.google.com" in confirmation and "outlook.live.com" in confirmation
    assert manage_url(token) in confirmation


def test_it_books_once_when_the_same_form_is_submitted_twice(client, studio):
    _, _, massage = studio
    url = book_url(massage, f.local(MONDAY, "10:00"))
    first = client.post(url, alice_form("b" * 32))
    second = client.post(url, alice_form("b" * 32))
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Booking.objects.count() == 1
    assert OutgoingEmail.objects.count() == 1


def test_it_refuses_a_slot_taken_between_the_page_and_the_submit(client, studio):
    _, _, massage = studio
    url = book_url(massage, f.local(MONDAY, "10:00"))
    assert client.get(url).status_code == 200
    book_appointment(service=massage, start=f.local(MONDAY, "10:00"), details=BOB)
    response = client.post(url, alice_form())
    assert response.status_code == 409
    assert "no longer available" in response.content.decode()
    assert Booking.objects.count() == 1
    assert not Client.objects.filter(email="alice@client.test").exists()
    assert OutgoingEmail.objects.count() == 1


def test_it_shows_field_errors_for_a_bad_email_and_phone(client, studio):
    _, _, massage = studio
    response = client.post(
        book_url(massage, f.local(MONDAY, "10:00")), alice_form(email="alice-at-home", phone="call me maybe")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid email address." in page
    assert "Enter a phone number with 6 to 20 digits" in page
    assert page.count("field--invalid") == 2
    assert not Booking.objects.exists()


def test_names_follow_their_own_direction_while_email_and_phone_stay_left_to_right(client, studio):
    """A Hebrew name on an English page (or the reverse) reads from its own side."""
    _, _, massage = studio
    page = client.get(book_url(massage, f.local(MONDAY, "10:00"))).content.decode()
    assert re.search(r'<input[^>]*name="first_name"[^>]*dir="auto"', page)
    assert re.search(r'<input[^>]*name="email"[^>]*dir="ltr"', page)
    assert re.search(r'<input[^>]*name="phone"[^>]*dir="ltr"', page)


def test_it_refuses_a_phone_with_too_few_digits(client, studio):
    _, _, massage = studio
    response = client.post(book_url(massage, f.local(MONDAY, "10:00")), alice_form(phone="+33 (1) 2"))
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_it_asks_the_services_questions_and_keeps_the_answers(client, studio):
    _, _, massage = studio
    f.question(massage, "Any injuries?", required=True)
    f.question(massage, "Pressure", kind="choice", choices="Soft\nMedium\nFirm")
    f.question(massage, "First visit?", kind="yes_no", required=True)
    url = book_url(massage, f.local(MONDAY, "10:00"))
    questions = [q.pk for q in massage.questions.all()]
    missing = client.post(
        url, alice_form(**{f"question_{questions[1]}": "Firm", f"question_{questions[2]}": "yes"})
    )
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()
    assert not Booking.objects.exists()
    answered = client.post(
        url,
        alice_form(
            **{
                f"question_{questions[0]}": "A stiff neck",
                f"question_{questions[1]}": "Firm",
                f"question_{questions[2]}": "no",
            }
        ),
    )
    assert answered.status_code == 303
    assert Booking.objects.get().answers == {
        "Any injuries?": "A stiff neck",
        "Pressure": "Firm",
        "First visit?": "no",
    }


def test_it_sends_a_start_that_is_not_a_time_back_to_the_service(client, studio):
    _, _, massage = studio
    response = client.get(reverse("public:book", args=[massage.slug]), {"start": "tomorrow-ish"})
    assert response.status_code == 302
    assert response["Location"] == massage.get_absolute_url()


def test_it_answers_404_for_a_staff_member_who_does_not_offer_the_service(client, studio):
    _, _, massage = studio
    omar = f.staff_member("Omar")
    assert client.get(book_url(massage, f.local(MONDAY, "10:00"), staff=omar.pk)).status_code == 404
    assert client.get(book_url(massage, f.local(MONDAY, "10:00"), staff="²")).status_code == 404


# --- Classes and courses ---------------------------------------------------------------------------


def test_it_books_a_class_seat(client, yoga):
    yoga_class, open_session, _ = yoga
    url = reverse("public:book_session", args=[yoga_class.slug, open_session.pk])
    assert "Book now" in client.get(url).content.decode()
    response = client.post(url, alice_form())
    assert response.status_code == 303
    open_session.refresh_from_db()
    assert open_session.seats_taken == 1
    assert Booking.objects.get(client__email="alice@client.test").session == open_session


def test_it_refuses_a_seat_in_a_full_class_with_409(client, yoga):
    yoga_class, _, full_session = yoga
    response = client.post(
        reverse("public:book_session", args=[yoga_class.slug, full_session.pk]), alice_form()
    )
    assert response.status_code == 409
    assert "this session is full" in response.content.decode()
    assert not Booking.objects.filter(client__email="alice@client.test").exists()


def test_it_enrols_in_every_session_of_a_course_at_once(client, pottery):
    course, sessions = pottery
    response = client.post(reverse("public:enrol", args=[course.slug]), alice_form())
    assert response.status_code == 303
    bookings = Booking.objects.filter(client__email="alice@client.test")
    assert {booking.session_id for booking in bookings} == {session.pk for session in sessions}
    assert OutgoingEmail.objects.count() == 1
    confirmation = client.get(response["Location"]).content.decode()
    assert confirmation.count('class="visit"') == 3


def test_it_refuses_another_enrolment_by_the_same_client_with_400(client, pottery):
    course, _ = pottery
    client.post(reverse("public:enrol", args=[course.slug]), alice_form("c" * 32))
    response = client.post(reverse("public:enrol", args=[course.slug]), alice_form("d" * 32))
    assert response.status_code == 400
    assert "already have a place" in response.content.decode()


# --- Confirmation, manage link, calendar file -----------------------------------------------------


def test_it_answers_404_for_a_tampered_or_unknown_manage_token(client, studio):
    _, _, massage = studio
    booking = alice_books_a_massage(massage)
    token = links.manage_token(booking)
    assert client.get(reverse("public:manage", args=[token])).status_code == 200
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("public:manage", args=[tampered])).status_code == 404
    unknown = signing.dumps("NOPE000000", salt="rendez.booking.manage", compress=True)
    assert client.get(reverse("public:manage", args=[unknown])).status_code == 404
    assert client.get(reverse("public:confirmation", args=[tampered])).status_code == 404
    assert client.get(reverse("public:booking_ics", args=[tampered])).status_code == 404
    assert client.post(reverse("public:cancel", args=[tampered])).status_code == 404


def test_it_downloads_the_booking_as_a_calendar_file(client, studio):
    _, _, massage = studio
    booking = alice_books_a_massage(massage)
    response = client.get(reverse("public:booking_ics", args=[links.manage_token(booking)]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="booking-{booking.code}.ics"'
    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == f.local(MONDAY, "10:00").astimezone(UTC)
    assert str(event["SUMMARY"]) == "Massage"


def test_it_shows_a_course_booking_with_all_its_sessions(client, pottery):
    course, _ = pottery
    client.post(reverse("public:enrol", args=[course.slug]), alice_form())
    booking = Booking.objects.filter(client__email="alice@client.test").first()
    token = links.manage_token(booking)
    page = client.get(manage_url(token)).content.decode()
    assert page.count('class="visit"') == 3
    calendar = client.get(reverse("public:booking_ics", args=[token])).content
    assert len(icalendar.Calendar.from_ical(calendar).walk("VEVENT")) == 3


# --- Cancel -----------------------------------------------------------------------------------------


def test_it_cancels_within_the_policy_after_a_confirmation_step(client, studio):
    _, _, massage = studio
    booking = alice_books_a_massage(massage)
    token = links.manage_token(booking)
    cancel = reverse("public:cancel", args=[token])
    assert cancel in client.get(manage_url(token)).content.decode()
    assert "Yes, cancel my booking" in client.get(cancel).content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    response = client.post(cancel)
    assert response.status_code == 303
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert "This booking is cancelled." in client.get(response["Location"]).content.decode()


def test_it_refuses_to_cancel_inside_the_cancellation_window(client, studio):
    _, nina, massage = studio
    soon = f.session(massage, nina, timezone.now() + timedelta(hours=3))
    booking = f.booking(soon, f.client("Alice"))
    token = links.manage_token(booking)
    manage = client.get(manage_url(token)).content.decode()
    assert "Changes online were possible until" in manage
    assert reverse("public:cancel", args=[token]) not in manage
    response = client.post(reverse("public:cancel", args=[token]))
    assert response.status_code == 400
    assert "no longer possible online" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


# --- Reschedule -------------------------------------------------------------------------------------


def test_it_offers_the_calendar_to_reschedule_an_appointment(client, studio):
    _, _, massage = studio
    booking = alice_books_a_massage(massage)
    token = links.manage_token(booking)
    page = client.get(manage_url(token), {"day": MONDAY.isoformat()}).content.decode()
    assert 'id="calendar"' in page
    assert reverse("public:reschedule", args=[token]) + "?start=" in page
    partial = client.get(
        manage_url(token), {"day": MONDAY.isoformat()}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert partial.lstrip().startswith('<section id="slots"')


def test_it_reschedules_an_appointment_to_a_free_slot(client, studio):
    _, nina, massage = studio
    booking = alice_books_a_massage(massage)
    url = (
        reverse("public:reschedule", args=[links.manage_token(booking)])
        + "?"
        + urlencode({"start": f.local(MONDAY, "14:00").isoformat(), "staff": nina.pk})
    )
    assert "Move my booking" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 303
    booking.session.refresh_from_db()
    assert booking.session.start == f.local(MONDAY, "14:00")


def test_it_refuses_to_reschedule_into_a_taken_slot(client, studio):
    _, nina, massage = studio
    booking = alice_books_a_massage(massage)
    book_appointment(service=massage, start=f.local(MONDAY, "14:00"), details=BOB)
    url = (
        reverse("public:reschedule", args=[links.manage_token(booking)])
        + "?"
        + urlencode({"start": f.local(MONDAY, "14:00").isoformat(), "staff": nina.pk})
    )
    response = client.post(url)
    assert response.status_code == 409
    assert "no longer available" in response.content.decode()
    booking.session.refresh_from_db()
    assert booking.session.start == f.local(MONDAY, "10:00")


def test_it_moves_a_class_seat_to_another_session(client, yoga):
    yoga_class, open_session, _ = yoga
    later = f.session(yoga_class, open_session.staff, f.local(MONDAY + timedelta(days=7), "18:00"))
    booking = f.booking(open_session, f.client("Alice"))
    token = links.manage_token(booking)
    move = reverse("public:reschedule", args=[token]) + f"?session={later.pk}"
    assert move in client.get(manage_url(token)).content.decode()
    response = client.post(move)
    assert response.status_code == 303
    booking.refresh_from_db()
    assert booking.session == later
    assert Session.objects.get(pk=open_session.pk).seats_taken == 0


# --- Query counts -----------------------------------------------------------------------------------


def _queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params.pop("query", {}), **params).status_code == 200
    return len(captured)


def _add_busy_staff(massage, count: int, *, first: int = 0) -> None:
    """``count`` more staff members for the massage, each with one booking on Monday."""
    for n in range(first, first + count):
        member = f.staff_member(f"Staff {n}")
        massage.staff.add(member)
        f.booking(f.session(massage, member, f.local(MONDAY, "11:00")), f.client(f"Client{n}"))


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}], ids=["page", "slots-partial"])
def test_it_reads_the_service_page_in_the_same_queries_for_1_and_50_staff(
    client, studio, django_assert_num_queries, headers
):
    _, _, massage = studio
    url, query = massage.get_absolute_url(), {"day": MONDAY.isoformat()}
    _add_busy_staff(massage, 1)
    with_one = _queries(client, url, query=query, **headers)
    _add_busy_staff(massage, 49, first=1)
    with django_assert_num_queries(with_one):
        client.get(url, query, **headers)


def test_it_reads_the_class_page_in_the_same_queries_for_1_and_50_sessions(
    client, yoga, django_assert_num_queries
):
    yoga_class, open_session, _ = yoga
    with_few = _queries(client, yoga_class.get_absolute_url())
    for n in range(50):
        session = f.session(
            yoga_class, open_session.staff, f.local(MONDAY + timedelta(days=1 + n // 8), f"0{n % 8}:00")
        )
        f.booking(session, f.client(f"Client{n}"))
    with django_assert_num_queries(with_few):
        client.get(yoga_class.get_absolute_url())
