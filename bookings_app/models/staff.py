"""Staff members and when they work: weekly hours, date overrides, time off."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class StaffMember(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sign-in account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_member",
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    color = models.CharField(
        _("calendar colour"),
        max_length=7,
        default="#3b5bdb",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour such as #3b5bdb."))],
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkingHours(models.Model):
    """One interval of a weekday; several per day make a split shift (09–12, 14–18)."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["staff", "weekday", "start"]
        constraints = [
            # An interval ends after it starts (no overnight shifts: split them at midnight).
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="working_hours_start_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class DateOverride(models.Model):
    """Hours for one date that replace the weekly hours of that date (extra or changed hours)."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="date_overrides")
    date = models.DateField(_("date"))
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("date override")
        verbose_name_plural = _("date overrides")
        ordering = ["staff", "date", "start"]
        indexes = [models.Index(fields=["date"], name="date_override_date_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="date_override_start_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.date} {self.start:%H:%M}–{self.end:%H:%M}"


class TimeOff(models.Model):
    """A span (holiday, sick day, a dentist at 3) when the staff member takes no bookings."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        ordering = ["staff", "start"]
        indexes = [models.Index(fields=["start", "end"], name="time_off_span_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="time_off_start_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M}"
