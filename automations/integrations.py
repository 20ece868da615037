"""Where other apps plug into automations, so automations never import them.

The loyalty app, in its ``AppConfig.ready()``::

    from automations import integrations
    integrations.points_adder.register(loyalty.services.add_points_for_automation)
    integrations.variable_providers.register("points_balance", loyalty.selectors.balance_of)

Until it does, the "add points" action fails with "loyalty is not available" and
``{points_balance}`` reads 0.
"""

from collections.abc import Callable
from typing import Protocol

from bookings_app.models import Client


class PointsAdder(Protocol):
    def __call__(self, *, client: Client, points: int, description: str, key: str) -> object:
        """Credit ``points`` to ``client`` inside the caller's transaction; ``key`` names this
        credit (``"run:<run>:<position>"``) so a second call with it credits nothing."""


class Slot:
    """One function another app may register (or none)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.function: Callable | None = None

    def register(self, function: Callable) -> Callable:
        self.function = function
        return function

    def clear(self) -> None:
        self.function = None


class VariableProviders:
    """E-mail variables whose value another app knows: name → function(client) → value."""

    def __init__(self) -> None:
        self._providers: dict[str, Callable[[Client], object]] = {}

    def register(self, name: str, provider: Callable[[Client], object]) -> None:
        self._providers[name] = provider

    def unregister(self, name: str) -> None:
        self._providers.pop(name, None)

    def value(self, name: str, client: Client | None, *, default: str) -> str:
        provider = self._providers.get(name)
        if provider is None or client is None:
            return default
        return str(provider(client))


points_adder = Slot("points_adder")
variable_providers = VariableProviders()
