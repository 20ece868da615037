from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoyaltyConfig(AppConfig):
    name = "loyalty"
    verbose_name = _("Loyalty")

    def ready(self) -> None:
        from bookings_app.events import event_recorded

        from . import receivers

        event_recorded.connect(
            receivers.settle_on_cancellation, dispatch_uid="loyalty.settle_on_cancellation"
        )
