"""The owner's catalogue: services, their booking-form questions and class rules, staff and their hours.

Every function is one transaction with keyword-only arguments. Invalid input a person could
have typed raises ``CatalogError`` (a ``BookingError``), so views show its ``message``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, time

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ..core.errors import BookingError
from ..models import (
    ClassSchedule,
    DateOverride,
    Question,
    Service,
    ServiceKind,
    StaffMember,
    TimeOff,
    User,
    WorkingHours,
)
from ..web.roles import STAFF
from .earlier_times import offer_freed_time
from .feed_renames import show_renamed
from .sessions import generate_class_sessions, parse_weekdays

SERVICE_FIELDS = (
    "name",
    "slug",
    "description",
    "duration_minutes",
    "price",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "capacity",
    "is_online",
    "translations",
    "payment_policy",
    "deposit_amount",
    "deposit_percent",
    "refund_policy",
    "waitlist_enabled",
    "waitlist_max",
    "waitlist_mode",
    "waitlist_offer_hours",
    "max_upcoming_bookings",
    "max_bookings_per_day",
    "max_bookings_per_week",
)
STAFF_FIELDS = ("name", "email", "color", "is_active")
_NOT_COPIED = {"id", "name", "slug", "is_online", "is_archived"}


class CatalogError(BookingError):
    default_message = _("This change could not be saved.")


@dataclass(frozen=True)
class QuestionDraft:
    """One question as the owner typed it; ``question_id`` is None for a new one."""

    label: str
    kind: str
    choices: str = ""
    is_required: bool = False
    question_id: int | None = None
    translations: dict = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class Interval:
    """One working interval of a weekday (0 = Monday)."""

    weekday: int
    start: time
    end: time


def unique_slug(name: str, *, wanted: str = "", exclude: Service | None = None) -> str:
    """``wanted`` or a slug of ``name``, made unique with -2, -3…; "service" when nothing is left."""
    base = slugify(wanted or name)[:70] or "service"
    taken = Service.objects.filter(slug__startswith=base)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    slugs = set(taken.values_list("slug", flat=True))
    slug, number = base, 2
    while slug in slugs:
        slug, number = f"{base}-{number}", number + 1
    return slug


def create_service(*, kind: str, staff: Iterable[StaffMember] = (), **details) -> Service:
    """A new service of ``kind`` with ``details`` (model fields); an appointment takes one client."""
    unknown = set(details) - set(SERVICE_FIELDS)
    if unknown or kind not in ServiceKind.values:
        raise CatalogError(
            _("Unknown service details: %(fields)s") % {"fields": ", ".join(sorted(unknown)) or kind}
        )
    with transaction.atomic():
        service = Service(kind=kind, **details)
        service.slug = unique_slug(service.name, wanted=service.slug)
        if kind == ServiceKind.APPOINTMENT:
            service.capacity = 1
        service.save()
        service.staff.set(staff)
    return service


def update_service(*, service: Service, staff: Iterable[StaffMember] | None = None, **details) -> Service:
    """Change a service's details (not its kind); the slug stays unique."""
    unknown = set(details) - set(SERVICE_FIELDS)
    if unknown:
        raise CatalogError(_("Unknown service details: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        stored_name = Service.objects.filter(pk=service.pk).values_list("name", flat=True).first()
        for field, value in details.items():
            setattr(service, field, value)
        if service.name != stored_name:
            show_renamed(service=service)
        if "slug" in details or "name" in details:
            service.slug = unique_slug(service.name, wanted=service.slug, exclude=service)
        if service.kind == ServiceKind.APPOINTMENT:
            service.capacity = 1
        service.save()
        if staff is not None:
            service.staff.set(staff)
    return service


def duplicate_service(*, service: Service) -> Service:
    """An offline copy called "<name> (copy)" with the same staff and questions, but no class rules."""
    with transaction.atomic():
        name = _("%(name)s (copy)") % {"name": service.name}
        # Every setting is copied (approval and fields other apps add too) except who it is and where.
        settings = {
            field.attname: getattr(service, field.attname)
            for field in Service._meta.concrete_fields
            if field.attname not in _NOT_COPIED
        }
        copy = Service.objects.create(**settings, name=name[:120], slug=unique_slug(name), is_online=False)
        copy.staff.set(service.staff.all())
        Question.objects.bulk_create(
            Question(
                service=copy,
                label=question.label,
                kind=question.kind,
                choices=question.choices,
                is_required=question.is_required,
                position=question.position,
            )
            for question in service.questions.all()
        )
    return copy


def archive_service(*, service: Service) -> Service:
    """Hide a service from the public pages and new bookings; its bookings and sessions stay."""
    with transaction.atomic():
        Service.objects.filter(pk=service.pk).update(is_archived=True)
        service.is_archived = True
    return service


def restore_service(*, service: Service) -> Service:
    """Bring an archived service back (it is public again if it is online)."""
    with transaction.atomic():
        Service.objects.filter(pk=service.pk).update(is_archived=False)
        service.is_archived = False
    return service


def save_questions(*, service: Service, questions: list[QuestionDraft]) -> list[Question]:
    """Make the service's booking form exactly ``questions``, in that order.

    Questions left out are deleted (answers already given stay on their bookings).
    """
    with transaction.atomic():
        existing = {question.pk: question for question in service.questions.select_for_update()}
        kept = []
        for position, draft in enumerate(questions):
            question = existing.get(draft.question_id) or Question(service=service)
            question.label, question.kind, question.position = draft.label, draft.kind, position
            question.choices, question.is_required = draft.choices, draft.is_required
            question.translations = draft.translations
            question.save()
            kept.append(question)
        service.questions.exclude(pk__in=[question.pk for question in kept]).delete()
    return kept


def save_class_schedule(
    *,
    service: Service,
    staff: StaffMember,
    weekdays: list[str],
    start_time: time,
    starts_on: date,
    until: date | None = None,
    count: int | None = None,
    capacity: int | None = None,
    now: datetime | None = None,
) -> tuple[ClassSchedule, int]:
    """Add a weekly rule to a class or course and create its sessions; returns (rule, new sessions).

    Raises CatalogError for an appointment, no weekday, both an end date and a count, or a course
    rule without an end.
    """
    if service.kind == ServiceKind.APPOINTMENT:
        raise CatalogError(_("Appointments are booked into working hours and have no schedule."))
    if until is not None and count is not None:
        raise CatalogError(_("End the rule by a date or by a number of sessions, not both."))
    if service.kind == ServiceKind.COURSE and until is None and count is None:
        raise CatalogError(_("A course needs a last date or a number of sessions."))
    try:
        parse_weekdays(",".join(weekdays))
    except ValueError:
        raise CatalogError(_("Choose at least one weekday.")) from None
    with transaction.atomic():
        schedule = ClassSchedule.objects.create(
            service=service,
            staff=staff,
            weekdays=",".join(weekdays),
            start_time=start_time,
            starts_on=starts_on,
            until=until,
            count=count,
            capacity=capacity,
        )
        created = generate_class_sessions(schedule=schedule, now=now)
    return schedule, created


def create_staff_member(
    *, name: str, email: str = "", color: str = "#3b5bdb", is_active: bool = True
) -> StaffMember:
    """A new staff member, without working hours yet."""
    with transaction.atomic():
        return StaffMember.objects.create(name=name, email=email, color=color, is_active=is_active)


def update_staff_member(*, staff_member: StaffMember, **details) -> StaffMember:
    """Change name, e-mail, colour or active."""
    unknown = set(details) - set(STAFF_FIELDS)
    if unknown:
        raise CatalogError(_("Unknown staff details: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        stored_name = StaffMember.objects.filter(pk=staff_member.pk).values_list("name", flat=True).first()
        for field, value in details.items():
            setattr(staff_member, field, value)
        staff_member.save()
        if staff_member.name != stored_name:
            show_renamed(staff=staff_member)
    return staff_member


def invite_staff_member(*, staff_member: StaffMember) -> User:
    """Give the staff member a sign-in account for the tablet (Staff group).

    An account with their e-mail is reused; a new one has an unusable password until the owner
    sets one. Raises CatalogError without an e-mail or when the account belongs to someone else.
    """
    if not staff_member.email:
        raise CatalogError(_("Add an e-mail address first: it is the sign-in name."))
    with transaction.atomic():
        user = User.objects.filter(email__iexact=staff_member.email).first()
        if user is None:
            user = User.objects.create_user(staff_member.email, None, first_name=staff_member.name[:150])
        elif StaffMember.objects.filter(user=user).exclude(pk=staff_member.pk).exists():
            raise CatalogError(_("This e-mail already signs in as another staff member."))
        user.groups.add(Group.objects.get_or_create(name=STAFF)[0])
        staff_member.user = user
        staff_member.save(update_fields=["user"])
    return user


def check_intervals(intervals: list[Interval]) -> dict[int, str]:
    """Problems by weekday: an interval that does not end after it starts, or two that overlap."""
    problems: dict[int, str] = {}
    for weekday in sorted({interval.weekday for interval in intervals}):
        day = sorted((i for i in intervals if i.weekday == weekday), key=lambda interval: interval.start)
        if any(interval.start >= interval.end for interval in day):
            problems[weekday] = str(_("Each interval must end after it starts."))
        elif any(later.start < earlier.end for earlier, later in zip(day, day[1:], strict=False)):
            problems[weekday] = str(_("The intervals of a day must not overlap."))
    return problems


def replace_working_hours(*, staff_member: StaffMember, intervals: list[Interval]) -> list[WorkingHours]:
    """Make the weekly hours exactly ``intervals``; raises CatalogError if one is invalid or two overlap."""
    problems = check_intervals(intervals)
    if problems:
        raise CatalogError(next(iter(problems.values())))
    with transaction.atomic():
        StaffMember.objects.select_for_update().filter(pk=staff_member.pk).first()
        staff_member.working_hours.all().delete()
        return WorkingHours.objects.bulk_create(
            WorkingHours(staff=staff_member, weekday=i.weekday, start=i.start, end=i.end)
            for i in sorted(intervals, key=lambda interval: (interval.weekday, interval.start))
        )


def add_date_override(*, staff_member: StaffMember, date: date, start: time, end: time) -> DateOverride:
    """Hours for one date that replace that date's weekly hours."""
    if start >= end:
        raise CatalogError(_("The hours must end after they start."))
    with transaction.atomic():
        return DateOverride.objects.create(staff=staff_member, date=date, start=start, end=end)


def remove_date_override(*, date_override: DateOverride) -> None:
    """The date goes back to the weekly hours."""
    with transaction.atomic():
        date_override.delete()


def add_time_off(*, staff_member: StaffMember, start: datetime, end: datetime, reason: str = "") -> TimeOff:
    """A span without bookings; existing bookings in it are left for the owner to move."""
    if start >= end:
        raise CatalogError(_("Time off must end after it starts."))
    with transaction.atomic():
        return TimeOff.objects.create(staff=staff_member, start=start, end=end, reason=reason)


def remove_time_off(*, time_off: TimeOff) -> None:
    """The staff member is bookable again in that span."""
    with transaction.atomic():
        time_off.delete()
        offer_freed_time(staff_id=time_off.staff_id, start=time_off.start, end=time_off.end)
