"""Walk-ins at the front desk: the ``add_walk_in`` service and the tablet's walk-in form."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.core.errors import AlreadyBooked, BookingError, NotBookable, SessionFull
from bookings_app.models import (
    Attendance,
    Booking,
    BookingSource,
    Client,
    DomainEvent,
    EventKind,
    ServiceKind,
)
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.walk_ins import add_walk_in
from tests import factories
from tests.support.races import CROWD, in_words, race


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
    """Sam's yoga class today at 18:00 with two seats, alice already booked."""
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, staff=[sam_member], capacity=2)
    session = factories.session(yoga, sam_member, factories.local(_today(), "18:00"))
    factories.booking(session, factories.client("Alice"))
    return session


@pytest.fixture
def course_today(sam_member):
    """The second meeting of Sam's ceramics course, today, one seat left of three."""
    course = factories.service("Ceramics", kind=ServiceKind.COURSE, staff=[sam_member], capacity=3)
    factories.session(course, sam_member, factories.local(_today(), "10:00") - timedelta(days=7))
    session = factories.session(course, sam_member, factories.local(_today(), "10:00"))
    factories.booking(session, factories.client("Dana"))
    factories.booking(session, factories.client("Eve"))
    return session


BOB = ClientDetails(email="Bob@Client.test", first_name="Bob", last_name="Stone", phone="0612")
ZOE = ClientDetails(email="zoe@client.test", first_name="Zoe")


# -- the service --


def test_it_seats_a_new_client_in_a_class_and_checks_them_in(yoga_today, sam):
    booking = add_walk_in(session=yoga_today, details=BOB, by=sam)
    assert booking.source == BookingSource.WALK_IN
    assert booking.attendance == Attendance.CHECKED_IN and booking.attendance_by == sam
    assert booking.client.email == "bob@client.test" and booking.client.phone == "0612"
    yoga_today.refresh_from_db()
    assert yoga_today.seats_taken == 2
    kinds = list(DomainEvent.objects.filter(booking=booking).values_list("kind", flat=True))
    assert kinds == [EventKind.BOOKING_CREATED, EventKind.CHECKED_IN]


def test_it_seats_a_known_client(yoga_today, sam):
    bob = factories.client("Bob")
    booking = add_walk_in(session=yoga_today, client=bob, by=sam)
    assert booking.client == bob
    assert Client.objects.count() == 2


def test_it_takes_only_todays_seat_of_a_course(course_today, sam):
    booking = add_walk_in(session=course_today, details=BOB, by=sam)
    assert Booking.objects.filter(client=booking.client).count() == 1
    assert booking.attendance == Attendance.CHECKED_IN and booking.enrollment is None
    course_today.refresh_from_db()
    assert course_today.seats_taken == 3
    assert DomainEvent.objects.filter(kind=EventKind.BOOKING_CREATED, booking=booking).count() == 1


def test_it_refuses_the_seat_after_the_last_and_books_nobody(course_today, sam):
    add_walk_in(session=course_today, details=BOB, by=sam)
    with pytest.raises(SessionFull):
        add_walk_in(session=course_today, details=ZOE, by=sam)
    assert not Client.objects.filter(email="zoe@client.test").exists()


def test_it_refuses_a_full_class(yoga_today, sam):
    add_walk_in(session=yoga_today, details=BOB, by=sam)
    with pytest.raises(SessionFull):
        add_walk_in(session=yoga_today, details=ZOE, by=sam)


def test_it_refuses_a_client_who_already_has_a_place_in_the_class(yoga_today, sam):
    with pytest.raises(AlreadyBooked):
        add_walk_in(session=yoga_today, client=Client.objects.get(first_name="Alice"), by=sam)


def test_it_refuses_a_client_who_already_has_a_place_in_the_course(course_today, sam):
    with pytest.raises(AlreadyBooked):
        add_walk_in(session=course_today, client=Client.objects.get(first_name="Dana"), by=sam)
    course_today.refresh_from_db()
    assert course_today.seats_taken == 2


def test_it_refuses_an_appointment(sam_member, sam):
    massage = factories.service("Massage", staff=[sam_member])
    session = factories.session(massage, sam_member, factories.local(_today(), "09:00"))
    with pytest.raises(NotBookable):
        add_walk_in(session=session, details=BOB, by=sam)


# -- the form on the tablet --


