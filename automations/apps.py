from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutomationsConfig(AppConfig):
    name = "automations"
    verbose_name = _("Automations")

    def ready(self) -> None:
        from bookings_app.plug_ins.event_kinds import register_consumer
        from bookings_app.plug_ins.nav import register_dashboard_entry

        # The registries fill on import; validation registers the models' rules.
        from . import actions, criteria, integrations, triggers, validation  # noqa: F401
        from .engine import EVENT_CONSUMER

        # Every kind: a trigger may read any (its own app's, loyalty's, bookings'). Behind, its
        # workers drain the backlog in batches (engine.drain_events).
        register_consumer(EVENT_CONSUMER, task="automations.tasks.process_event", drains=True)
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

        from bookings_app.plug_ins.email_previews import register_preview_filter

        from .email_tracking import on_provider_event, untracked_html

        tracking.connect(on_provider_event, dispatch_uid="automations.email_tracking")
        register_preview_filter("automations", untracked_html)
        self._name_email_kinds()

    def _name_email_kinds(self) -> None:
        from bookings_app.mail.composers import name_email_kind

        name_email_kind("automation", _("Automation"))
        name_email_kind("automation_team", _("Automation, to the team"))
        name_email_kind("automation_test", _("Automation test"))
