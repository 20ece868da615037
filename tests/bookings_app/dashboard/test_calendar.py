"""The dashboard calendar: who sees which columns, what a block shows, the panel and booking a slot."""

from datetime import date, timedelta

import pytest

from bookings_app.models import Booking, BookingStatus, Client, Session, SessionStatus, TimeOff
from tests import factories
from tests.support.dashboard import calendar_studio

CALENDAR = "/dashboard/calendar/"
NEW = "/dashboard/calendar/new/"


@pytest.fixture
def studio(db):
    return calendar_studio()


@pytest.fixture
def sam_at_work(sam, studio):
    """Sam's sign-in account is linked to the staff member Omar."""
    studio["omar"].user = sam
    studio["omar"].save()
    return sam


def _week(studio, **params) -> str:
    query = {"view": "week", "date": studio["monday"], **params}
    return f"{CALENDAR}?" + "&".join(f"{key}={value}" for key, value in query.items())


PEOPLE = [("anonymous", 302), ("carla", 403), ("sam", 403), ("olivia", 200)]
URLS = [CALENDAR, NEW + "?staff=1&start=2030-01-07T09:00", "/dashboard/calendar/clients/?q=al"]


@pytest.mark.parametrize(("who", "status"), PEOPLE)
@pytest.mark.parametrize("url", URLS)
def test_it_lets_the_owner_in_and_keeps_others_out(client, request, db, who, status, url):
    factories.business()
    factories.staff_member("Nina")
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(url.replace("staff=1", f"staff={factories.StaffMember.objects.get().pk}"))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/dashboard/login/")


def test_it_shows_a_staff_member_only_their_own_column(client, sam_at_work, studio):
    factories.session(studio["massage"], studio["nina"], factories.local(studio["monday"], "10:00"))
    omars = factories.session(studio["massage"], studio["omar"], factories.local(studio["monday"], "11:00"))
    factories.booking(omars, factories.client("Alice"))
    client.force_login(sam_at_work)
    page = client.get(_week(studio)).content.decode()
    assert "Alice" in page
    assert "10:00–11:00" not in page
    assert client.get(_week(studio, staff=studio["nina"].pk)).status_code == 403


def test_it_draws_appointments_classes_and_time_off(client, olivia, studio):
    monday = studio["monday"]
    appointment = factories.session(studio["massage"], studio["nina"], factories.local(monday, "09:00"))
    factories.booking(appointment, factories.client("Alice", last_name="Martin"))
    yoga = factories.session(studio["yoga"], studio["nina"], factories.local(monday, "18:00"))
    factories.booking(yoga, factories.client("Bob"))
    factories.session(
        studio["massage"], studio["omar"], factories.local(monday, "12:00"), status=SessionStatus.CANCELLED
    )
    TimeOff.objects.create(
        staff=studio["omar"],
        start=factories.local(monday, "14:00"),
        end=factories.local(monday, "16:00"),
        reason="Dentist",
    )
    client.force_login(olivia)
    page = client.get(_week(studio)).content.decode()
    assert "Alice Martin" in page and "Massage" in page
    assert "<bdi>1/10</bdi>" in page
    assert "Time off: <bdi>Dentist</bdi>" in page
    assert "12:00–13:00" not in page  # cancelled sessions are hidden
    # 09:00 is row 9 of a grid starting at 07:00 (15-minute rows); an hour spans four.
    assert "calendar-block--appointment" in page and "cal-row-9 cal-span-4" in page


def test_it_draws_a_requested_booking_as_pending(client, olivia, studio):
    session = factories.session(studio["massage"], studio["nina"], factories.local(studio["monday"], "09:00"))
    factories.booking(session, factories.client("Alice"), status=BookingStatus.REQUESTED)
    client.force_login(olivia)
    page = client.get(_week(studio)).content.decode()
    assert "calendar-block--pending" in page


def test_it_widens_the_span_for_an_early_session(client, olivia, studio):
    factories.session(studio["massage"], studio["nina"], factories.local(studio["monday"], "06:00"))
    client.force_login(olivia)
    page = client.get(_week(studio, staff=studio["nina"].pk)).content.decode()
    assert 'value="' + studio["monday"].isoformat() + 'T06:00"' in page


def test_it_gives_one_column_per_staff_member_in_the_day_view(client, olivia, studio):
    client.force_login(olivia)
    page = client.get(f"{CALENDAR}?view=day&date={studio['monday']}").content.decode()
    assert page.count('<h3 class="calendar-column__head">') == 2
    assert f'name="staff" value="{studio["nina"].pk}"' in page


