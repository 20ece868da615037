import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class AutomationsConfig(AppConfig):
    name = "automations"
    verbose_name = _("Automations")

    def ready(self) -> None:
        from bookings_app.events import event_recorded
        from bookings_app.nav import register_dashboard_entry

        from . import actions, criteria, integrations, triggers  # noqa: F401  (the registries fill on import)

        event_recorded.connect(queue_event_processing, dispatch_uid="automations.process_event")
        integrations.use_loyalty()
        register_dashboard_entry(
            "automations",
            _("Automations"),
            "automations_dashboard:list",
            namespace="automations_dashboard",
            order=60,
        )
        register_dashboard_entry(
            "tasks", _("Tasks"), "automations_tasks:list", namespace="automations_tasks", order=61
        )

        from anymail.signals import tracking

        from bookings_app.email_previews import register_preview_filter

        from .email_tracking import on_provider_event, untracked_html

        tracking.connect(on_provider_event, dispatch_uid="automations.email_tracking")
        register_preview_filter("automations", untracked_html)
        self._name_email_kinds()

    def _name_email_kinds(self) -> None:
        from bookings_app.mail.composers import name_email_kind

        name_email_kind("automation", _("Automation"))
        name_email_kind("automation_team", _("Automation, to the team"))
        name_email_kind("automation_test", _("Automation test"))


def queue_event_processing(sender, event_id: int, **kwargs) -> None:
    """After an event commits, hand it to a worker. A broker outage must never break the
    request that recorded it: log, and let the sweep (``process_pending_events``) find it."""
    from .tasks import process_event

    try:
        process_event.apply_async(args=[event_id], retry=False)
    except Exception:
        logger.warning("could not queue event %s; the sweep will process it", event_id, exc_info=True)
