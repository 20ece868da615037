"""The demo business that ``make run`` shows. Every step finds before it creates.

Studio Lumen in Paris: massage and personal-training appointments, yoga and pilates
classes, a pottery course; three staff with real hours; a dozen clients with visits in
the past (checked in, one no-show, one cancelled) and bookings to come; calendar feed
addresses for the business and each staff member.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from bookings_app.core.errors import BookingError
from bookings_app.models import (
    Attendance,
    BookingSource,
    Business,
    BusyTime,
    ClassSchedule,
    Client,
    FeedKind,
    Label,
    OutsideCalendar,
    Question,
    Service,
    ServiceKind,
    Session,
    SessionStatus,
    StaffMember,
    TimeOff,
    User,
    WorkingHours,
)
from bookings_app.services import bookings, changes
from bookings_app.services.calendar_feeds import ensure_feed
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.sessions import generate_class_sessions
from bookings_app.services.settings import update_business_settings
from bookings_app.web.roles import OWNER, STAFF, ensure_roles

from .discounts import seed_discounts
from .earlier_times import seed_earlier_time
from .memberships import seed_memberships
from .payments import seed_payments
from .plan_sales import seed_membership_sale, seed_plan_sale
from .plans import seed_plans
from .waitlist import seed_cancelled_class, seed_waitlist

CLIENTS = [
    ("Alice", "Martin", "alice@example.com", "fr", ["VIP"]),
    ("Bruno", "Lefèvre", "bruno@example.com", "fr", []),
    ("Chloé", "Dubois", "chloe@example.com", "fr", ["Newsletter"]),
    ("David", "Cohen", "david@example.com", "he", []),
    ("Emma", "Wilson", "emma@example.com", "en", ["VIP"]),
    ("Farid", "Benali", "farid@example.com", "fr", []),
    ("Gal", "Levi", "gal@example.com", "he", ["Newsletter"]),
    ("Hugo", "Bernard", "hugo@example.com", "fr", []),
    ("Inès", "Moreau", "ines@example.com", "fr", []),
    ("Jonas", "Schmidt", "jonas@example.com", "en", []),
    ("Karin", "Mizrahi", "karin@example.com", "he", []),
    ("Léa", "Petit", "lea@example.com", "fr", ["VIP"]),
]


def seed_all(*, password: str) -> int:
    """Create whatever is missing and return how many records were new."""
    ensure_roles()
    created = _people(password)
    Business.objects.update_or_create(pk=1, defaults={"name": "Studio Lumen", "time_zone": "Europe/Paris"})
    staff = _staff()
    services = _services(staff)
    created += generate_class_sessions()
    if not Client.objects.exists():
        created += _clients_with_history(services, staff)
    _calendar_feeds(staff)
    _outside_calendar(staff["Nina"])
    _embedding()
    return created


# The demo never reads the internet: Nina's outside calendar points at a port of this machine
# where nothing listens, so a fetch fails at once and the stored copy below stays in use.
DEMO_OUTSIDE_CALENDAR = "http://127.0.0.1:9/nina-personal-calendar.ics"


def _outside_calendar(nina: StaffMember) -> None:
    """Nina's personal calendar: a weekly Pilates class and a family day block her bookings."""
    if OutsideCalendar.objects.exists():
        return
    tz = Business.current().tz
    now = timezone.now()
    calendar = OutsideCalendar.objects.create(
        staff=nina, name="Personal (Google)", url=DEMO_OUTSIDE_CALENDAR, last_success_at=now
    )
    today = timezone.localdate(now, tz)
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7 or 7)
    spans = [
        (datetime.combine(wednesday + timedelta(weeks=week), time(12), tz), timedelta(minutes=90))
        for week in range(6)
    ]
    friday = wednesday + timedelta(days=9)
    spans.append((datetime.combine(friday, time(0), tz), timedelta(days=1)))
    BusyTime.objects.bulk_create(
        BusyTime(staff=nina, calendar=calendar, start=start, end=start + length) for start, length in spans
    )


DEMO_WEBSITE = "http://localhost:8001"


def _embedding() -> None:
    """The owner's own website may frame the booking pages: a page served on port 8001 (see
    docs/embedding.md, "Try it"). Left alone once the owner has listed websites of their own."""
    business = Business.current()
    if not business.embed_origins:
        update_business_settings(business=business, embed_origins=[DEMO_WEBSITE])


def _calendar_feeds(staff: dict[str, StaffMember]) -> None:
    """The business's and each staff member's calendar address, so Settings → Calendar feeds
    shows addresses to copy (made once: ``ensure_feed`` gives back the live one)."""
    ensure_feed(kind=FeedKind.BUSINESS)
    for member in staff.values():
        ensure_feed(kind=FeedKind.STAFF, staff=member)


def _people(password: str) -> int:
    created = 0
    for email, first, last, role in (
        ("owner@rendez.test", "Olivia", "Owner", OWNER),
        ("staff@rendez.test", "Sam", "Staff", STAFF),
    ):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email, password, first_name=first, last_name=last)
            created += 1
        user.groups.add(Group.objects.get(name=role))
        if role == OWNER and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
    return created