def test_it_answers_htmx_navigation_with_the_calendar_alone(client, olivia, studio):
    client.force_login(olivia)
    response = client.get(_week(studio), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="calendar"')
    assert "<html" not in page
    assert "HX-Request" in response["Vary"]
    next_monday = studio["monday"] + timedelta(days=7)
    assert f"date={next_monday}" in page


@pytest.mark.parametrize("bookings", [1, 200])
def test_it_makes_the_same_number_of_queries_whatever_the_bookings(
    client, olivia, studio, bookings, django_assert_num_queries
):
    monday = studio["monday"]
    starts = [  # quarter-hour appointments that never overlap: two staff, seven days, from 08:00
        (
            studio["nina"] if index % 2 else studio["omar"],
            factories.local(monday + timedelta(days=index // 2 % 7), "08:00")
            + timedelta(minutes=15 * (index // 14)),
        )
        for index in range(bookings)
    ]
    sessions = Session.objects.bulk_create(
        Session(
            service=studio["massage"],
            staff=member,
            start=start,
            end=start + timedelta(minutes=15),
            blocked_start=start,
            blocked_end=start + timedelta(minutes=15),
            capacity=1,
            seats_taken=1,
        )
        for member, start in starts
    )
    clients = Client.objects.bulk_create(
        Client(first_name=f"Client {index}", email=f"client{index}@client.test") for index in range(bookings)
    )
    Booking.objects.bulk_create(
        Booking(session=session, service=studio["massage"], client=person, code=f"C{index:08d}")
        for index, (session, person) in enumerate(zip(sessions, clients, strict=True))
    )
    yoga = factories.session(studio["yoga"], studio["nina"], factories.local(monday, "19:00"))
    factories.booking(yoga, factories.client("Bob"))
    asked = factories.session(studio["massage"], studio["omar"], factories.local(monday, "20:00"))
    factories.booking(asked, factories.client("Zoe"), status=BookingStatus.REQUESTED)
    client.force_login(olivia)
    # session, user, groups, business, staff, sessions, bookings, their clients, time off
    with django_assert_num_queries(9):
        assert client.get(_week(studio)).status_code == 200


def test_it_opens_a_booking_in_the_panel(client, olivia, studio):
    session = factories.session(studio["massage"], studio["nina"], factories.local(studio["monday"], "09:00"))
    booking = factories.booking(
        session, factories.client("Alice"), answers={"Injuries?": "Left knee"}, notes="Prefers firm pressure"
    )
    client.force_login(olivia)
    response = client.get(f"/dashboard/calendar/bookings/{booking.pk}/", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "Alice" in page and "Massage" in page and "Left knee" in page and "Prefers firm pressure" in page
    assert "Not recorded" in page


def test_it_hides_another_staff_members_booking_from_sam(client, sam_at_work, studio):
    session = factories.session(studio["massage"], studio["nina"], factories.local(studio["monday"], "09:00"))
    booking = factories.booking(session, factories.client("Alice"))
    client.force_login(sam_at_work)
    assert client.get(f"/dashboard/calendar/bookings/{booking.pk}/").status_code == 404


def test_it_shows_a_class_roster_with_attendance(client, olivia, studio):
    session = factories.session(studio["yoga"], studio["nina"], factories.local(studio["monday"], "18:00"))
    factories.booking(session, factories.client("Alice"), attendance="checked_in")
    factories.booking(session, factories.client("Bob"))
    client.force_login(olivia)
    response = client.get(f"/dashboard/calendar/sessions/{session.pk}/", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "Alice" in page and "Bob" in page and "Checked in" in page


def test_it_offers_the_staff_members_appointment_services_for_an_empty_slot(client, olivia, studio):
    factories.service("Facial", staff=[studio["omar"]])
    client.force_login(olivia)
    page = client.get(
        f"{NEW}?staff={studio['nina'].pk}&start={studio['monday']}T10:00", headers={"HX-Request": "true"}
    ).content.decode()
    assert "Massage" in page and "Facial" not in page and "Yoga" not in page


def test_it_books_a_new_client_into_an_empty_slot(client, olivia, studio):
    client.force_login(olivia)
    response = client.post(
        NEW,
        {
            "staff": studio["nina"].pk,
            "start": f"{studio['monday']}T10:00",
            "service": studio["massage"].pk,
            "first_name": "Alice",
            "last_name": "Martin",
            "email": "alice@client.test",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "calendarChanged" in response["HX-Trigger"]
    booking = Booking.objects.get()
    assert (booking.client.email, booking.source, booking.session.staff) == (
        "alice@client.test",
        "dashboard",
        studio["nina"],
    )
    assert booking.session.start == factories.local(studio["monday"], "10:00")


def test_it_books_an_existing_client_found_by_search(client, olivia, studio):
    bob = factories.client("Bob", last_name="Stone")
    client.force_login(olivia)
    results = client.get("/dashboard/calendar/clients/?q=ston").content.decode()
    assert f'value="{bob.pk}"' in results
    client.post(
        NEW,
        {
            "staff": studio["nina"].pk,
            "start": f"{studio['monday']}T11:00",
            "service": studio["massage"].pk,
            "client": bob.pk,
        },
        headers={"HX-Request": "true"},
    )
    assert Booking.objects.get().client == bob


def test_it_keeps_form_errors_next_to_their_fields(client, olivia, studio):
    client.force_login(olivia)
    response = client.post(
        NEW,
        {"staff": studio["nina"].pk, "start": f"{studio['monday']}T11:00", "service": studio["massage"].pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "field--invalid" in response.content.decode()
    assert not Booking.objects.exists()


def test_it_answers_409_when_the_slot_is_taken(client, olivia, studio):
    factories.session(studio["massage"], studio["nina"], factories.local(studio["monday"], "10:00"))
    client.force_login(olivia)
    response = client.post(
        NEW,
        {
            "staff": studio["nina"].pk,
            "start": f"{studio['monday']}T10:30",
            "service": studio["massage"].pk,
            "first_name": "Alice",
            "email": "alice@client.test",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "no longer available" in response.content.decode()


def test_it_refuses_sam_booking_in_another_staff_members_column(client, sam_at_work, studio):
    client.force_login(sam_at_work)
    response = client.post(
        NEW,
        {
            "staff": studio["nina"].pk,
            "start": f"{studio['monday']}T10:00",
            "service": studio["massage"].pk,
            "first_name": "A",
            "email": "a@client.test",
        },
    )
    assert response.status_code == 403


def test_it_starts_the_week_on_monday(client, olivia, studio):
    client.force_login(olivia)
    wednesday = studio["monday"] + timedelta(days=2)
    page = client.get(f"{CALENDAR}?view=week&date={wednesday}&staff={studio['nina'].pk}").content.decode()
    assert f'value="{studio["monday"]}T07:00"' in page
    assert isinstance(studio["monday"], date)
