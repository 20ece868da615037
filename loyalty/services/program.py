"""The program's settings and which services earn points: the owner's switches."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bookings_app.models import Service

from ..errors import InvalidAmount
from ..models import Program, ServicePoints
from ..models.program import TEMPLATE_FIELDS


def save_program_settings(
    *,
    is_enabled: bool,
    credit_delay_hours: int,
    sells_gift_cards: bool = False,
    gift_card_min_amount: Decimal | None = None,
    gift_card_max_amount: Decimal | None = None,
    points_per_currency_unit: int | None = None,
    points_for_plans: bool = False,
    **templates: str,
) -> Program:
    """Switch the program, set the credit delay, the points per unit of currency paid online
    (None: unchanged) and whether class packs and memberships bought online earn at that rate
    too, and the four notification texts.

    Raises ValidationError (from ``Program.save``) for a text naming an unknown variable;
    nothing is saved then. Gift cards are sold online while ``sells_gift_cards``: the products
    marked for it, and amounts of the buyer's choice between the two bounds (both or neither;
    the database refuses anything else). Switching off stops crediting; the ledger keeps what it holds.
    """
    unknown = set(templates) - set(TEMPLATE_FIELDS)
    if unknown:
        raise TypeError(f"not a notification text: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        program = Program.current()
        program = Program.objects.select_for_update().get(pk=program.pk)
        program.is_enabled = is_enabled
        program.credit_delay_hours = credit_delay_hours
        program.sells_gift_cards = sells_gift_cards
        program.gift_card_min_amount = gift_card_min_amount
        program.gift_card_max_amount = gift_card_max_amount
        program.points_for_plans = points_for_plans
        if points_per_currency_unit is not None:
            program.points_per_currency_unit = points_per_currency_unit
        for field, text in templates.items():
            setattr(program, field, text.strip())
        program.save()
    return program


def connect_service(*, service: Service, earns_points: bool, points: int | None) -> ServicePoints | None:
    """Connect ``service`` to the program with ``points`` per booking, or disconnect it.

    Disconnecting keeps the number for next time. Raises InvalidAmount when a connected
    service would earn less than one point.
    """
    if earns_points and (isinstance(points, bool) or not isinstance(points, int) or points < 1):
        raise InvalidAmount(_("Enter a whole number of points, at least 1."))
    with transaction.atomic():
        current = ServicePoints.objects.select_for_update().filter(service=service).first()
        if current is None and not earns_points:
            return None
        if current is None:
            return ServicePoints.objects.create(service=service, points=points, is_enabled=True)
        current.is_enabled = earns_points
        if earns_points:
            current.points = points
        current.save(update_fields=["is_enabled", "points"])
    return current