def test_it_opens_the_walk_in_form_in_place(client, sam, yoga_today):
    client.force_login(sam)
    response = client.get(f"/staff/sessions/{yoga_today.pk}/walk-in/", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert f'id="walk-in-form-{yoga_today.pk}"' in page and "<html" not in page


def test_it_finds_clients_by_name_email_or_phone(client, sam, yoga_today):
    factories.client("Bob", last_name="Stone", phone="+33 6 99")
    client.force_login(sam)
    url = f"/staff/sessions/{yoga_today.pk}/clients/"
    for query in ["bob st", "BOB@client", "6 99"]:
        assert "Bob Stone" in client.get(url, {"q": query}).content.decode(), query
    assert "No client matches" in client.get(url, {"q": "nobody"}).content.decode()


def test_it_adds_a_new_walk_in_and_answers_with_the_card(client, sam, yoga_today):
    client.force_login(sam)
    new_client = {"first_name": "Bob", "last_name": "Stone", "email": "bob@client.test", "phone": ""}
    response = client.post(f"/staff/sessions/{yoga_today.pk}/walk-in/", new_client)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.strip().startswith('<article class="session-card'), "the answer is the card alone"
    assert f'id="session-{yoga_today.pk}"' in page.split(">", 1)[0]  # marked "now" from 18:00 to 19:00
    assert "Bob Stone" in page and "roster-row--checked_in" in page and "Walk-in" in page
    assert "2 of 2 seats taken" in page
    assert "Add walk-in" not in page, "a full class offers no more walk-ins"


def test_it_adds_a_known_client_picked_from_the_search(client, sam, yoga_today):
    bob = factories.client("Bob")
    client.force_login(sam)
    response = client.post(f"/staff/sessions/{yoga_today.pk}/walk-in/", {"client": bob.pk})
    assert response.status_code == 200
    assert Booking.objects.get(client=bob).attendance == Attendance.CHECKED_IN


def test_it_asks_for_the_name_and_email_of_a_new_client(client, sam, yoga_today):
    client.force_login(sam)
    response = client.post(
        f"/staff/sessions/{yoga_today.pk}/walk-in/", {"last_name": "Stone"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert response.content.decode().count("Required for a new client.") == 2
    assert response["HX-Retarget"] == f"#walk-in-form-{yoga_today.pk}"
    assert response["HX-Reswap"] == "outerHTML"


def test_it_says_the_session_is_full_with_a_409(client, sam, yoga_today):
    add_walk_in(session=yoga_today, details=BOB, by=sam)
    client.force_login(sam)
    response = client.post(
        f"/staff/sessions/{yoga_today.pk}/walk-in/", {"first_name": "Zoe", "email": "zoe@client.test"}
    )
    assert response.status_code == 409
    assert "Sorry, this session is full." in response.content.decode()


def test_it_says_the_client_already_has_a_place_with_a_409(client, sam, yoga_today):
    client.force_login(sam)
    response = client.post(
        f"/staff/sessions/{yoga_today.pk}/walk-in/", {"client": Client.objects.get(first_name="Alice").pk}
    )
    assert response.status_code == 409
    assert "This client already has a place in this session." in response.content.decode()


def test_it_hides_another_staff_members_session_from_sam(client, sam, yoga_today):
    nina = factories.staff_member("Nina")
    pilates = factories.service("Pilates", kind=ServiceKind.CLASS, staff=[nina], capacity=5)
    session = factories.session(pilates, nina, factories.local(_today(), "10:00"))
    client.force_login(sam)
    for url in ["", "walk-in/", "clients/?q=a"]:
        assert client.get(f"/staff/sessions/{session.pk}/{url}").status_code == 404
    assert client.post(f"/staff/sessions/{session.pk}/walk-in/", {"client": 1}).status_code == 404


@pytest.mark.parametrize("url", ["", "walk-in/", "clients/"])
@pytest.mark.parametrize(("person", "status"), [(None, 302), ("carla", 403), ("sam", 200), ("olivia", 200)])
def test_it_opens_the_session_urls_to_the_team_only(client, request, yoga_today, url, person, status):
    if person:
        client.force_login(request.getfixturevalue(person))
    response = client.get(f"/staff/sessions/{yoga_today.pk}/{url}", headers={"HX-Request": "true"})
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/dashboard/login/")


# -- racing walk-ins (real threads; 50 at once on PostgreSQL) --


@pytest.mark.django_db(transaction=True)
def test_it_never_seats_more_walk_ins_than_a_course_meeting_has_seats(sam):
    factories.business()
    nina = factories.staff_member("Nina")
    course = factories.service("Ceramics", kind=ServiceKind.COURSE, staff=[nina], capacity=4)
    session = factories.session(course, nina, factories.local(_today(), "10:00"))

    outcomes = in_words(
        race(
            lambda i: add_walk_in(session=session, details=factories.racer(i), by=sam),
            range(CROWD),
            refused=BookingError,
        ),
        success="booked",
    )

    assert outcomes.count("booked") == 4
    assert set(outcomes) - {"booked"} == {"Sorry, this session is full."}
    session.refresh_from_db()
    assert session.seats_taken == 4
    assert Booking.objects.filter(session=session, attendance=Attendance.CHECKED_IN).count() == 4
