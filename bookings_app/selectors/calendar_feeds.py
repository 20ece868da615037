"""What the calendar feeds read: the live feed behind a token, and the sessions or bookings of
its window (the past 30 days and the next 365, cancelled ones included so calendars drop them)."""

import re
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ..models import LIVE_STATUSES, Booking, CalendarFeed, Client, FeedKind, Session, StaffMember

PAST = timedelta(days=30)
AHEAD = timedelta(days=365)
# What new_feed_token() makes: URL-safe base64. Anything else is not looked up at all.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def live_feed(token: str) -> CalendarFeed | None:
    """The feed whose address holds ``token``, unless revoked; None for anything else."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return (
        CalendarFeed.objects.select_related("staff", "client")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )


def feed_window_start(now: datetime) -> datetime:
    """The earliest start a feed shows at ``now``."""
    return now - PAST


def _window(now: datetime | None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return now - PAST, now + AHEAD


def feed_sessions(*, staff: StaffMember | None = None, now: datetime | None = None) -> QuerySet[Session]:
    """The sessions of the window (one staff member's, or everyone's), cancelled ones included,
    with their live bookings (a place held while the client pays counts) and clients, in two
    queries whatever their number."""
    since, until = _window(now)
    sessions = Session.objects.filter(start__gte=since, start__lt=until)
    if staff is not None:
        sessions = sessions.filter(staff=staff)
    bookings = (
        Booking.objects.filter(status__in=LIVE_STATUSES)
        .select_related("client")
        .order_by("client__first_name", "client__last_name", "pk")
    )
    return (
        sessions.select_related("service", "staff")
        .prefetch_related(Prefetch("bookings", queryset=bookings, to_attr="feed_bookings"))
        .order_by("start", "pk")
    )


def feed_bookings(*, client: Client, now: datetime | None = None) -> QuerySet[Booking]:
    """One client's bookings whose session starts in the window, whatever their status."""
    since, until = _window(now)
    return (
        Booking.objects.filter(client=client, session__start__gte=since, session__start__lt=until)
        .select_related("session", "session__staff", "service")
        .order_by("session__start", "pk")
    )


def team_feeds() -> tuple[CalendarFeed | None, list[tuple[StaffMember, CalendarFeed | None]]]:
    """The business's live feed and each active staff member with theirs, for the settings page."""
    live = {
        (feed.kind, feed.staff_id): feed
        for feed in CalendarFeed.objects.filter(
            revoked_at__isnull=True, kind__in=[FeedKind.BUSINESS, FeedKind.STAFF]
        )
    }
    staff = StaffMember.objects.filter(is_active=True).order_by("name")
    return live.get((FeedKind.BUSINESS, None)), [
        (member, live.get((FeedKind.STAFF, member.pk))) for member in staff
    ]


def live_feed_of(*, staff: StaffMember | None = None, client: Client | None = None) -> CalendarFeed | None:
    """The live feed of a staff member or a client, if they have one."""
    owner = {"staff": staff} if staff is not None else {"client": client}
    return CalendarFeed.objects.filter(revoked_at__isnull=True, **owner).first()
