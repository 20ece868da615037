"""Actions: what an automation does, in order.

Adding one is a small class and ``@register``: its key and label, what it needs from the
trigger (``needs``), ``validate`` (settings → cleaned settings, at save; raises
ValidationError with a message for the owner) and ``perform`` (at run time; returns what it
did in words, raises ActionFailed). A ``transactional`` action's writes commit together with
its recorded outcome, so it happens exactly once; a webhook cannot, and is at least once.
"""

from . import emails, records, webhooks  # noqa: F401  (each registers its actions)
from .base import ActionFailed, ActionType, action_types, register

__all__ = ["ActionFailed", "ActionType", "action_types", "register"]
