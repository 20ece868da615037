"""Triggers: which outbox events (or time scans) start an automation, and for whom.

Adding a trigger is one small class and ``@register``: its key and label, its app group,
the event kinds it reads, whether the service filter applies, its parameters, what its runs
know (``offers``: "client", "booking", "session", "service", "roster", "points", …),
``matches`` (does this event concern this automation) and ``targets`` (one run per what).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bookings_app.models import (
    PLAN_PURCHASED,
    Actor,
    Booking,
    BookingStatus,
    DomainEvent,
    EventKind,
    SessionStatus,
)
from loyalty.events import GIFT_CARD_ISSUED, POINTS_EARNED

from .models import Automation, DelayDirection
from .registry import Registry

if TYPE_CHECKING:
    from .context import RunContext

BOOKINGS, REQUESTS, WAITLIST, PAYMENTS, LOYALTY = "bookings", "requests", "waitlist", "payments", "loyalty"
PLANS = "plans"
GROUPS = {
    BOOKINGS: _("Bookings"),
    REQUESTS: _("Booking requests"),
    WAITLIST: _("Waitlist"),
    PAYMENTS: _("Online payments"),
    PLANS: _("Plans"),
    LOYALTY: _("Loyalty"),
}

BOOKING_CONTEXT = frozenset({"client", "booking", "session", "service"})
SESSION_ROSTER = frozenset({"session", "service", "roster"})


EITHER = "either"
CANCELLED_BY = (Actor.CLIENT.value, Actor.TEAM.value, EITHER)


@dataclass(frozen=True)
class Param:
    """One setting of a trigger ("visits" ∈ {5, 10, 15}, "days" ≥ 1)."""

    name: str
    label: str | Promise
    kind: Callable[[Any], Any] = str
    choices: tuple = ()
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None

    def clean(self, value: Any) -> Any:
        """The value in its type; raises ValidationError with a message for the owner."""
        if value in (None, ""):
            value = self.default
        if value is None:
            raise ValidationError(_("Choose the %(param)s."), params={"param": self.label})
        try:
            value = self.kind(value)
        except (TypeError, ValueError):
            raise ValidationError(
                _("“%(value)s” is not a valid %(param)s."), params={"value": value, "param": self.label}
            ) from None
        if self.choices and value not in self.choices:
            raise ValidationError(
                _("The %(param)s must be one of %(choices)s."),
                params={"param": self.label, "choices": ", ".join(map(str, self.choices))},
            )
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(
                _("The %(param)s must be at least %(minimum)s."),
                params={"param": self.label, "minimum": self.minimum},
            )
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(
                _("The %(param)s must be at most %(maximum)s."),
                params={"param": self.label, "maximum": self.maximum},
            )
        return value


@dataclass(frozen=True)
class Target:
    """Whom one run is for; ``key`` makes it exist once."""

    key: str
    client_id: int | None = None
    booking_id: int | None = None
    session_id: int | None = None
    facts: dict = field(default_factory=dict)


class Trigger:
    key: ClassVar[str]
    label: ClassVar[str | Promise]
    group: ClassVar[str] = BOOKINGS
    event_kinds: ClassVar[tuple[str, ...]] = ()
    service_filter: ClassVar[bool] = True
    params: ClassVar[tuple[Param, ...]] = ()
    offers: ClassVar[frozenset[str]] = BOOKING_CONTEXT
    allows_before: ClassVar[bool] = False

    def offers_for(self, params: dict) -> frozenset[str]:
        """What a run of an automation with these parameters knows."""
        return self.offers

    def matches(self, event: DomainEvent, automation: Automation) -> bool:
        return True

    def targets(self, event: DomainEvent, automation: Automation) -> list[Target]:
        """One run per (automation, event), for the event's client, booking and session."""
        return [
            Target(
                key=f"{automation.pk}:{event.pk}",
                client_id=event.client_id,
                booking_id=event.booking_id,
                session_id=event.session_id,
            )
        ]

    def still_applies(self, context: "RunContext") -> str:
        """ "" when the run should go ahead at its due time, else why not (in words)."""
        return ""


triggers: Registry[Trigger] = Registry("trigger")


def register(trigger_class: type[Trigger]) -> type[Trigger]:
    triggers.register(trigger_class())
    return trigger_class


def reading(kind: str) -> list[Trigger]:
    """The triggers that read events of ``kind``."""
    return [trigger for trigger in triggers if kind in trigger.event_kinds]


# --- Bookings --------------------------------------------------------------------------


@register
class ClientBooks(Trigger):
    key, label = "client_books", _("Client books a session")
    event_kinds = (EventKind.BOOKING_CREATED,)


@register
class ClientCancels(Trigger):
    """By default only the client's own cancellation: the owner's cancel is not a client's act."""

    key, label = "client_cancels", _("Client cancels a booking")
    event_kinds = (EventKind.BOOKING_CANCELLED,)
    params = (Param("by", _("cancelled by"), choices=CANCELLED_BY, default=Actor.CLIENT),)

    def matches(self, event: DomainEvent, automation: Automation) -> bool:
        wanted = automation.trigger_params.get("by") or Actor.CLIENT
        return wanted == EITHER or event.actor == wanted


