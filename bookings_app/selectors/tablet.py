"""Read side of the staff tablet: the day's sessions with their rosters (its client search is
``selectors.client_picker``).

Every function returns what its page needs in a fixed number of queries, however many
sessions, bookings and labels the day holds.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, When
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Attendance,
    Booking,
    BookingStatus,
    Business,
    Client,
    ClientPlan,
    MembershipPeriod,
    PlanCreditUse,
    PlanKind,
    ServiceKind,
    Session,
    SessionStatus,
    StaffMember,
    WaitlistEntry,
    WaitlistStatus,
)
from ..web.roles import is_owner
from .plans import usable_memberships_of, usable_plans_of

CLIENT_SEARCH_LIMIT = 8
GROUP_KINDS = (ServiceKind.CLASS, ServiceKind.COURSE)


def roster_bookings(*, tz: ZoneInfo | None = None) -> QuerySet[Booking]:
    """Confirmed bookings with their client, labels, the pack credit that paid (``plan_credit``),
    ``is_first_visit`` (no earlier check-in) and, for one paid with a membership,
    ``membership_sessions``: the sessions it pays for in that week or month (``tz``: the
    business's time zone, read when not given)."""
    earlier_check_in = Booking.objects.filter(
        client=OuterRef("client"),
        attendance=Attendance.CHECKED_IN,
        session__start__lt=OuterRef("session__start"),
    )
    return (
        Booking.objects.filter(status=BookingStatus.CONFIRMED)
        .select_related("client", "plan_credit__client_plan__plan")
        .prefetch_related("client__labels")
        .annotate(is_first_visit=~Exists(earlier_check_in))
        .annotate(**_membership_sessions(tz or Business.current().tz))
        .order_by("client__first_name", "client__last_name", "pk")
    )


def _membership_sessions(tz: ZoneInfo) -> dict:
    """``membership_sessions``: bookings the membership that paid this one pays for in the
    week (Monday to Sunday) or calendar month of its session, in the business's time zone
    (``selectors.memberships.counting_window``); a subquery, not a query per row."""
    windows = {MembershipPeriod.WEEK: TruncWeek, MembershipPeriod.MONTH: TruncMonth}
    annotations = {
        f"session_{period}": trunc("session__start", tzinfo=tz) for period, trunc in windows.items()
    }
    counts = []
    for period, trunc in windows.items():
        paid = (
            PlanCreditUse.objects.filter(
                client_plan=OuterRef("plan_credit__client_plan"), returned_at__isnull=True
            )
            .annotate(window=trunc("booking__session__start", tzinfo=tz))
            .filter(window=OuterRef(f"session_{period}"))
            .order_by()
            .values("client_plan")
            .annotate(n=Count("pk"))
            .values("n")
        )
        counts.append(
            When(
                plan_credit__client_plan__plan__kind=PlanKind.MEMBERSHIP,
                plan_credit__client_plan__plan__period=period,
                then=Subquery(paid),
            )
        )
    annotations["membership_sessions"] = Case(*counts, default=None, output_field=IntegerField())
    return annotations


def waiting_line() -> Prefetch:
    """A session's clients waiting in line, in order, as ``session.line`` (one query for the day)."""
    entries = (
        WaitlistEntry.objects.filter(status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED])
        .select_related("client")
        .order_by("position", "joined_at", "pk")
    )
    return Prefetch("waitlist", queryset=entries, to_attr="line")


def day_sessions(
    *, day: date, business: Business, staff: StaffMember | None = None, now: datetime | None = None
) -> list[Session]:
    """Scheduled sessions starting on ``day`` (business time zone), by time, each with ``roster``.

    Each session also gets ``is_now`` (it is running) and ``takes_walk_ins`` (a class or
    course meeting with a free seat). Four queries: sessions, bookings, labels, waitlists.
    """
    now = now or timezone.now()
    start = datetime.combine(day, time.min, tzinfo=business.tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=business.tz)
    sessions = Session.objects.filter(status=SessionStatus.SCHEDULED, start__gte=start, start__lt=end)
    if staff is not None:
        sessions = sessions.filter(staff=staff)
    sessions = list(
        sessions.select_related("service", "staff")
        .prefetch_related(
            Prefetch("bookings", queryset=roster_bookings(tz=business.tz), to_attr="roster"), waiting_line()
        )
        .order_by("start", "pk")
    )
    for session in sessions:
        decorate_session(session, now=now)
    return sessions


def decorate_session(session: Session, *, now: datetime) -> Session:
    session.is_now = session.start <= now < session.end
    session.takes_walk_ins = session.service.kind in GROUP_KINDS and session.seats_left > 0
    session.has_no_show = any(booking.attendance == Attendance.NO_SHOW for booking in session.roster)
    return session


def session_for_tablet(*, session_id: int, now: datetime | None = None) -> Session | None:
    """One scheduled session with its roster (the card re-rendered after a walk-in), or None."""
    sessions = (
        Session.objects.filter(pk=session_id, status=SessionStatus.SCHEDULED)
        .select_related("service", "staff")
        .prefetch_related(Prefetch("bookings", queryset=roster_bookings(), to_attr="roster"), waiting_line())
    )
    session = sessions.first()
    return decorate_session(session, now=now or timezone.now()) if session else None


def with_walk_in_packs(clients: list[Client], *, session: Session, now: datetime | None = None) -> None:
    """Give each found client ``packs`` and ``memberships``: those that can pay for a seat in
    ``session``, a membership even once the session has started (two queries); and
    ``memberships_held_back``: their memberships of this service that cannot, each with
    ``held_back_because`` when the desk can say why (frozen, no sessions left that week/month)."""
    now = now or timezone.now()
    packs = usable_plans_of(clients, service=session.service, start=session.start, now=now)
    refused: list = []
    memberships = usable_memberships_of(
        clients, service=session.service, start=session.start, now=now, at_the_door=True, refused=refused
    )
    for membership in refused:
        membership.held_back_because = _why_held_back(membership)
    for client in clients:
        client.packs = [pack for pack in packs if pack.client_id == client.pk]
        client.memberships = [each for each in memberships if each.client_id == client.pk]
        client.memberships_held_back = [
            each for each in refused if each.client_id == client.pk and each.held_back_because
        ]


def _why_held_back(membership: ClientPlan) -> str:
    """What the desk can tell a member at the door: the freeze, or the sessions used up."""
    if membership.is_frozen:
        return _("Frozen on that day")
    limit = membership.plan.sessions_per_period
    if limit is not None and membership.sessions_used >= limit:
        if membership.plan.period == MembershipPeriod.WEEK:
            return _("No sessions left this week")
        return _("No sessions left this month")
    return ""


def staff_filter_chips() -> list[StaffMember]:
    """Every active staff member, by name: the owner's filter chips."""
    return list(StaffMember.objects.filter(is_active=True).order_by("name", "pk"))


def visible_sessions(user) -> QuerySet[Session]:
    """Sessions the tablet user may act on: all for an owner, their own for a staff member."""
    if is_owner(user):
        return Session.objects.all()
    return Session.objects.filter(staff__user=user)
