"""Automations' schema (docs/architecture.md, "The apps"). One module per business idea; import from here."""

from .automations import Action, Automation, DelayDirection, DelayUnit, Frequency
from .runs import MAX_ATTEMPTS, ActionOutcome, FrequencyMark, OutcomeStatus, Run, RunReason, RunStatus
from .team import EmailOptOut, Task
from .tracking import AutomationMessage, MessageEvent, Tracking

__all__ = [
    "MAX_ATTEMPTS",
    "Action",
    "ActionOutcome",
    "Automation",
    "DelayDirection",
    "DelayUnit",
    "EmailOptOut",
    "Frequency",
    "FrequencyMark",
    "OutcomeStatus",
    "Run",
    "RunReason",
    "RunStatus",
    "Task",
    "AutomationMessage",
    "MessageEvent",
    "Tracking",
]
