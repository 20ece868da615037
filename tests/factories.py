"""Small builders for exactly the data a test needs. Times are aware; dates are business-local."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.db.models import F
from django.utils import timezone

from bookings_app.models import (
    Booking,
    Business,
    ClassSchedule,
    Client,
    Question,
    Service,
    ServiceKind,
    Session,
    SessionStatus,
    StaffMember,
    User,
    WorkingHours,
)
from bookings_app.services.client_matching import ClientDetails
from bookings_app.web.roles import ensure_roles


def business(**fields) -> Business:
    """The business row, with a policy that stays out of the way unless a test sets it."""
    defaults = {
        "name": "Studio Lumen",
        "time_zone": "Europe/Paris",
        "min_notice_minutes": 0,
        "max_advance_days": 365,
        "cancel_window_hours": 24,
        "slot_step_minutes": 30,
    }
    Business.objects.update_or_create(pk=1, defaults={**defaults, **fields})
    return Business.current()


def staff_member(name: str = "Nina", *, hours: dict[int, list[tuple[str, str]]] | None = None) -> StaffMember:
    """A staff member; ``hours`` maps weekday (0 = Monday) to ("09:00", "17:00") intervals."""
    member = StaffMember.objects.create(name=name, email=f"{name.lower()}@studio.test")
    for weekday, intervals in (
        hours if hours is not None else {d: [("09:00", "17:00")] for d in range(5)}
    ).items():
        for start, end in intervals:
            WorkingHours.objects.create(
                staff=member, weekday=weekday, start=time.fromisoformat(start), end=time.fromisoformat(end)
            )
    return member


def service(name: str = "Massage", *, kind: str = ServiceKind.APPOINTMENT, staff=(), **fields) -> Service:
    defaults = {
        "slug": name.lower().replace(" ", "-"),
        "duration_minutes": 60,
        "price": Decimal("50.00"),
        "capacity": 1,
    }
    created = Service.objects.create(name=name, kind=kind, **{**defaults, **fields})
    created.staff.set(staff)
    return created


def client(first_name: str = "Alice", email: str | None = None, **fields) -> Client:
    return Client.objects.create(
        first_name=first_name, email=email or f"{first_name.lower()}@client.test", **fields
    )


def session(
    service_: Service,
    staff: StaffMember,
    start: datetime,
    *,
    capacity: int | None = None,
    status: str = SessionStatus.SCHEDULED,
) -> Session:
    """A session with its blocked span computed from the service's buffers."""
    end = start + service_.duration
    return Session.objects.create(
        service=service_,
        staff=staff,
        start=start,
        end=end,
        blocked_start=start - service_.buffer_before,
        blocked_end=end + service_.buffer_after,
        capacity=capacity if capacity is not None else service_.capacity,
        status=status,
    )


def class_schedule(
    service_: Service,
    staff: StaffMember,
    *,
    weekdays: str = "MO,WE",
    at: str = "18:00",
    starts_on: date,
    count: int | None = None,
    until: date | None = None,
) -> ClassSchedule:
    return ClassSchedule.objects.create(
        service=service_,
        staff=staff,
        weekdays=weekdays,
        start_time=time.fromisoformat(at),
        starts_on=starts_on,
        count=count,
        until=until,
    )


def local(day: date, at: str, tz: str = "Europe/Paris") -> datetime:
    """An aware datetime at wall-clock ``at`` on ``day`` in ``tz``."""
    return datetime.combine(day, time.fromisoformat(at), tzinfo=ZoneInfo(tz))


def later_today(minutes: int, tz: str = "Europe/Paris") -> datetime:
    """A moment ``minutes`` from now on the business's today; when that would fall after local
    midnight, the same distance before now, so the staff's today page still lists it."""
    now = timezone.now()
    today = now.astimezone(ZoneInfo(tz)).date()
    later = now + timedelta(minutes=minutes)
    return later if later.astimezone(ZoneInfo(tz)).date() == today else now - timedelta(minutes=minutes)


def started_today(minutes: int, tz: str = "Europe/Paris") -> datetime:
    """A start ``minutes`` ago, but not before the business's midnight: a session running now
    that the staff's today page lists, even a few minutes after midnight."""
    now = timezone.now()
    midnight = datetime.combine(now.astimezone(ZoneInfo(tz)).date(), time.min, tzinfo=ZoneInfo(tz))
    return max(now - timedelta(minutes=minutes), midnight)


def next_weekday(weekday: int, *, after: date | None = None) -> date:
    """The next date (strictly after ``after``, default today) falling on ``weekday``."""
    start = (after or date.today()) + timedelta(days=1)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def question(
    service_: Service, label: str, *, kind: str = "text", choices: str = "", required: bool = False
) -> Question:
    """A booking-form question of ``service_`` (kind text, choice or yes_no)."""
    return Question.objects.create(
        service=service_,
        label=label,
        kind=kind,
        choices=choices,
        is_required=required,
        position=service_.questions.count(),
    )


def booking(session_: Session, client_: Client, **fields) -> Booking:
    """A confirmed booking of ``client_`` in ``session_`` that takes one seat, without events or e-mails."""
    Session.objects.filter(pk=session_.pk).update(seats_taken=F("seats_taken") + 1)
    session_.refresh_from_db()
    return Booking.objects.create(
        session=session_, service=session_.service, client=client_, price=session_.service.price, **fields
    )


def racer(number: int) -> ClientDetails:
    """The details a client types into the booking form, one distinct client per number."""
    return ClientDetails(email=f"client{number}@race.test", first_name=f"Client {number}")


def make_person(email: str, first_name: str, role: str | None = None, password: str = "s3cret-pass!") -> User:
    """Someone who signs in: owner or staff by ``role``, a client without one. ``password=None``
    gives an unusable password, for tests that sign in with force_login (no slow hashing)."""
    ensure_roles()
    user = User.objects.create_user(email, password, first_name=first_name)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def session_ended(
    service: Service, staff: StaffMember, *, ago: timedelta, now: datetime | None = None
) -> Session:
    """A session of ``service`` that ended ``ago`` before ``now``."""
    end = (now or timezone.now()) - ago
    return session(service, staff, end - service.duration)


def visit(
    service: Service, staff: StaffMember, client: Client, *, ago: timedelta = timedelta(hours=4)
) -> Booking:
    """A confirmed booking of ``client`` in a session that ended ``ago`` (long enough to earn, by default)."""
    return booking(session_ended(service, staff, ago=ago), client)