@register
class FirstCheckIn(Trigger):
    key, label = "first_check_in", _("Client is checked in for the first time")
    event_kinds = (EventKind.CHECKED_IN,)

    def matches(self, event: DomainEvent, automation: Automation) -> bool:
        return event.payload.get("first_visit") is True


@register
class CheckInNumber(Trigger):
    key, label = "check_in_number", _("Client is checked in to their first X sessions")
    event_kinds = (EventKind.CHECKED_IN,)
    params = (Param("visits", _("number of sessions"), kind=int, choices=(5, 10, 15)),)

    def matches(self, event: DomainEvent, automation: Automation) -> bool:
        return event.payload.get("visit_number") == automation.trigger_params.get("visits")


@register
class CheckIn(Trigger):
    key, label = "check_in", _("Client is checked in to a session")
    event_kinds = (EventKind.CHECKED_IN,)


@register
class LastCheckIn(Trigger):
    """Made by ``scheduling.scan_absent_clients``, once per client per period of absence."""

    key, label = "last_check_in", _("Client was last checked in X days ago")
    service_filter = False
    params = (Param("days", _("number of days"), kind=int, minimum=1, maximum=3650),)
    offers = frozenset({"client", "absence"})


class SessionTrigger(Trigger):
    """One run per confirmed booking of the session, or (``per`` = "session") one for the team."""

    key_prefix: ClassVar[str]
    params = (Param("per", _("one run per"), choices=("client", "session"), default="client"),)

    def offers_for(self, params: dict) -> frozenset[str]:
        return SESSION_ROSTER if params.get("per") == "session" else BOOKING_CONTEXT

    def targets(self, event: DomainEvent, automation: Automation) -> list[Target]:
        return session_targets(self.key_prefix, automation, session_id=event.session_id)

    def still_applies(self, context: "RunContext") -> str:
        if context.session is not None and context.session.status == SessionStatus.CANCELLED:
            return str(_("The session was cancelled."))
        if context.booking is not None and context.booking.status != BookingStatus.CONFIRMED:
            return str(_("The booking is no longer confirmed."))
        return ""


def session_targets(prefix: str, automation: Automation, *, session_id: int, booked_by=None) -> list[Target]:
    """The runs of a session trigger; ``booked_by`` leaves out bookings made after that time."""
    if automation.trigger_params.get("per") == "session":
        return [Target(key=f"{prefix}:{automation.pk}:{session_id}:session", session_id=session_id)]
    bookings = Booking.objects.filter(session_id=session_id, status=BookingStatus.CONFIRMED)
    if booked_by is not None:
        bookings = bookings.filter(created_at__lte=booked_by)
    return [
        Target(
            key=f"{prefix}:{automation.pk}:{session_id}:{booking_id}",
            client_id=client_id,
            booking_id=booking_id,
            session_id=session_id,
        )
        for booking_id, client_id in bookings.order_by("pk").values_list("pk", "client_id")
    ]


@register
class SessionStarts(SessionTrigger):
    """After (or at) the start: from the "session started" event. Before it: runs are made
    ahead by ``scheduling.scan_session_starts``, with the same keys."""

    key, label = "session_starts", _("Session starts")
    event_kinds = (EventKind.SESSION_STARTED,)
    key_prefix = "session-start"
    allows_before = True

    def matches(self, event: DomainEvent, automation: Automation) -> bool:
        return automation.delay_direction != DelayDirection.BEFORE


@register
class SessionEnds(SessionTrigger):
    key, label = "session_ends", _("Session ends")
    event_kinds = (EventKind.SESSION_ENDED,)
    key_prefix = "session-end"


# --- Booking requests ------------------------------------------------------------------


@register
class BookingRequested(Trigger):
    key, label, group = "booking_requested", _("Client requests a booking"), REQUESTS
    event_kinds = (EventKind.BOOKING_REQUESTED,)


@register
class BookingApproved(Trigger):
    key, label, group = "booking_approved", _("Booking request is approved"), REQUESTS
    event_kinds = (EventKind.BOOKING_APPROVED,)


@register
class BookingDeclined(Trigger):
    key, label, group = "booking_declined", _("Booking request is declined"), REQUESTS
    event_kinds = (EventKind.BOOKING_DECLINED,)


# --- Waitlist (bookings_app/services/waitlist.py) ---------------------------------------

WAITLIST_CONTEXT = frozenset({"client", "session", "service"})


@register
class WaitlistJoined(Trigger):
    key, label, group = "waitlist_joined", _("Client joins a waitlist"), WAITLIST
    event_kinds = (EventKind.WAITLIST_JOINED,)
    offers = WAITLIST_CONTEXT


