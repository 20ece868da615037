"""The loyalty program's switch and wording, and which services earn points."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..wording import BALANCE_CHANGED_DEFAULT, POINTS_EARNED_DEFAULT, effective, validate_template

TEMPLATE_HELP = _(
    "Leave empty for the default wording. Variables: {client_name}, {client_first_name}, {points}, "
    "{balance}, {service_name}, {description}, {business_name}."
)
TEMPLATE_FIELDS = (
    "template_points_earned_subject",
    "template_points_earned_body",
    "template_balance_changed_subject",
    "template_balance_changed_body",
)


class Program(models.Model):
    """One row (pk 1): the switch, the credit delay and the two notification texts.

    Off, nothing is credited and the client pages are hidden; the ledger keeps what it holds.
    """

    is_enabled = models.BooleanField(_("loyalty program on"), default=False)
    credit_delay_hours = models.PositiveIntegerField(
        _("credit points after (hours)"),
        default=3,
        validators=[MaxValueValidator(24 * 14)],
        help_text=_("Points are credited this many hours after the session ends."),
    )
    sells_gift_cards = models.BooleanField(
        _("sell gift cards online"),
        default=False,
        help_text=_("Anyone may buy a gift card on the public page and pay for it online."),
    )
    gift_card_min_amount = models.DecimalField(
        _("smallest amount of their choice"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1.00"))],
        help_text=_("Leave both amounts empty to sell only the products marked for sale online."),
    )
    gift_card_max_amount = models.DecimalField(
        _("largest amount of their choice"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1.00"))],
    )
    # Money paid online earns points too (docs/payments.md, "Loyalty"); 0 leaves it out.
    points_per_currency_unit = models.PositiveIntegerField(
        _("points per unit of currency paid online"),
        default=0,
        validators=[MaxValueValidator(1000)],
        help_text=_(
            "For example 1: a client who pays 20.00 online earns 20 points. 0: paying online earns none."
        ),
    )
    # Buying a class pack, or a membership's first month, online earns at the same rate
    # (docs/plans.md, "Buying a pack online"); renewals charged by beat do not.
    points_for_plans = models.BooleanField(
        _("class packs and memberships bought online earn points too"),
        default=False,
        help_text=_("At the rate above: a client who buys a 120.00 pack online earns 120 points at 1."),
    )
    template_points_earned_subject = models.CharField(
        _("subject: points earned"),
        max_length=200,
        blank=True,
        validators=[validate_template],
        help_text=TEMPLATE_HELP,
    )
    template_points_earned_body = models.TextField(
        _("message: points earned"), blank=True, validators=[validate_template], help_text=TEMPLATE_HELP
    )
    template_balance_changed_subject = models.CharField(
        _("subject: balance changed by hand"),
        max_length=200,
        blank=True,
        validators=[validate_template],
        help_text=TEMPLATE_HELP,
    )
    template_balance_changed_body = models.TextField(
        _("message: balance changed by hand"),
        blank=True,
        validators=[validate_template],
        help_text=TEMPLATE_HELP,
    )

    class Meta:
        verbose_name = _("loyalty program")
        verbose_name_plural = _("loyalty program")
        constraints = [
            # One business, one program: there is only ever row 1.
            models.CheckConstraint(condition=Q(pk=1), name="loyalty_program_single_row"),
            # Amounts of the buyer's choice: both bounds or neither, positive, in order.
            models.CheckConstraint(
                condition=Q(gift_card_min_amount__isnull=True, gift_card_max_amount__isnull=True)
                | Q(
                    gift_card_min_amount__gt=0,
                    gift_card_max_amount__gte=F("gift_card_min_amount"),
                ),
                name="loyalty_program_gift_card_amounts",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Loyalty program"))

    def save(self, *args, **kwargs) -> None:
        """Refuse a text with an unknown variable, whoever saves it (form, admin or shell)."""
        errors = {}
        for field in TEMPLATE_FIELDS:
            try:
                validate_template(getattr(self, field))
            except ValidationError as e:
                errors[field] = e.error_list
        if errors:
            raise ValidationError(errors)
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "Program":
        program, _created = cls.objects.get_or_create(pk=1)
        return program

    @property
    def sells_online(self) -> bool:
        """Gift cards are sold online while the program is on (cards pay at checkout only then)."""
        return self.is_enabled and self.sells_gift_cards

    @property
    def takes_amount_of_choice(self) -> bool:
        return self.gift_card_min_amount is not None and self.gift_card_max_amount is not None

    @property
    def credit_delay(self) -> timedelta:
        return timedelta(hours=self.credit_delay_hours)

    def points_earned_wording(self) -> tuple[str, str]:
        """(subject, body) in the active language: the owner's text or the default."""
        return (
            effective(self.template_points_earned_subject, POINTS_EARNED_DEFAULT.subject),
            effective(self.template_points_earned_body, POINTS_EARNED_DEFAULT.body),
        )

    def balance_changed_wording(self) -> tuple[str, str]:
        return (
            effective(self.template_balance_changed_subject, BALANCE_CHANGED_DEFAULT.subject),
            effective(self.template_balance_changed_body, BALANCE_CHANGED_DEFAULT.body),
        )


class ServicePoints(models.Model):
    """A service or class connected to the program, and the points each attended booking earns."""

    service = models.OneToOneField(
        "bookings_app.Service",
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="loyalty_points",
    )
    is_enabled = models.BooleanField(_("earns points"), default=True)
    points = models.PositiveIntegerField(_("points per booking"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("points for a service")
        verbose_name_plural = _("points for services")
        constraints = [
            # A connected service earns something: zero points would send "you earned 0 points".
            models.CheckConstraint(condition=Q(points__gt=0), name="loyalty_service_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.points}"
