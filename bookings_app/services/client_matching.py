"""Clients are created or matched by e-mail when they book."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from ..models import Client


@dataclass(frozen=True)
class ClientDetails:
    """What a booking form says about the person booking."""

    email: str
    first_name: str
    last_name: str = ""
    phone: str = ""
    language: str = "en"
    time_zone: str = ""


def find_or_create_client(*, details: ClientDetails) -> Client:
    """The client with this e-mail (any case), created if new; fills in a missing phone or name.

    Two first bookings racing with one address meet at the unique index: the loser reads
    the winner's row.
    """
    email = details.email.strip().lower()
    client = Client.objects.filter(email__iexact=email).first()
    if client is None:
        try:
            with transaction.atomic():
                return Client.objects.create(
                    email=email,
                    first_name=details.first_name.strip(),
                    last_name=details.last_name.strip(),
                    phone=details.phone.strip(),
                    language=details.language,
                    time_zone=details.time_zone,
                )
        except IntegrityError:
            client = Client.objects.get(email__iexact=email)
    changed = []
    if details.phone and not client.phone:
        client.phone = details.phone.strip()
        changed.append("phone")
    if details.time_zone and client.time_zone != details.time_zone:
        client.time_zone = details.time_zone
        changed.append("time_zone")
    if changed:
        client.save(update_fields=changed)
    return client