def _staff() -> dict[str, StaffMember]:
    weekdays = {d: [("09:00", "12:30"), ("13:30", "18:00")] for d in range(5)}
    plans = {
        "Sam": (
            "staff@rendez.test",
            {0: [("07:30", "20:00")], 2: [("07:30", "20:00")], 4: [("07:30", "20:00")]},
        ),
        "Nina": ("nina@example.com", weekdays),
        "Omar": (
            "omar@example.com",
            {1: [("10:00", "19:00")], 3: [("10:00", "19:00")], 5: [("10:00", "14:00")]},
        ),
    }
    staff = {}
    for name, (email, hours) in plans.items():
        member, new = StaffMember.objects.get_or_create(name=name, defaults={"email": email})
        if name == "Sam" and member.user is None:
            member.user = User.objects.get(email="staff@rendez.test")
            member.save(update_fields=["user"])
        if new:
            WorkingHours.objects.bulk_create(
                WorkingHours(
                    staff=member, weekday=day, start=time.fromisoformat(a), end=time.fromisoformat(b)
                )
                for day, intervals in hours.items()
                for a, b in intervals
            )
        staff[name] = member
    if not TimeOff.objects.exists():
        start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=9)
        TimeOff.objects.create(
            staff=staff["Omar"], start=start, end=start + timedelta(days=2), reason="Holiday"
        )
    return staff


def _services(staff: dict[str, StaffMember]) -> dict[str, Service]:
    specs = [
        (
            "deep-tissue-massage",
            "Deep tissue massage",
            ServiceKind.APPOINTMENT,
            60,
            "70",
            1,
            ["Nina", "Omar"],
            "A slow, firm massage that releases long-held tension.",
            {"buffer_after_minutes": 15},
        ),
        (
            "personal-training",
            "Personal training",
            ServiceKind.APPOINTMENT,
            45,
            "55",
            1,
            ["Sam"],
            "One-to-one strength and mobility coaching.",
            {},
        ),
        (
            "vinyasa-yoga",
            "Vinyasa yoga",
            ServiceKind.CLASS,
            75,
            "18",
            12,
            ["Sam"],
            "A flowing class for every level. Mats provided.",
            {},
        ),
        (
            "morning-pilates",
            "Morning pilates",
            ServiceKind.CLASS,
            50,
            "20",
            8,
            ["Nina"],
            "Core strength before work.",
            {},
        ),
        (
            "pottery-course",
            "Beginner pottery course",
            ServiceKind.COURSE,
            120,
            "240",
            6,
            ["Omar"],
            "Four Saturday mornings on the wheel; clay and firing included.",
            {},
        ),
        (
            "initial-consultation",
            "Initial consultation",
            ServiceKind.APPOINTMENT,
            30,
            "0",
            1,
            ["Nina", "Omar"],
            "A first talk about your goals. We confirm each request by hand.",
            {"requires_approval": True},
        ),
    ]
    services = {}
    for slug, name, kind, minutes, price, capacity, members, description, extra in specs:
        service, new = Service.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "duration_minutes": minutes,
                "price": Decimal(price),
                "capacity": capacity,
                "description": description,
                **extra,
            },
        )
        if new:
            service.staff.set([staff[m] for m in members])
        services[slug] = service
    _questions(services)
    _schedules(services, staff)
    return services


def _questions(services: dict[str, Service]) -> None:
    if Question.objects.exists():
        return
    Question.objects.create(
        service=services["deep-tissue-massage"], label="Any injuries we should know about?"
    )
    Question.objects.create(
        service=services["deep-tissue-massage"],
        label="Pressure",
        kind="choice",
        choices="Light\nMedium\nFirm",
        is_required=True,
    )
    Question.objects.create(service=services["vinyasa-yoga"], label="First time with us?", kind="yes_no")


def _schedules(services: dict[str, Service], staff: dict[str, StaffMember]) -> None:
    if ClassSchedule.objects.exists():
        return
    today = timezone.localdate()
    first_saturday = today + timedelta(days=(5 - today.weekday()) % 7 + 7)
    ClassSchedule.objects.create(
        service=services["vinyasa-yoga"],
        staff=staff["Sam"],
        weekdays="MO,WE,FR",
        start_time=time(18, 30),
        starts_on=today - timedelta(days=21),
    )
    ClassSchedule.objects.create(
        service=services["morning-pilates"],
        staff=staff["Nina"],
        weekdays="TU,TH",
        start_time=time(8, 0),
        starts_on=today - timedelta(days=21),
    )
    ClassSchedule.objects.create(
        service=services["pottery-course"],
        staff=staff["Omar"],
        weekdays="SA",
        start_time=time(10, 0),
        starts_on=first_saturday,
        count=4,
    )


