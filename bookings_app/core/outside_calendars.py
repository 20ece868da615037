"""Reading outside calendars: which addresses may be fetched, fetching one within limits, and
expanding its events into busy spans. No database here (``services/busy_times.py`` writes).

The limits (docs/calendar-feeds.md, "Busy times from outside calendars"): http(s) only
(``webcal://`` read as ``https://``), a host that resolves to public addresses only (this
machine too when ``OUTSIDE_CALENDAR_ALLOW_LOOPBACK``), connect and read timeouts, a deadline for
the whole fetch, a size limit checked while streaming, at most three redirects, each checked
like the first address.
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import requests
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models.busy_times import fetch_error_message

MAX_ADDRESS_LENGTH = 2000
MAX_REDIRECTS = 3
CHUNK = 64 * 1024
USER_AGENT = "Rendez busy times reader"


class CalendarAddressRefused(Exception):
    """The address may not be read (scheme, host, length); ``message`` says why."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


class FetchFailed(Exception):
    """The fetch or the file failed; ``code`` is stored (``FETCH_ERRORS``) and shown in words."""

    def __init__(self, code: str, detail: object = ""):
        self.code = f"{code}:{detail}" if detail != "" else code
        super().__init__(fetch_error_message(self.code))


@dataclass(frozen=True)
class Fetched:
    """A fetch's outcome: the file, or ``not_modified`` (a 304) with the stored copy still good."""

    body: bytes
    etag: str
    last_modified: str
    not_modified: bool = False


def normalise_address(text: str) -> str:
    """The address as it will be fetched: trimmed, ``webcal://`` as ``https://``; refused
    (``CalendarAddressRefused``) when it is not an http(s) address with a host."""
    address = (text or "").strip()
    if len(address) > MAX_ADDRESS_LENGTH:
        raise CalendarAddressRefused(_("This address is too long."))
    if address.lower().startswith("webcal://"):
        address = "https://" + address[len("webcal://") :]
    try:
        parts = urlsplit(address)
        host = parts.hostname
        parts.port  # noqa: B018 -- a port that is not a number raises here
    except ValueError:
        raise CalendarAddressRefused(_("This is not a web address.")) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise CalendarAddressRefused(_("Use an address that starts with https://, http:// or webcal://."))
    if not host or any(char.isspace() for char in address):
        raise CalendarAddressRefused(_("This is not a web address."))
    return address


def check_host(address: str) -> None:
    """Refuse an address whose host resolves to a private, link-local, reserved or (unless
    allowed) loopback address: the fetch must not reach the server's own network."""
    host = urlsplit(address).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise CalendarAddressRefused(_("This address's host cannot be found.")) from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        ip = ip.ipv4_mapped or ip if isinstance(ip, ipaddress.IPv6Address) else ip
        if ip.is_loopback and settings.OUTSIDE_CALENDAR_ALLOW_LOOPBACK:
            continue
        if not ip.is_global or ip.is_multicast:
            raise CalendarAddressRefused(_("This address points into a private network; it cannot be read."))


def fetch(address: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET the calendar, conditionally, within the limits; ``FetchFailed`` otherwise."""
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + settings.OUTSIDE_CALENDAR_DEADLINE
    with requests.Session() as session:
        session.trust_env = False  # no proxy or .netrc from the environment
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                check_host(address)
            except CalendarAddressRefused:
                raise FetchFailed("refused") from None
            outcome = _get(session, address, headers, deadline)
            if isinstance(outcome, Fetched):
                return outcome
            address = outcome
    raise FetchFailed("redirects")


def _get(session: requests.Session, address: str, headers: dict, deadline: float) -> Fetched | str:
    """One request: the outcome, or the address a redirect points to."""
    timeouts = (settings.OUTSIDE_CALENDAR_CONNECT_TIMEOUT, settings.OUTSIDE_CALENDAR_READ_TIMEOUT)
    try:
        reply = session.get(address, headers=headers, timeout=timeouts, stream=True, allow_redirects=False)
        with reply:
            validators = (reply.headers.get("ETag", ""), reply.headers.get("Last-Modified", ""))
            if reply.status_code == 304:
                return Fetched(b"", *validators, not_modified=True)
            if reply.is_redirect and reply.headers.get("Location"):
                return normalise_redirect(address, reply.headers["Location"])
            if reply.status_code != 200:
                raise FetchFailed("status", reply.status_code)
            body = _read_limited(reply, deadline)
            return Fetched(body, *validators)
    except requests.Timeout:
        raise FetchFailed("timeout") from None
    except requests.RequestException:
        raise FetchFailed("unreachable") from None


def normalise_redirect(address: str, location: str) -> str:
    try:
        return normalise_address(urljoin(address, location))
    except CalendarAddressRefused:
        raise FetchFailed("redirects") from None


def _read_limited(reply: requests.Response, deadline: float) -> bytes:
    """The body, read in chunks: abandoned past the size limit or the deadline."""
    limit = settings.OUTSIDE_CALENDAR_MAX_BYTES
    too_big = FetchFailed("too_big", round(limit / 1048576, 1))
    declared = reply.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks, size = [], 0
    for chunk in reply.iter_content(CHUNK):
        size += len(chunk)
        if size > limit:
            raise too_big
        if time.monotonic() > deadline:
            raise FetchFailed("timeout")
        chunks.append(chunk)
    return b"".join(chunks)


# --- Expanding -----------------------------------------------------------------------------------


Span = tuple[datetime, datetime]


def busy_spans(body: bytes, *, since: datetime, until: datetime, tz: ZoneInfo) -> list[Span]:
    """The busy spans (UTC, sorted, merged) of the calendar's events that touch [since, until).

    Recurring events are expanded (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides), Google's
    X-WR-TIMEZONE is honoured; all-day events block whole days in ``tz`` and floating times are
    read in ``tz``; transparent (free) and cancelled events block nothing."""
    try:
        calendar = icalendar.Calendar.from_ical(body)
        events = _events_until(
            recurring_ical_events.of(calendar, components=["VEVENT"]).after(since), until, tz
        )
        spans = sorted(span for event in events if (span := _span(event, tz)) is not None)
    except FetchFailed:
        raise
    except Exception:  # the libraries raise many kinds on a broken file
        raise FetchFailed("not_calendar") from None
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _events_until(events, until: datetime, tz: ZoneInfo) -> list[icalendar.Event]:
    """The occurrences (in start order) that start before ``until``; at most
    OUTSIDE_CALENDAR_MAX_OCCURRENCES, as a rule repeating every minute would expand into millions."""
    found, most = [], settings.OUTSIDE_CALENDAR_MAX_OCCURRENCES
    for event in events:
        if _instant(event.decoded("DTSTART"), tz) >= until:
            break
        if len(found) == most:
            raise FetchFailed("too_many", most)
        found.append(event)
    return found


def _span(event: icalendar.Event, tz: ZoneInfo) -> Span | None:
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return None
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return None
    start = event.decoded("DTSTART")
    if "DTEND" in event:
        end = event.decoded("DTEND")
    elif "DURATION" in event:
        end = start + event.decoded("DURATION")
    else:
        end = start + timedelta(days=1) if not isinstance(start, datetime) else start
    start, end = _instant(start, tz), _instant(end, tz)
    return (start, end) if start < end else None


def _instant(moment: date | datetime, tz: ZoneInfo) -> datetime:
    """A date as its local midnight in ``tz``; a floating time read in ``tz``; then UTC."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)
