"""The owner's Clients pages: the live-searched list, one client's record, the CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.models import Attendance, Booking, BookingStatus, Client, Label, ServiceKind
from bookings_app.services import client_csv, client_records
from tests import factories

CLIENTS = "/dashboard/clients/"


@pytest.fixture
def studio(db):
    factories.business()
    nina = factories.staff_member("Nina")
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=2000)
    return {"nina": nina, "yoga": yoga}


def _visits(studio, clients: list[Client], *, checked_in: int = 1, upcoming: int = 1) -> None:
    """Each client: ``checked_in`` past visits and ``upcoming`` future bookings, bulk-created."""
    yoga, nina, now = studio["yoga"], studio["nina"], timezone.now()
    bookings = []
    for offset in range(checked_in):
        past = factories.session(yoga, nina, now - timedelta(days=offset + 1), capacity=2000)
        bookings += [
            Booking(session=past, service=yoga, client=client, attendance=Attendance.CHECKED_IN)
            for client in clients
        ]
    for offset in range(upcoming):
        future = factories.session(yoga, nina, now + timedelta(days=offset + 1), capacity=2000)
        bookings += [Booking(session=future, service=yoga, client=client) for client in clients]
    Booking.objects.bulk_create(bookings, batch_size=500)


def _many_clients(count: int, label: Label) -> list[Client]:
    Client.objects.bulk_create(
        [
            Client(first_name=f"Client{n}", last_name="Many", email=f"client{n}@client.test")
            for n in range(count)
        ]
    )
    clients = list(Client.objects.filter(last_name="Many"))
    Client.labels.through.objects.bulk_create([Client.labels.through(client=c, label=label) for c in clients])
    return clients


@pytest.mark.parametrize("count", [10, 1000])
def test_it_lists_a_page_of_clients_with_the_same_queries_for_10_and_1000(
    client, olivia, studio, django_assert_num_queries, count
):
    vip = Label.objects.create(name="VIP")
    _visits(studio, _many_clients(count, vip))
    client.force_login(olivia)
    # session, user, groups, count, page, labels, business, label choices, loyalty program on (its panel)
    with django_assert_num_queries(9):
        response = client.get(CLIENTS)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 25)
    first = response.context["page"].object_list[0]
    assert (first.visits, first.upcoming, [label.name for label in first.labels.all()]) == (1, 1, ["VIP"])


def test_it_counts_each_clients_own_visits_and_bookings_to_come(client, olivia, studio):
    alice, bob = factories.client("Alice"), factories.client("Bob")
    _visits(studio, [alice], checked_in=3, upcoming=2)
    _visits(studio, [bob], checked_in=0, upcoming=0)
    no_show = factories.session(studio["yoga"], studio["nina"], timezone.now() - timedelta(days=10))
    factories.booking(no_show, alice, attendance=Attendance.NO_SHOW)
    gone = factories.session(studio["yoga"], studio["nina"], timezone.now() + timedelta(days=9))
    factories.booking(gone, alice, status=BookingStatus.CANCELLED)
    client.force_login(olivia)

    rows = {row.first_name: row for row in client.get(CLIENTS).context["page"].object_list}

    last = timezone.now() - timedelta(days=1)
    assert (rows["Alice"].visits, rows["Alice"].upcoming) == (3, 2)
    assert abs(rows["Alice"].last_visit - last) < timedelta(minutes=1)
    assert (rows["Bob"].visits, rows["Bob"].last_visit, rows["Bob"].upcoming) == (0, None, 0)


def test_it_finds_clients_by_name_email_or_phone(client, olivia, studio):
    factories.client("Alice", last_name="Martin", phone="+33 6 12 34 56 78")
    factories.client("Bob", email="bob@example.org")
    client.force_login(olivia)
    assert [c.first_name for c in client.get(CLIENTS, {"q": "alice martin"}).context["page"]] == ["Alice"]
    assert [c.first_name for c in client.get(CLIENTS, {"q": "example.org"}).context["page"]] == ["Bob"]
    assert [c.first_name for c in client.get(CLIENTS, {"q": "12 34"}).context["page"]] == ["Alice"]


def test_it_answers_a_live_search_with_the_table_only(client, olivia, studio):
    factories.client("Alice")
    client.force_login(olivia)
    response = client.get(CLIENTS, {"q": "ali"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<table" in body and "Alice" in body
    assert "<html" not in body
    assert response["Vary"].count("HX-Request") == 1


def test_it_filters_clients_by_label(client, olivia, studio):
    alice, bob = factories.client("Alice"), factories.client("Bob")
    vip = Label.objects.create(name="VIP")
    alice.labels.add(vip)
    client.force_login(olivia)
    assert [c.first_name for c in client.get(CLIENTS, {"label": vip.pk}).context["page"]] == ["Alice"]
    assert bob  # Bob has no label and is not listed


def test_it_shows_a_clients_totals_and_bookings(client, olivia, studio):
    alice = factories.client("Alice")
    _visits(studio, [alice], checked_in=2, upcoming=1)
    past = Booking.objects.filter(client=alice, attendance=Attendance.CHECKED_IN).first()
    Booking.objects.filter(pk=past.pk).update(attendance=Attendance.NO_SHOW)
    client.force_login(olivia)
    response = client.get(f"{CLIENTS}{alice.pk}/")
    assert response.status_code == 200
    assert response.context["totals"] == {"visits": 1, "no_shows": 1, "cancellations": 0}
    assert len(response.context["upcoming"]) == 1
    assert len(response.context["history"].object_list) == 3


def test_it_saves_contact_details(client, olivia, studio):
    alice = factories.client("Alice")
    client.force_login(olivia)
    response = client.post(
        f"{CLIENTS}{alice.pk}/details/",
        {
            "first_name": "Alicia",
            "last_name": "Martin",
            "email": "Alicia@Client.test",
            "phone": "0612",
            "language": "fr",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert (alice.first_name, alice.email, alice.language) == ("Alicia", "alicia@client.test", "fr")


def test_it_refuses_an_email_another_client_uses_next_to_the_field(client, olivia, studio):
    alice, bob = factories.client("Alice"), factories.client("Bob")
    client.force_login(olivia)
    response = client.post(
        f"{CLIENTS}{alice.pk}/details/",
        {
            "first_name": "Alice",
            "email": bob.email.upper(),
            "language": "en",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "Another client already uses this e-mail address." in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@client.test"


def test_it_adds_a_label_reusing_one_of_any_case_and_removes_it(client, olivia, studio):
    alice = factories.client("Alice")
    vip = Label.objects.create(name="VIP")
    client.force_login(olivia)
    response = client.post(f"{CLIENTS}{alice.pk}/labels/", {"name": " vip "}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert list(alice.labels.all()) == [vip]
    client.post(f"{CLIENTS}{alice.pk}/labels/", {"name": "Morning  people"}, headers={"HX-Request": "true"})
    assert sorted(alice.labels.values_list("name", flat=True)) == ["Morning people", "VIP"]
    client.post(f"{CLIENTS}{alice.pk}/labels/{vip.pk}/remove/", headers={"HX-Request": "true"})
    assert list(alice.labels.values_list("name", flat=True)) == ["Morning people"]
    assert Label.objects.filter(name="VIP").exists()


def test_it_refuses_an_empty_label(client, olivia, studio):
    alice = factories.client("Alice")
    client.force_login(olivia)
    response = client.post(f"{CLIENTS}{alice.pk}/labels/", {"name": "   "}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert not alice.labels.exists()


def test_it_saves_the_clients_notes(client, olivia, studio):
    alice = factories.client("Alice")
    client.force_login(olivia)
    response = client.post(f"{CLIENTS}{alice.pk}/notes/", {"notes": " Prefers mornings "})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.notes == "Prefers mornings"


def test_it_exports_the_searched_clients_as_csv(client, olivia, studio):
    alice = factories.client("Alice", last_name="Martin", phone="+33 6 12", notes="=HYPERLINK()")
    alice.labels.add(Label.objects.create(name="VIP"), Label.objects.create(name="Yoga"))
    factories.client("Bob")
    client.force_login(olivia)
    response = client.get(f"{CLIENTS}export.csv", {"q": "alice"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 1
    alice_row = rows[0]
    assert (alice_row["email"], alice_row["phone"]) == ("alice@client.test", "+33 6 12")
    assert alice_row["labels"] == "VIP;Yoga"
    assert rows[0]["notes"] == "'=HYPERLINK()"  # a spreadsheet does not run it
    assert list(rows[0]) == client_csv.EXPORT_COLUMNS


def test_the_details_service_refuses_a_taken_address(studio):
    alice, bob = factories.client("Alice"), factories.client("Bob")
    with pytest.raises(client_records.EmailTaken):
        client_records.update_client_details(
            client=alice, first_name="A", last_name="", email=bob.email, phone="", language="en"
        )


def test_the_cancellation_total_counts_cancelled_bookings(client, olivia, studio):
    alice = factories.client("Alice")
    _visits(studio, [alice], checked_in=0, upcoming=1)
    Booking.objects.filter(client=alice).update(status=BookingStatus.CANCELLED)
    client.force_login(olivia)
    assert client.get(f"{CLIENTS}{alice.pk}/").context["totals"]["cancellations"] == 1


URLS = [
    CLIENTS,
    f"{CLIENTS}export.csv",
    f"{CLIENTS}import/",
    "/dashboard/bookings/",
    "/dashboard/emails/",
    "CLIENT",
    "BOOKING",
    "EMAIL",
]


@pytest.fixture
def people_objects(studio):
    from bookings_app.models import OutgoingEmail

    alice = factories.client("Alice")
    session = factories.session(studio["yoga"], studio["nina"], timezone.now() + timedelta(days=2))
    booking = factories.booking(session, alice)
    email = OutgoingEmail.objects.create(
        kind="confirmation", dedupe_key="k1", to=alice.email, from_email="x@y.z", subject="Hi", body_text="Hi"
    )
    return {
        "CLIENT": f"{CLIENTS}{alice.pk}/",
        "BOOKING": f"/dashboard/bookings/{booking.pk}/",
        "EMAIL": f"/dashboard/emails/{email.pk}/",
    }


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(("person", "status"), [(None, 302), ("carla", 403), ("sam", 403), ("olivia", 200)])
def test_it_lets_only_the_owner_in(client, request, people_objects, url, person, status):
    url = people_objects.get(url, url)
    if person:
        client.force_login(request.getfixturevalue(person))
    response = client.get(url)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/dashboard/login/")
