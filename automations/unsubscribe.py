"""Unsubscribe links in automation e-mails: a signed, stable token per client."""

from urllib.parse import quote

from django.core import signing

from bookings_app.models import Client
from bookings_app.web.links import absolute_url

_SALT = "rendez.automations.unsubscribe"
# The public path of automations.urls' "unsubscribe" view, mounted at /automations/. Built by
# hand so an e-mail never fails on URL wiring; tests check it against reverse() and the site.
UNSUBSCRIBE_PATH = "/automations/unsubscribe/{token}/"


def unsubscribe_token(client: Client) -> str:
    """Stable for a client (no timestamp): every e-mail carries the same working link."""
    return signing.Signer(salt=_SALT).sign(str(client.pk))


def client_for_token(token: str) -> Client | None:
    """The client behind a token, or None for a tampered or unknown one."""
    try:
        client_id = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Client.objects.filter(pk=client_id).first()


def unsubscribe_url(client: Client) -> str:
    """Absolute, for e-mails and the List-Unsubscribe header."""
    path = UNSUBSCRIBE_PATH.format(token=quote(unsubscribe_token(client), safe=":"))
    return absolute_url(path)


def unsubscribe_headers(client: Client, *, url: str = "") -> dict[str, str]:
    """RFC 2369 and RFC 8058 (one-click) headers for a message to ``client``. ``url``: the
    client's ``unsubscribe_url`` when the caller made it already (it is signed: once is enough)."""
    return {
        "List-Unsubscribe": f"<{url or unsubscribe_url(client)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