def _clients_with_history(services: dict[str, Service], staff: dict[str, StaffMember]) -> int:
    owner = User.objects.get(email="owner@rendez.test")
    clients = []
    for first, last, email, language, labels in CLIENTS:
        client = Client.objects.create(
            first_name=first,
            last_name=last,
            email=email,
            language=language,
            time_zone="Asia/Jerusalem" if language == "he" else "Europe/Paris",
        )
        client.labels.set([Label.objects.get_or_create(name=name)[0] for name in labels])
        clients.append(client)
    made = _past_visits(clients, services, owner) + _upcoming(clients, services)
    made += seed_payments(clients, services)
    made += seed_waitlist(clients, services)
    made += seed_discounts(clients, services)
    made += seed_earlier_time(services)
    made += seed_plans(clients, services)
    made += seed_plan_sale(clients)
    made += seed_memberships(clients, services)
    made += seed_membership_sale(clients)
    made += seed_cancelled_class(clients, services, owner)  # last: the others pick sessions
    return len(clients) + made


def _details(client: Client) -> ClientDetails:
    return ClientDetails(
        email=client.email,
        first_name=client.first_name,
        last_name=client.last_name,
        language=client.language,
        time_zone=client.time_zone,
    )


def _past_visits(clients: list[Client], services: dict[str, Service], owner: User) -> int:
    """Yoga behind us since three weeks ago, this week's past evenings included, so the calendar
    the owner opens is never empty: most came, one did not show, one cancelled."""
    yoga = services["vinyasa-yoga"]
    made = 0
    for week in (3, 2, 1, 0):
        monday = timezone.localdate() - timedelta(days=7 * week)
        monday -= timedelta(days=monday.weekday())
        made += _yoga_evening(monday, clients[: 6 + week], yoga, owner, week=week)
        for later in (2, 4):
            made += _yoga_evening(monday + timedelta(days=later), clients[week : week + 3], yoga, owner)
    return made


def _yoga_evening(day: date, group: list[Client], yoga: Service, owner: User, week: int | None = None) -> int:
    start = datetime.combine(day, time(18, 30), tzinfo=Business.current().tz)
    if start >= timezone.now():
        return 0
    session = Session.objects.filter(service=yoga, start=start).first() or Session.objects.create(
        service=yoga,
        staff=yoga.staff.first(),
        start=start,
        end=start + yoga.duration,
        blocked_start=start,
        blocked_end=start + yoga.duration,
        capacity=yoga.capacity,
        status=SessionStatus.SCHEDULED,
    )
    for index, client in enumerate(group):
        booking = bookings.book_class_seat(
            session=session, details=_details(client), source=BookingSource.DASHBOARD
        )
        if index == 5 and week == 2:
            changes.record_attendance(booking=booking, attendance=Attendance.NO_SHOW, by=owner, now=start)
        elif index == 4 and week == 1:
            changes.cancel_booking(booking=booking, by_client=True, now=start - timedelta(days=2))
        else:
            changes.record_attendance(booking=booking, attendance=Attendance.CHECKED_IN, by=owner, now=start)
    return len(group)


def _upcoming(clients: list[Client], services: dict[str, Service]) -> int:
    made = 0
    yoga_sessions = Session.objects.filter(
        service=services["vinyasa-yoga"], start__gt=timezone.now()
    ).order_by("start")
    for session, group in zip(yoga_sessions[:3], (clients[:8], clients[3:7], clients[6:12]), strict=False):
        for client in group:
            made += _try(lambda c=client, s=session: bookings.book_class_seat(session=s, details=_details(c)))
    massage = services["deep-tissue-massage"]
    for offset, client in enumerate(clients[:5]):
        day = _next_weekday(timezone.localdate() + timedelta(days=2 + offset))
        start = datetime.combine(day, time(10 + offset), tzinfo=Business.current().tz)
        made += _try(
            lambda c=client, s=start: bookings.book_appointment(
                service=massage,
                start=s,
                details=_details(c),
                answers={"Pressure": "Medium"},
                source=BookingSource.DASHBOARD,
            )
        )
    made += _requests(clients, services["initial-consultation"])
    made += _try(
        lambda: bookings.book_course(service=services["pottery-course"], details=_details(clients[2]))
    )
    made += _try(
        lambda: bookings.book_course(service=services["pottery-course"], details=_details(clients[9]))
    )
    return made


def _requests(clients: list[Client], consultation: Service) -> int:
    """Two clients waiting for the owner's answer (the first within days, on this week's calendar)."""
    made = 0
    tz = Business.current().tz
    for offset, client in ((1, clients[7]), (4, clients[10])):
        day = _next_weekday(timezone.localdate() + timedelta(days=offset))
        start = datetime.combine(day, time(16, 0), tzinfo=tz)
        made += _try(
            lambda c=client, s=start: bookings.book_appointment(
                service=consultation, start=s, details=_details(c)
            )
        )
    return made


def _next_weekday(day: date) -> date:
    return day + timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _try(book) -> int:
    """Demo bookings are best effort: a clash with another demo booking is skipped, not fatal."""
    try:
        book()
    except BookingError:
        return 0
    return 1
