"""The owner keeps client records: contact details, labels, notes, and imports from a CSV file."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from ..core.errors import BookingError
from ..models import Client, Label
from .client_csv import ClientRow
from .feed_renames import show_renamed

BATCH = 500
FILLABLE_FIELDS = ("last_name", "phone", "notes")


class ClientRecordError(BookingError):
    default_message = _("This client could not be changed.")


class EmailTaken(ClientRecordError):
    default_message = _("Another client already uses this e-mail address.")


class ImportOutdated(ClientRecordError):
    default_message = _("Clients changed while you were importing. Upload the file again.")


@dataclass(frozen=True)
class ImportCounts:
    created: int
    updated: int


def update_client_details(
    *, client: Client, first_name: str, last_name: str, email: str, phone: str, language: str
) -> Client:
    """Change the client's name, e-mail, phone and language. Raises EmailTaken."""
    email = email.strip().lower()
    with transaction.atomic():
        if Client.objects.filter(email__iexact=email).exclude(pk=client.pk).exists():
            raise EmailTaken()
        stored = Client.objects.filter(pk=client.pk).values_list("first_name", "last_name").first()
        client.first_name, client.last_name = first_name.strip(), last_name.strip()
        if stored != (client.first_name, client.last_name):
            show_renamed(client=client)
        client.email, client.phone, client.language = email, phone.strip(), language
        try:
            with transaction.atomic():
                client.save(update_fields=["first_name", "last_name", "email", "phone", "language"])
        except IntegrityError as e:  # client_email_unique_ci: someone took the address meanwhile
            raise EmailTaken() from e
    return client


def add_client_label(*, client: Client, name: str) -> Label:
    """Put the label ``name`` on the client, reusing a label of that name in any case, else creating it."""
    name = " ".join(name.split())
    if not name:
        raise ClientRecordError(_("Give the label a name."))
    with transaction.atomic():
        label = _labels_by_name([name])[name.lower()]
        client.labels.add(label)
    return label


def remove_client_label(*, client: Client, label: Label) -> None:
    """Take the label off the client; the label stays for the other clients."""
    with transaction.atomic():
        client.labels.remove(label)


def set_client_notes(*, client: Client, notes: str) -> Client:
    """The team's private notes on the client."""
    with transaction.atomic():
        Client.objects.filter(pk=client.pk).update(notes=notes.strip())
        client.notes = notes.strip()
    return client


def existing_clients_by_email(emails: Iterable[str]) -> dict[str, Client]:
    """Clients whose e-mail (any case) is one of ``emails``, keyed by the lower-cased address."""
    wanted = sorted({email.lower() for email in emails})
    found: dict[str, Client] = {}
    for start in range(0, len(wanted), BATCH):
        keys = wanted[start : start + BATCH]
        batch = Client.objects.annotate(email_key=Lower("email")).filter(email_key__in=keys)
        found.update({client.email_key: client for client in batch})
    return found


def import_clients(*, rows: list[ClientRow]) -> ImportCounts:
    """Create the new clients and complete the known ones (matched by e-mail), in one transaction.

    A known client keeps every filled-in field; only empty ones are filled, and labels are added.
    Raises ImportOutdated when another client with one of the addresses appears meanwhile.
    """
    try:
        with transaction.atomic():
            existing = existing_clients_by_email(row.email for row in rows)
            new_rows = [row for row in rows if row.email not in existing]
            _create_clients(new_rows)
            _fill_in_clients([(existing[row.email], row) for row in rows if row.email in existing])
            _add_labels(rows)
    except IntegrityError as e:
        raise ImportOutdated() from e
    return ImportCounts(created=len(new_rows), updated=len(rows) - len(new_rows))


def _create_clients(rows: list[ClientRow]) -> None:
    Client.objects.bulk_create(
        [
            Client(
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                phone=row.phone,
                notes=row.notes,
            )
            for row in rows
        ],
        batch_size=BATCH,
    )


def _fill_in_clients(matches: list[tuple[Client, ClientRow]]) -> None:
    changed = []
    for client, row in matches:
        filled = False
        for field_name in FILLABLE_FIELDS:
            if not getattr(client, field_name) and getattr(row, field_name):
                setattr(client, field_name, getattr(row, field_name))
                filled = True
        if filled:
            changed.append(client)
    Client.objects.bulk_update(changed, FILLABLE_FIELDS, batch_size=BATCH)


def _add_labels(rows: list[ClientRow]) -> None:
    names = list(dict.fromkeys(name for row in rows for name in row.labels))
    if not names:
        return
    labels = _labels_by_name(names)
    clients = existing_clients_by_email(row.email for row in rows if row.labels)
    Through = Client.labels.through
    Through.objects.bulk_create(
        [
            Through(client_id=clients[row.email].pk, label_id=labels[name.lower()].pk)
            for row in rows
            for name in row.labels
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


def _labels_by_name(names: Iterable[str]) -> dict[str, Label]:
    """The labels called ``names`` (matched in any case, created when missing), keyed by lower-cased name."""
    wanted: dict[str, str] = {}
    for name in names:
        wanted.setdefault(name.lower(), name)  # the first spelling met names a new label

    def found() -> dict[str, Label]:
        # SQLite's LOWER() folds ASCII only: "À" is also looked up as spelled, and keyed in Python.
        labels = Label.objects.annotate(key=Lower("name")).filter(
            Q(key__in=list(wanted)) | Q(name__in=list(wanted.values()))
        )
        return {label.name.lower(): label for label in labels}

    labels = found()
    missing = [Label(name=name) for key, name in wanted.items() if key not in labels]
    if missing:
        Label.objects.bulk_create(missing, ignore_conflicts=True)
        labels = found()
    return labels
