"""Importing clients from a CSV file: preview first, then all rows in one transaction."""

from datetime import UTC

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bookings_app.models import Client, Label
from bookings_app.services import client_csv, client_records
from bookings_app.services.client_csv import ClientRow, CsvRefused, parse_client_text
from tests import factories

IMPORT = "/dashboard/clients/import/"
CONFIRM = "/dashboard/clients/import/confirm/"


def _upload(text: str, *, name: str = "clients.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


GOOD_FILE = (
    "email,first_name,last_name,phone,labels,notes\n"
    "alice@client.test,Alice,,+33 6 12,VIP;Yoga,Knee injury\n"
    "bob@client.test,Bob,Stone,,,\n"
    "not-an-address,Carl,,,,\n"
    "dina@client.test,,,,,\n"
    "BOB@client.test,Bobby,,,,\n"
)


def _preview(client, text: str, **kwargs):
    return client.post(IMPORT, {"file": _upload(text, **kwargs)})


def test_it_previews_what_the_file_would_do_and_changes_nothing(client, olivia):
    factories.client("Alice", email="Alice@Client.test")
    client.force_login(olivia)
    response = _preview(client, GOOD_FILE)
    assert response.status_code == 200
    counts = [response.context[name] for name in ("created", "updated", "rejected")]
    assert counts == [1, 1, 3]
    reasons = {rejection.line: rejection.reason for rejection in response.context["rejections"]}
    assert "invalid e-mail address" in reasons[4]
    assert reasons[5] == "missing first name"
    assert "duplicate e-mail address" in reasons[6]
    assert Client.objects.count() == 1


def test_it_imports_after_the_preview_filling_only_empty_fields(client, olivia):
    alice = factories.client("Alice", phone="0102", notes="")
    client.force_login(olivia)
    import_id = _preview(client, GOOD_FILE).context["import_id"]
    response = client.post(CONFIRM, {"import_id": import_id})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.phone, alice.notes) == ("0102", "Knee injury")
    assert sorted(alice.labels.values_list("name", flat=True)) == ["VIP", "Yoga"]
    bob = Client.objects.get(email="bob@client.test")
    assert (bob.first_name, bob.last_name) == ("Bob", "Stone")
    assert Client.objects.count() == 2


def test_a_second_confirm_imports_nothing_more(client, olivia):
    client.force_login(olivia)
    import_id = _preview(client, GOOD_FILE).context["import_id"]
    client.post(CONFIRM, {"import_id": import_id})
    response = client.post(CONFIRM, {"import_id": import_id}, follow=True)
    assert "This preview has expired" in response.content.decode()
    assert Client.objects.count() == 2


def test_it_reads_a_file_with_a_bom_semicolons_and_spaced_headers(client, olivia):
    client.force_login(olivia)
    response = _preview(client, "\ufeffE-mail;First name;Labels\nzoe@client.test;Zoé;VIP\n")
    assert (response.context["created"], response.context["rejected"]) == (1, 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "This is not a CSV file"),
        ("email,first_name\nz@c.test,Zo\xe9\n".encode("latin-1"), "not UTF-8"),
        (b"name,phone\nAlice,0102\n", "at least “email”"),
        (b"", "The submitted file is empty"),
    ],
)
def test_it_refuses_a_file_it_cannot_read_next_to_the_field(client, olivia, content, message):
    client.force_login(olivia)
    response = client.post(IMPORT, {"file": SimpleUploadedFile("clients.csv", content)})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_it_refuses_a_file_over_5_mb(client, olivia):
    client.force_login(olivia)
    big = "email,first_name\n" + "x" * (client_csv.MAX_BYTES + 10)
    response = _preview(client, big)
    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()


def test_it_refuses_more_than_20000_rows():
    rows = "".join(f"c{n}@client.test,C\n" for n in range(client_csv.MAX_ROWS + 1))
    with pytest.raises(CsvRefused, match="more than 20,000 rows"):
        parse_client_text("email,first_name\n" + rows)


def test_a_label_is_matched_in_any_case_and_created_once(db):
    Label.objects.create(name="VIP")
    rows = [
        ClientRow(line=2, email="a@client.test", first_name="A", labels=("vip", "New")),
        ClientRow(line=3, email="b@client.test", first_name="B", labels=("NEW",)),
    ]
    counts = client_records.import_clients(rows=rows)
    assert (counts.created, counts.updated) == (2, 0)
    assert sorted(Label.objects.values_list("name", flat=True)) == ["New", "VIP"]
    assert sorted(Client.objects.get(email="b@client.test").labels.values_list("name", flat=True)) == ["New"]


def test_an_import_of_thousands_of_rows_runs_in_a_few_queries(db, django_assert_max_num_queries):
    rows = [
        ClientRow(line=n, email=f"c{n}@client.test", first_name="C", labels=("VIP",)) for n in range(2000)
    ]
    with django_assert_max_num_queries(40):
        client_records.import_clients(rows=rows)
    assert Client.objects.count() == 2000
    assert Label.objects.get(name="VIP").clients.count() == 2000


def test_an_exported_file_imports_back_with_quotes_commas_and_line_breaks(db):
    alice = factories.client("Alice", last_name="O'Neil", notes='Said "hi", then\nleft; early')
    alice.labels.add(Label.objects.create(name="VIP"))
    text = "".join(client_csv.client_csv_lines(Client.objects.prefetch_related("labels"), tz=UTC))
    parsed = parse_client_text(text.lstrip("\ufeff"))
    assert parsed.rejections == []
    assert parsed.rows[0].notes == 'Said "hi", then\nleft; early'
    assert parsed.rows[0].labels == ("VIP",)
