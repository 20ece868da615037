"""What clients book: appointments, classes and courses, with their booking-form questions."""

from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .staff import StaffMember


class ServiceKind(models.TextChoices):
    APPOINTMENT = "appointment", _("Appointment")
    CLASS = "class", _("Class")
    COURSE = "course", _("Course")


class PaymentPolicy(models.TextChoices):
    IN_PERSON = "in_person", _("Paid in person")
    FULL = "full", _("Paid online in full")
    DEPOSIT = "deposit", _("A deposit online, the rest in person")


class RefundPolicy(models.TextChoices):
    FULL = "full", _("Refund everything paid online")
    DEPOSIT_KEPT = "deposit_kept", _("Keep the deposit, refund the rest")
    NONE = "none", _("No refund")


WAITLIST_MODES = [
    ("offer", _("Offer the seat for a few hours")),
    ("book", _("Book the first client at once")),
]


class Service(models.Model):
    kind = models.CharField(
        _("kind"), max_length=16, choices=ServiceKind.choices, default=ServiceKind.APPOINTMENT
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    price = models.DecimalField(_("price"), max_digits=9, decimal_places=2, default=0)
    buffer_before_minutes = models.PositiveIntegerField(_("buffer before (minutes)"), default=0)
    buffer_after_minutes = models.PositiveIntegerField(_("buffer after (minutes)"), default=0)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Clients per session; appointments always take one."),
    )
    staff = models.ManyToManyField(StaffMember, verbose_name=_("staff"), related_name="services", blank=True)
    is_online = models.BooleanField(_("bookable online"), default=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    requires_approval = models.BooleanField(
        _("manually approve or decline booking requests"),
        default=False,
        help_text=_("Appointments only. Clients send a request; you approve, reschedule or decline it."),
    )
    shared_requests = models.BooleanField(
        _("several clients may request the same slot"),
        default=False,
        help_text=_(
            "On: the slot stays bookable until one request is approved. "
            "Off: a pending request holds the slot."
        ),
    )
    approval_notice_hours = models.PositiveIntegerField(
        _("only ask for approval with less notice than (hours)"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: every booking is a request. Otherwise bookings made further ahead are confirmed at once."
        ),
    )
    decline_overlapping_requests = models.BooleanField(
        _("decline overlapping requests when one is approved"), default=False
    )
    overlap_decline_message = models.TextField(_("message to the declined clients"), blank=True)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_("The name and description per language; empty falls back to the default."),
    )
    # Online payment (bookings_app/models/payments.py, docs/payments.md).
    payment_policy = models.CharField(
        _("payment"), max_length=16, choices=PaymentPolicy.choices, default=PaymentPolicy.IN_PERSON
    )
    deposit_amount = models.DecimalField(
        _("deposit (amount)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A fixed deposit; or give a percentage instead."),
    )
    deposit_percent = models.PositiveSmallIntegerField(
        _("deposit (percentage of the price)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    refund_policy = models.CharField(
        _("when a client cancels in time"),
        max_length=16,
        choices=RefundPolicy.choices,
        default=RefundPolicy.FULL,
    )
    # The waitlist of a full class session (models/waitlist.py, docs/waitlist.md).
    waitlist_enabled = models.BooleanField(
        _("waitlist when full"),
        default=False,
        help_text=_("Classes only. A full session lets clients join a waitlist for a seat that frees up."),
    )
    waitlist_max = models.PositiveSmallIntegerField(
        _("waitlist length"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("At most this many clients wait for one session."),
    )
    waitlist_mode = models.CharField(
        _("when a seat frees up"), max_length=8, choices=WAITLIST_MODES, default="offer"
    )
    waitlist_offer_hours = models.PositiveSmallIntegerField(
        _("offer valid for (hours)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
        help_text=_("Never past the session's start."),
    )
    # Booking limits per client for this service alone (services/booking_limits.py), beside the
    # business's limits for all services: empty means no limit.
    max_upcoming_bookings = models.PositiveIntegerField(
        _("upcoming bookings per client"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Of this service, at a time. Empty: no limit."),
    )
    max_bookings_per_day = models.PositiveIntegerField(
        _("bookings per client per day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Of this service. Empty: no limit."),
    )
    max_bookings_per_week = models.PositiveIntegerField(
        _("bookings per client per week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("Of this service, Monday to Sunday. Empty: no limit."),
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["position", "name"]
        constraints = [
            # An appointment is one client with one staff member.
            models.CheckConstraint(
                condition=~Q(kind="appointment") | Q(capacity=1), name="service_appointment_capacity_one"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="service_price_not_negative"),
            # Approval is offered for appointments only (not classes or courses).
            models.CheckConstraint(
                condition=Q(requires_approval=False) | Q(kind="appointment"),
                name="service_approval_only_appointments",
                violation_error_message=_(
                    "Approval can be required for appointments only, not classes or courses."
                ),
            ),
            # A request waits for the owner's answer: nothing is taken online before it.
            models.CheckConstraint(
                condition=Q(requires_approval=False) | Q(payment_policy="in_person"),
                name="service_online_payment_not_with_approval",
                violation_error_message=_(
                    "Services that need your approval cannot take online payment: clients pay in person."
                ),
            ),
            # A course is booked as many sessions at once; it is paid in person.
            models.CheckConstraint(
                condition=~Q(kind="course") | Q(payment_policy="in_person"),
                name="service_online_payment_not_for_courses",
                violation_error_message=_("Courses are paid in person."),
            ),
            # A deposit is one amount or one percentage, never both, never none.
            models.CheckConstraint(
                condition=~Q(payment_policy="deposit")
                | Q(deposit_amount__isnull=False, deposit_amount__gt=0, deposit_percent__isnull=True)
                | Q(
                    deposit_amount__isnull=True,
                    deposit_percent__isnull=False,
                    deposit_percent__gte=1,
                    deposit_percent__lte=100,
                ),
                name="service_deposit_amount_or_percent",
                violation_error_message=_("Give the deposit as an amount or as a percentage."),
            ),
            # Booking a waiting client at once is for services with nothing to pay online.
            models.CheckConstraint(
                condition=~Q(waitlist_mode="book") | Q(payment_policy="in_person") | Q(price=0),
                name="service_waitlist_book_only_unpaid",
                violation_error_message=_(
                    "Waiting clients can be booked at once only when nothing is paid online: "
                    "offer the seat instead."
                ),
            ),
            models.CheckConstraint(
                condition=Q(waitlist_max__gte=1) & Q(waitlist_offer_hours__gte=1),
                name="service_waitlist_settings_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:service", args=[self.slug])

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def buffer_before(self) -> timedelta:
        return timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_after_minutes)

    def needs_approval(self, *, notice) -> bool:
        """Whether a booking made ``notice`` (a timedelta) ahead becomes a request."""
        if not self.requires_approval:
            return False
        return (
            self.approval_notice_hours is None or notice.total_seconds() < self.approval_notice_hours * 3600
        )

    @property
    def takes_online_payment(self) -> bool:
        return self.payment_policy != PaymentPolicy.IN_PERSON and self.price > 0

    @property
    def has_waitlist(self) -> bool:
        """A class's sessions, or a course as a whole (a place is a seat in every session; a
        course is paid in person, so an offer never opens a checkout; docs/waitlist.md)."""
        return self.waitlist_enabled and self.kind in (ServiceKind.CLASS, ServiceKind.COURSE)

    @property
    def is_bookable(self) -> bool:
        return self.is_online and not self.is_archived


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")
    YES_NO = "yes_no", _("Yes / no")


class Question(models.Model):
    """A question on a service's booking form; the answers are kept on the booking."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One per line, for a choice question."))
    is_required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_("The question and its choices per language; empty falls back to the default."),
    )

    class Meta:
        verbose_name = _("booking-form question")
        verbose_name_plural = _("booking-form questions")
        ordering = ["service", "position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class ClassSchedule(models.Model):
    """A recurring class: which weekdays, at what time, from when, until a date or a count."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="class_schedules")
    weekdays = models.CharField(
        _("weekdays"), max_length=40, help_text=_("Comma-separated: MO,TU,WE,TH,FR,SA,SU")
    )
    start_time = models.TimeField(_("start time"))
    starts_on = models.DateField(_("first date"))
    until = models.DateField(_("last date"), null=True, blank=True)
    count = models.PositiveIntegerField(_("number of sessions"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Defaults to the service's.")
    )

    class Meta:
        verbose_name = _("class schedule")
        verbose_name_plural = _("class schedules")
        constraints = [
            # A rule ends by a date or a count, not both.
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(count__isnull=True), name="class_schedule_until_or_count"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.weekdays} {self.start_time:%H:%M}"
