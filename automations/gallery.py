"""Ready automations for a service business, offered when the owner starts a new one.

A template is data: it opens in the builder pre-filled and fully editable, and nothing is
saved until the owner saves. Texts are translated when the template opens.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class GalleryTemplate:
    key: str
    name: str | Promise
    description: str | Promise
    trigger: str
    actions: tuple[dict, ...]
    trigger_params: dict = field(default_factory=dict)
    delay: tuple[int, str, str] = (0, "minutes", "after")  # amount, unit, direction
    conditions: tuple = ()
    frequency: str = "every_time"
    popular: bool = False

    def matches(self, search: str) -> bool:
        words = f"{self.name} {self.description}".casefold()
        return all(word in words for word in search.casefold().split())

    def as_draft(self) -> dict:
        """The builder's starting state, texts in the active language."""
        amount, unit, direction = self.delay
        return {
            "name": str(self.name),
            "trigger": self.trigger,
            "trigger_params": dict(self.trigger_params),
            "service_ids": [],
            "delay_amount": amount,
            "delay_unit": unit,
            "delay_direction": direction,
            "has_delay": bool(amount),
            "frequency": self.frequency,
            "frequency_days": None,
            "conditions": [[dict(criterion) for criterion in group] for group in self.conditions],
            "actions": [
                {"kind": action["kind"], "settings": _translated(action["settings"])}
                for action in self.actions
            ],
        }


def _translated(settings: dict) -> dict:
    return {name: str(value) if isinstance(value, Promise) else value for name, value in settings.items()}


def _email(subject, body) -> dict:
    return {"kind": "email_client", "settings": {"subject": subject, "body": body}}


def _team(subject, body, recipients: str = "owners") -> dict:
    return {"kind": "notify_team", "settings": {"recipients": recipients, "subject": subject, "body": body}}


TEMPLATES: tuple[GalleryTemplate, ...] = (
    GalleryTemplate(
        "thank_first_visit",
        _("Thank clients after their first visit"),
        _("Two hours after a client's first check-in, send a warm thank-you."),
        "first_check_in",
        delay=(2, "hours", "after"),
        popular=True,
        actions=(
            _email(
                _("Thank you for your first visit, {client_first_name}!"),
                _("It was a pleasure to welcome you at {business_name}. See you soon!"),
            ),
        ),
    ),
    GalleryTemplate(
        "fifth_visit_gift",
        _("Welcome gift on the 5th visit"),
        _("On a client's fifth check-in, add 50 loyalty points and tell them."),
        "check_in_number",
        trigger_params={"visits": 5},
        popular=True,
        actions=(
            {"kind": "add_points", "settings": {"points": 50, "description": _("Fifth visit gift")}},
            _email(
                _("A gift for your 5th visit"),
                _(
                    "Thank you for your loyalty, {client_first_name}: 50 points are waiting for you. "
                    "Your balance: {points_balance}."
                ),
            ),
        ),
    ),
    GalleryTemplate(
        "win_back",
        _("Win back clients not seen for 30 days"),
        _("When a client has not been checked in for 30 days, invite them back."),
        "last_check_in",
        trigger_params={"days": 30},
        popular=True,
        actions=(
            _email(
                _("We miss you, {client_first_name}"),
                _("It has been a while! Book your next session at {business_name} whenever you like."),
            ),
        ),
    ),
    GalleryTemplate(
        "reminder_24h",
        _("Reminder 24 hours before a session"),
        _("E-mail each booked client the day before their session."),
        "session_starts",
        trigger_params={"per": "client"},
        delay=(24, "hours", "before"),
        popular=True,
        actions=(
            _email(
                _("See you tomorrow: {service_name}"),
                _("A reminder: {service_name} with {staff_name} on {session_start}."),
            ),
        ),
    ),
    GalleryTemplate(
        "review_request",
        _("Ask for a review after a session"),
        _("Three hours after a session ends, ask each client how it went."),
        "session_ends",
        trigger_params={"per": "client"},
        delay=(3, "hours", "after"),
        actions=(
            _email(
                _("How was your {service_name}?"),
                _("We would love to hear what you thought. Could you leave us a review?"),
            ),
        ),
    ),
    GalleryTemplate(
        "team_request_arrived",
        _("Tell the team when a booking request arrives"),
        _("E-mail the owner as soon as a client requests a booking."),
        "booking_requested",
        popular=True,
        actions=(
            _team(
                _("New booking request: {service_name}"),
                _(
                    "{client_name} asked for {service_name} on {session_start}. Approve or decline it "
                    "in the dashboard."
                ),
            ),
        ),
    ),
    GalleryTemplate(
        "request_declined",
        _("Offer alternatives after a declined request"),
        _("When a request is declined, tell the client and suggest other times."),
        "booking_declined",
        actions=(
            _email(
                _("About your request for {service_name}"),
                _(
                    "We could not accept your request for {session_start}. Other times are open: book one "
                    "on our booking page."
                ),
            ),
        ),
    ),
    GalleryTemplate(
        "call_after_two_cancellations",
        _("Call a client who cancelled twice"),
        _("When a client cancels for the second time, make a task to call them."),
        "client_cancels",
        conditions=([{"field": "cancellations", "operator": "eq", "value": 2}],),
        actions=(
            {
                "kind": "create_task",
                "settings": {
                    "title": _("Call {client_name}"),
                    "notes": _("They cancelled twice; ask whether we can help."),
                    "due_in_days": 1,
                    "assignee": None,
                },
            },
        ),
    ),
    GalleryTemplate(
        "class_roster",
        _("Send the roster when a class starts"),
        _("When a session starts, e-mail its staff member and the owner the list of clients."),
        "session_starts",
        trigger_params={"per": "session"},
        actions=(
            _team(
                _("Starting now: {service_name}"),
                _("The roster of {service_name} with {staff_name}."),
                recipients="owners_and_staff",
            ),
        ),
    ),
    GalleryTemplate(
        "welcome_new_client",
        _("Welcome a new client"),
        _("The first time a client books, send them a welcome note."),
        "client_books",
        frequency="once_per_client",
        actions=(
            _email(
                _("Welcome to {business_name}"),
                _(
                    "Hello {client_first_name}, thank you for booking {service_name}. We look forward to "
                    "meeting you."
                ),
            ),
        ),
    ),
    GalleryTemplate(
        "request_approved",
        _("Confirm an approved request"),
        _("When you approve a request, send the client a friendly note."),
        "booking_approved",
        actions=(_email(_("You're booked: {service_name}"), _("Good news! See you on {session_start}.")),),
    ),
    GalleryTemplate(
        "points_earned",
        _("Tell clients about their new points"),
        _("When a client earns loyalty points, tell them their balance."),
        "points_earned",
        actions=(
            _email(_("You earned {points_earned} points"), _("Your balance is now {points_balance} points.")),
        ),
    ),
)


def find(key: str) -> GalleryTemplate | None:
    return next((template for template in TEMPLATES if template.key == key), None)


def search(text: str = "") -> list[GalleryTemplate]:
    return [template for template in TEMPLATES if template.matches(text)]


def sections(text: str = "") -> tuple[list[GalleryTemplate], list[GalleryTemplate]]:
    """(popular, the others) when browsing, each template once; a search lists its matches only."""
    found = search(text)
    if text:
        return [], found
    return [t for t in found if t.popular], [t for t in found if not t.popular]
