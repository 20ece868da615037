"""Calendar subscription addresses: create one, renew it (a new secret, the old address dead),
revoke it, and the owner's privacy switches for the staff feeds. Each is one transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Business, CalendarFeed, Client, FeedKind, StaffMember
from .settings import update_business_settings


def _owner(kind: str, staff: StaffMember | None, client: Client | None) -> dict:
    if kind == FeedKind.BUSINESS:
        return {"kind": kind, "staff": None, "client": None}
    if kind == FeedKind.STAFF and staff is not None and client is None:
        return {"kind": kind, "staff": staff, "client": None}
    if kind == FeedKind.CLIENT and client is not None and staff is None:
        return {"kind": kind, "staff": None, "client": client}
    raise ValueError(f"a {kind} feed needs its owner, and only it")


def ensure_feed(*, kind: str, staff: StaffMember | None = None, client: Client | None = None) -> CalendarFeed:
    """The live address of the business, a staff member or a client; made the first time.
    Two requests racing to make it leave one (the one-live-feed constraints)."""
    owner = _owner(kind, staff, client)
    live = CalendarFeed.objects.filter(revoked_at__isnull=True, **owner).first()
    if live is not None:
        return live
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(**owner)
    except IntegrityError:
        return CalendarFeed.objects.get(revoked_at__isnull=True, **owner)


def revoke_feed(*, feed: CalendarFeed) -> CalendarFeed:
    """The address answers 404 from now on. Revoking a revoked feed changes nothing."""
    with transaction.atomic():
        locked = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
    return locked


def renew_feed(*, feed: CalendarFeed) -> CalendarFeed:
    """Revoke ``feed`` and make a new address for the same owner, both or neither."""
    with transaction.atomic():
        locked = revoke_feed(feed=feed)
        return CalendarFeed.objects.create(kind=locked.kind, staff=locked.staff, client=locked.client)


def set_feed_privacy(*, business: Business, client_names: bool, private_notes: bool) -> Business:
    """What staff members' feeds show: who booked each session, the team's private notes."""
    return update_business_settings(
        business=business, feed_client_names=client_names, feed_private_notes=private_notes
    )
