"""Where automations reach other apps: slots filled when the app starts, so tests can stand in.

Automations depend on loyalty, never the other way round (docs/architecture.md): ``use_loyalty``, called
from ``AutomationsConfig.ready()``, plugs loyalty's points service into the "add points"
action and its balance into ``{points_balance}``. With no points service the action fails
with "loyalty is not available", and ``{points_balance}`` reads 0.
"""

from collections.abc import Callable
from typing import Protocol

from bookings_app.models import Client


class PointsAdder(Protocol):
    def __call__(self, *, client: Client, points: int, description: str) -> object:
        """Credit ``points`` to ``client`` inside the caller's transaction. It happens once
        because the "add points" action is transactional: its outcome commits with the credit,
        and a run retried after a commit finds the outcome and skips the action."""


class Slot:
    """One function another app may register (or none)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.function: Callable | None = None

    def register(self, function: Callable) -> Callable:
        self.function = function
        return function


class VariableProviders:
    """E-mail variables whose value another app knows: name → function(client) → value."""

    def __init__(self) -> None:
        self._providers: dict[str, Callable[[Client], object]] = {}

    def register(self, name: str, provider: Callable[[Client], object]) -> None:
        self._providers[name] = provider

    def value(self, name: str, client: Client | None, *, default: str) -> str:
        provider = self._providers.get(name)
        if provider is None or client is None:
            return default
        return str(provider(client))


points_adder = Slot("points_adder")
variable_providers = VariableProviders()


def use_loyalty() -> None:
    """Fill the slots with the loyalty app's points service and balance."""
    from loyalty.selectors import balance_of

    points_adder.register(add_loyalty_points)
    variable_providers.register("points_balance", balance_of)


def add_loyalty_points(*, client: Client, points: int, description: str) -> object:
    """Credit through loyalty's ``give_points``: the client sees ``description`` in their
    history and is told with the program's "balance changed" wording. Raises loyalty's
    LoyaltyError (program off, …) with a message for the owner."""
    from loyalty.services.points import give_points

    return give_points(client=client, points=points, description=description)
