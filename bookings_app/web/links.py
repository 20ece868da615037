"""Signed links that let a client manage a booking without signing in."""

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse

from ..display.client_zone import TZ_PARAM, email_zone
from ..models import Booking, Business, CalendarFeed, WaitlistEntry

_SALT = "rendez.booking.manage"


def manage_token(booking: Booking) -> str:
    """Stable for a booking (no timestamp), so every e-mail carries the same link."""
    return signing.Signer(salt=_SALT).sign(booking.code)


def booking_for_token(token: str) -> Booking | None:
    """The booking behind a manage token, or None for a tampered or unknown one."""
    try:
        code = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Booking.objects.select_related("client", "service", "session__staff").filter(code=code).first()


def absolute_url(path: str) -> str:
    """``path`` at the site's public address (``SITE_URL``): for e-mails and their headers."""
    return settings.SITE_URL.rstrip("/") + path


def manage_path(booking: Booking) -> str:
    return reverse("public:manage", args=[manage_token(booking)])


def manage_url(booking: Booking) -> str:
    """Absolute, for e-mails. It carries the zone the e-mail is written in, so the page it opens
    shows the same times."""
    zone = booking.client.tz or email_zone(booking.client, Business.current())
    return absolute_url(f"{manage_path(booking)}?{urlencode({TZ_PARAM: zone.key})}")


def feed_url(feed: CalendarFeed | None) -> str:
    """A calendar feed's subscription address, absolute (calendar apps fetch it), or ""."""
    return absolute_url(reverse("public:calendar_feed", args=[feed.token])) if feed else ""


_WAITLIST_SALT = "rendez.waitlist.entry"


def waitlist_token(entry: WaitlistEntry) -> str:
    """Signs the entry's id: the link in the offer e-mail and on the client's pages."""
    return signing.Signer(salt=_WAITLIST_SALT).sign(str(entry.pk))


def waitlist_entry_for_token(token: str) -> WaitlistEntry | None:
    try:
        pk = signing.Signer(salt=_WAITLIST_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return (
        WaitlistEntry.objects.select_related("client", "session__service", "session__staff", "booking")
        .filter(pk=int(pk))
        .first()
    )


def waitlist_path(entry: WaitlistEntry) -> str:
    return reverse("public:waitlist_entry", args=[waitlist_token(entry)])


def waitlist_url(entry: WaitlistEntry) -> str:
    zone = entry.client.tz or email_zone(entry.client, Business.current())
    return absolute_url(f"{waitlist_path(entry)}?{urlencode({TZ_PARAM: zone.key})}")
