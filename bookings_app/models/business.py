"""The one business this deployment serves, and its booking policy."""

import zoneinfo
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone, such as Europe/Paris."), params={"value": value}
        )


class Business(models.Model):
    """One row (pk 1): name, locale and the booking policy every availability check reads."""

    name = models.CharField(_("name"), max_length=120, default="Rendez Studio")
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", help_text=_("ISO 4217 code, e.g. EUR")
    )
    language = models.CharField(
        _("default language"),
        max_length=8,
        default="en",
        choices=[("en", "English"), ("fr", "Français"), ("he", "עברית")],
    )
    clock_12_hour = models.BooleanField(
        _("12-hour clock in English"),
        default=False,
        help_text=_(
            "English pages and e-mails show 9:15 AM instead of 09:15. French and Hebrew always use 24-hour."
        ),
    )
    sender_email = models.EmailField(_("sender e-mail"), default="bookings@rendez.test")
    min_notice_minutes = models.PositiveIntegerField(
        _("minimum notice (minutes)"),
        default=120,
        validators=[MaxValueValidator(60 * 24 * 60)],
        help_text=_("Clients cannot book a slot that starts sooner than this."),
    )
    max_advance_days = models.PositiveIntegerField(
        _("booking window (days)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("How far ahead clients may book."),
    )
    cancel_window_hours = models.PositiveIntegerField(
        _("cancellation and reschedule window (hours)"),
        default=24,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("Clients may cancel or reschedule up to this many hours before the start."),
    )
    request_reminder_hours = models.PositiveIntegerField(
        _("remind me of unanswered requests after (hours)"),
        default=24,
        help_text=_("0 turns the reminder off."),
    )
    slot_step_minutes = models.PositiveIntegerField(
        _("slot step (minutes)"),
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_("Appointment start times are offered every this many minutes."),
    )
    payment_hold_minutes = models.PositiveIntegerField(
        _("hold a place while the client pays (minutes)"),
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
        help_text=_("An unpaid place is given back after this long."),
    )
    # Booking limits per client (services/booking_limits.py): empty means no limit.
    max_upcoming_bookings = models.PositiveIntegerField(
        _("upcoming bookings per client"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("At most this many upcoming bookings at a time. Empty: no limit."),
    )
    max_bookings_per_day = models.PositiveIntegerField(
        _("bookings per client per day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Empty: no limit."),
    )
    max_bookings_per_week = models.PositiveIntegerField(
        _("bookings per client per week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("Monday to Sunday. Empty: no limit."),
    )
    feed_client_names = models.BooleanField(
        _("client names in staff calendar feeds"),
        default=True,
        help_text=_("Staff members' calendar feeds show who booked each session."),
    )
    feed_private_notes = models.BooleanField(
        _("private notes in staff calendar feeds"),
        default=False,
        help_text=_("Staff members' calendar feeds show the team's private notes on each booking."),
    )

    # What every receipt prints (docs/payments.md, "Receipts"); copied onto each receipt when issued.
    legal_name = models.CharField(
        _("legal name"),
        max_length=200,
        blank=True,
        help_text=_("The name on receipts, if not the business's name."),
    )
    legal_address = models.TextField(_("address"), max_length=500, blank=True)
    tax_number = models.CharField(
        _("tax number"), max_length=40, blank=True, help_text=_("Your VAT or company tax number.")
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Included in your prices; receipts show the VAT part of each amount. 0 for none."),
    )

    embed_origins = models.JSONField(
        _("sites that may show the booking pages"),
        default=list,
        blank=True,
        help_text=_("Websites (https://host) allowed to frame the embedded booking pages."),
    )

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("business")
        constraints = [
            # One deployment serves one business: there is only ever row 1.
            models.CheckConstraint(condition=models.Q(pk=1), name="business_single_row"),
            # A VAT rate is a percentage.
            models.CheckConstraint(
                condition=models.Q(vat_rate__gte=0, vat_rate__lte=100), name="business_vat_rate_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Business":
        business, _ = cls.objects.get_or_create(pk=1)
        return business

    @property
    def receipt_name(self) -> str:
        return self.legal_name or self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def min_notice(self) -> timedelta:
        return timedelta(minutes=self.min_notice_minutes)

    @property
    def payment_hold(self) -> timedelta:
        return timedelta(minutes=self.payment_hold_minutes)

    @property
    def cancel_window(self) -> timedelta:
        return timedelta(hours=self.cancel_window_hours)
