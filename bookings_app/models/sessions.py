"""Sessions (concrete occurrences) and the bookings that fill them."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .clients import Client
from .services import ClassSchedule, Service, ServiceKind
from .staff import StaffMember


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    TENTATIVE = "tentative", _("Awaiting approval")
    CANCELLED = "cancelled", _("Cancelled")


class Session(models.Model):
    """One occurrence: an appointment, one meeting of a class, or one meeting of a course.

    ``blocked_start``/``blocked_end`` include the service's buffers: they are what the staff
    member's calendar loses, and what the no-double-booking guard compares.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="sessions")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="sessions")
    schedule = models.ForeignKey(
        ClassSchedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    blocked_start = models.DateTimeField()
    blocked_end = models.DateTimeField()
    capacity = models.PositiveIntegerField(_("capacity"), default=1)
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    started_event_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_event_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The iCalendar SEQUENCE of the session's event in the team's calendar feeds: the services
    # that move, confirm or cancel the session add one, so a subscribed calendar takes the change.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["staff", "blocked_start"], name="session_staff_blocked_idx"),
            models.Index(fields=["service", "start"], name="session_service_start_idx"),
            models.Index(fields=["start"], name="session_start_idx"),
        ]
        constraints = [
            # Never more confirmed clients than seats: the counter is the guard booking updates.
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")), name="session_seats_within_capacity"
            ),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="session_start_before_end"),
            models.CheckConstraint(
                condition=Q(blocked_start__lte=F("start")) & Q(blocked_end__gte=F("end")),
                name="session_blocked_span_covers_session",
            ),
            # The class generator may run any number of times: one session per rule and start.
            models.UniqueConstraint(
                fields=["schedule", "start"],
                condition=Q(schedule__isnull=False),
                name="session_one_per_schedule_start",
            ),
            # On PostgreSQL, migration 0003 adds session_staff_no_overlap: an exclusion
            # constraint so one staff member's scheduled sessions never overlap.
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.start:%Y-%m-%d %H:%M}"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    def is_cancellable(self, now=None) -> bool:
        """A class or course session the team may still cancel as a whole (an appointment is
        cancelled through its booking)."""
        return (
            self.service.kind != ServiceKind.APPOINTMENT
            and self.status == SessionStatus.SCHEDULED
            and self.start > (now or timezone.now())
        )


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    # Online payment: the place is held until ``hold_until``; unpaid, it is released.
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    RELEASED = "released", _("Released unpaid")


LIVE_STATUSES = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.AWAITING_PAYMENT)


class Attendance(models.TextChoices):
    CHECKED_IN = "checked_in", _("Checked in")
    NO_SHOW = "no_show", _("No-show")


class BookingSource(models.TextChoices):
    ONLINE = "online", _("Online")
    DASHBOARD = "dashboard", _("Dashboard")
    WALK_IN = "walk_in", _("Walk-in")


def new_booking_code() -> str:
    return secrets.token_hex(5).upper()


class PaymentMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    GIFT_CARD = "gift_card", _("Gift card")
    ONLINE = "online", _("Online payment")
    PLAN = "plan", _("Class pack")


class Booking(models.Model):
    """One client's place in one session. A course booking is one per session, sharing ``enrollment``."""

    code = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_booking_code, editable=False
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    enrollment = models.UUIDField(null=True, blank=True, db_index=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    attendance = models.CharField(_("attendance"), max_length=16, choices=Attendance.choices, blank=True)
    attendance_at = models.DateTimeField(_("attendance recorded"), null=True, blank=True)
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(
        _("source"), max_length=16, choices=BookingSource.choices, default=BookingSource.ONLINE
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    request_key = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001 - unique when set
    price = models.DecimalField(_("price"), max_digits=9, decimal_places=2, default=0)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    payment_method = models.CharField(_("paid by"), max_length=20, choices=PaymentMethod.choices, blank=True)
    # What the client paid online at checkout (a gift card); the rest is paid in person.
    prepaid_amount = models.DecimalField(_("paid online"), max_digits=9, decimal_places=2, default=0)
    notes = models.TextField(_("private notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    withdrawn = models.BooleanField(
        _("withdrawn request"),
        default=False,
        editable=False,
        help_text=_("Cancelled by the client while it was still a request."),
    )
    decided_at = models.DateTimeField(_("request decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    request_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    hold_until = models.DateTimeField(_("held until"), null=True, blank=True, editable=False)
    # The iCalendar SEQUENCE of the booking's event in the client's feed: the services that
    # move, confirm, decline or cancel the booking (or move its appointment) add one.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["client", "status"], name="booking_client_status_idx"),
            # The home page counts today's bookings and today's check-ins: a range of each, not the past.
            models.Index(fields=["created_at"], name="booking_created_idx"),
            models.Index(fields=["attendance_at"], name="booking_attendance_idx"),
            # …and the open requests: SQLite cannot use booking_open_request_idx for a status it
            # gets as a query parameter (a partial index needs the literal), so it read them all.
            models.Index(fields=["status"], name="booking_status_idx"),
            # The home page's week ahead and weekly figures count the bookings of a range of
            # sessions: read from this index alone, each session's probe is cheap enough that
            # PostgreSQL walks the sessions instead of hashing every booking ever made.
            models.Index(fields=["session", "status", "attendance", "id"], name="booking_session_state_idx"),
            # The requests inbox and the pending count read open requests.
            models.Index(
                fields=["created_at"], condition=Q(status="requested"), name="booking_open_request_idx"
            ),
            # The release task reads the holds that ran out.
            models.Index(
                fields=["hold_until"], condition=Q(status="awaiting_payment"), name="booking_open_hold_idx"
            ),
        ]
        constraints = [
            # A client holds at most one live booking per session (double tap, browser retry).
            models.UniqueConstraint(
                fields=["session", "client"],
                condition=Q(status__in=["requested", "confirmed", "awaiting_payment"]),
                name="booking_one_live_per_client_session",
            ),
            # A place held for payment always says until when (the release task reads it).
            models.CheckConstraint(
                condition=~Q(status="awaiting_payment") | Q(hold_until__isnull=False),
                name="booking_hold_has_deadline",
            ),
            # The same form submitted twice (double tap, browser retry) books once.
            models.UniqueConstraint(
                fields=["request_key", "session"],
                condition=Q(request_key__isnull=False),
                name="booking_one_per_request_and_session",
            ),
            # What was paid online is never negative.
            models.CheckConstraint(condition=Q(prepaid_amount__gte=0), name="booking_prepaid_not_negative"),
            # Attendance is only recorded for confirmed bookings.
            models.CheckConstraint(
                condition=Q(attendance="") | Q(status="confirmed"),
                name="booking_attendance_only_when_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.client} {self.session}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def due_in_person(self) -> Decimal:
        """What is left to pay at the desk once online payments are counted."""
        return max(self.price - self.prepaid_amount, 0)
