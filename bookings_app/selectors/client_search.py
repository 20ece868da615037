"""Finding clients: the one search rule behind every client box of the dashboard and the tablet.

The rule: a client is found when **every word** of the search matches **one of** their first
name, last name, e-mail or phone, anywhere in it and in any case. So "ali mar" finds Alice
Martin, and "alice@" narrows to her e-mail. A phone is matched on its digits, whatever the
spaces, dashes, dots or brackets on either side: "06 12 34" and "061234" both find
"06.12.34.56.78". A search that is only a phone number counts as one word.

The input is bounded: the first 100 characters and five words are read, the rest ignored, so
a long or odd search is a harmless, cheap query.
"""

import re
from functools import reduce
from operator import and_

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.db.models.lookups import Contains

from ..models import Client

SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 5
PICKER_RESULTS = 10
PHONE_MIN_DIGITS = 3
PHONE_SEPARATORS = " -./()+"
PHONE_LIKE = re.compile(r"[\d\s\-./()+]+")


def search_words(query: str) -> list[str]:
    """The words of a search box, bounded; a search that is only a phone number is one word."""
    text = str(query or "")[:SEARCH_MAX_LENGTH].strip()
    if _phone_digits(text):
        return [text]
    return text.split()[:SEARCH_MAX_WORDS]


def client_matches(word: str, *, through: str = "") -> Q:
    """A client whose name, e-mail or phone holds ``word`` (any case). ``through`` reaches the
    client from another model, e.g. ``"client__"`` for bookings."""
    found = (
        Q(**{f"{through}first_name__icontains": word})
        | Q(**{f"{through}last_name__icontains": word})
        | Q(**{f"{through}email__icontains": word})
        | Q(**{f"{through}phone__icontains": word})
    )
    if digits := _phone_digits(word):
        found |= Q(Contains(_phone_without_separators(f"{through}phone"), digits))
    return found


def search_clients(query: str, clients: QuerySet[Client] | None = None) -> QuerySet[Client]:
    """The clients (of ``clients``, else all) matching the search, by name; every one for an
    empty search."""
    clients = Client.objects.all() if clients is None else clients
    words = search_words(query)
    if words:
        clients = clients.filter(reduce(and_, (client_matches(word) for word in words)))
    return clients.order_by("first_name", "last_name", "pk")


def client_picker(query: str, *, limit: int = PICKER_RESULTS) -> list[Client]:
    """The first ``limit`` clients a picker offers for the search; none before a word is typed."""
    if not search_words(query):
        return []
    return list(search_clients(query)[:limit])


def _phone_digits(word: str) -> str:
    """The digits of a word written like a phone number (at least three digits), else ""."""
    if not PHONE_LIKE.fullmatch(word):
        return ""
    digits = re.sub(r"\D", "", word)
    return digits if len(digits) >= PHONE_MIN_DIGITS else ""


def _phone_without_separators(field: str):
    phone = F(field)
    for separator in PHONE_SEPARATORS:
        phone = Replace(phone, Value(separator), Value(""))
    return phone