@register
class WaitlistSeatOffered(Trigger):
    key, label, group = "waitlist_offered", _("A waitlist seat is offered"), WAITLIST
    event_kinds = (EventKind.WAITLIST_OFFERED,)
    offers = WAITLIST_CONTEXT


@register
class WaitlistOfferExpired(Trigger):
    key, label, group = "waitlist_offer_expired", _("A waitlist offer expires"), WAITLIST
    event_kinds = (EventKind.WAITLIST_OFFER_EXPIRED,)
    offers = WAITLIST_CONTEXT


@register
class WaitlistBooked(Trigger):
    key, label, group = "waitlist_booked", _("Client is booked from the waitlist"), WAITLIST
    event_kinds = (EventKind.WAITLIST_BOOKED,)


@register
class EarlierTimeOffered(Trigger):
    """An appointment's client who asked is told of an earlier free time (their booking is the
    one they may move)."""

    key, label, group = "earlier_time_offered", _("An earlier time is offered to a client"), WAITLIST
    event_kinds = (EventKind.EARLIER_TIME_OFFERED,)


# --- Online payments (bookings_app/services/payments.py) ---------------------------------

PAYMENT_CONTEXT = BOOKING_CONTEXT | {"payment"}


@register
class PaymentReceived(Trigger):
    """Once per payment taken, also a late one refunded because its place was gone."""

    key, label, group = "payment_received", _("Client pays online"), PAYMENTS
    event_kinds = (EventKind.PAYMENT_RECEIVED,)
    offers = PAYMENT_CONTEXT


@register
class PaymentFailed(Trigger):
    """The provider declined the payment; the place stays held while the client tries again."""

    key, label, group = "payment_failed", _("An online payment is declined"), PAYMENTS
    event_kinds = (EventKind.PAYMENT_FAILED,)
    offers = PAYMENT_CONTEXT


@register
class RefundIssued(Trigger):
    """Once per refund the provider confirmed, in full or in part."""

    key, label, group = "refund_issued", _("A refund is issued"), PAYMENTS
    event_kinds = (EventKind.REFUND_ISSUED,)
    offers = PAYMENT_CONTEXT


# --- Plans (bookings_app/services/plans.py) ---------------------------------------------

PLAN_CONTEXT = frozenset({"client", "plan"})


@register
class PlanExpires(Trigger):
    """Made by ``scheduling.scan_plan_expiries``, once per client plan, X days before it ends
    (a pack used up or already ended by then gets none)."""

    key, label, group = "plan_expires", _("A client's plan expires in X days"), PLANS
    service_filter = False
    params = (Param("days", _("number of days"), kind=int, minimum=1, maximum=365, default=7),)
    offers = PLAN_CONTEXT

    def still_applies(self, context: "RunContext") -> str:
        pack = context.client_plan
        if pack is None or pack.credits_left <= 0:
            return str(_("The pack has no credits left."))
        return ""


@register
class LastCreditUsed(Trigger):
    """A booking used a pack's last credit; once per pack."""

    key, label, group = "plan_credits_used_up", _("A client uses the last credit of a pack"), PLANS
    event_kinds = (EventKind.PLAN_CREDITS_USED_UP,)
    offers = BOOKING_CONTEXT | PLAN_CONTEXT


# --- Plans (bookings_app/services/plan_purchases.py) -----------------------------------


@register
class PlanPurchased(Trigger):
    """Once per pack a client bought online (payload: plan name, amount, currency)."""

    key, label, group = "plan_purchased", _("Client buys a plan online"), PLANS
    event_kinds = (PLAN_PURCHASED,)
    service_filter = False
    offers = frozenset({"client", "plan", "payment"})


# --- Memberships (bookings_app/services/membership_renewals.py) ---------------------------


@register
class MembershipRenewed(Trigger):
    """Once per period a membership's renewal is charged through the payment provider."""

    key, label, group = "membership_renewed", _("A membership is renewed"), PAYMENTS
    event_kinds = (EventKind.MEMBERSHIP_RENEWED,)
    service_filter = False
    offers = frozenset({"client"})


@register
class MembershipRenewalFailed(Trigger):
    """Once per declined attempt; the last one lapses the membership."""

    key, label, group = "membership_renewal_failed", _("A membership renewal fails"), PAYMENTS
    event_kinds = (EventKind.MEMBERSHIP_RENEWAL_FAILED,)
    service_filter = False
    offers = frozenset({"client"})


# --- Loyalty (events written by the loyalty app) ---------------------------------------


@register
class PointsEarned(Trigger):
    key, label, group = "points_earned", _("Client earns loyalty points"), LOYALTY
    event_kinds = (POINTS_EARNED,)
    service_filter = False
    offers = frozenset({"client", "points"})


@register
class GiftCardIssued(Trigger):
    key, label, group = "gift_card_issued", _("Gift card is issued"), LOYALTY
    event_kinds = (GIFT_CARD_ISSUED,)
    service_filter = False
    offers = frozenset({"client", "gift_card"})
