"""The rules the models' ``clean()`` apply (so the admin refuses what the builder refuses).

The rules live in ``automations.validation`` and read the trigger, condition and action
registries, which read these models: the models look the rules up here by name, and
``validation`` registers them when it is imported (``AutomationsConfig.ready``), so no
import runs from the models back up to the actions.
"""

from collections.abc import Callable

_rules: dict[str, Callable] = {}


def rule(name: str) -> Callable[[Callable], Callable]:
    """Register the decorated function as the rule ``name``."""

    def register(function: Callable) -> Callable:
        _rules[name] = function
        return function

    return register


def apply(name: str, *args, **kwargs):
    return _rules[name](*args, **kwargs)
