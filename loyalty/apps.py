from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoyaltyConfig(AppConfig):
    name = "loyalty"
    verbose_name = _("Loyalty")

    def ready(self) -> None:
        self._register_events()
        self._plug_into_checkout()
        self._register_client_links()
        self._register_dashboard()
        self._name_email_kinds()
        self._sell_gift_cards()

    def _register_events(self) -> None:
        """The kinds loyalty records; the cancellations it settles, read from the outbox."""
        from bookings_app.plug_ins.event_kinds import register_consumer, register_event_kinds

        from .events import CONSUMER, PAYMENT_KINDS, SETTLED_KINDS, LoyaltyEventKind

        register_event_kinds(LoyaltyEventKind.choices)
        register_consumer(CONSUMER, task="loyalty.tasks.process_event", kinds=SETTLED_KINDS + PAYMENT_KINDS)

    def _plug_into_checkout(self) -> None:
        from bookings_app.plug_ins.checkout import register_payment_step

        from .checkout import gift_card_fields, pay_with_gift_card

        register_payment_step("gift_card", fields=gift_card_fields, pay=pay_with_gift_card)

    def _register_client_links(self) -> None:
        from bookings_app.plug_ins.nav import register_client_entry

        from .views.client import program_is_on

        register_client_entry(
            "loyalty_points", _("My points"), "loyalty:my_points", visible=program_is_on, order=20
        )
        register_client_entry(
            "loyalty_gift_cards", _("Gift cards"), "loyalty:gift_cards", visible=program_is_on, order=30
        )

    def _register_dashboard(self) -> None:
        """The owner's side: the sidebar entry, the service page's tab, the clients' "Points" panel."""
        from bookings_app.plug_ins.client_panels import register_client_column, register_client_panel
        from bookings_app.plug_ins.nav import register_dashboard_entry
        from bookings_app.plug_ins.service_tabs import register_service_tab

        from .selectors import with_points_balance
        from .views.dashboard import program_is_on, service_loyalty_tab

        register_dashboard_entry(
            "loyalty", _("Loyalty"), "loyalty_dashboard:index", namespace="loyalty_dashboard", order=70
        )
        register_service_tab(
            "loyalty", _("Loyalty"), "loyalty/dashboard/service_tab.html", service_loyalty_tab, order=50
        )
        register_client_panel(
            "loyalty_history",
            _("Points"),
            "loyalty_dashboard:client_history",
            visible=program_is_on,
            order=20,
        )
        register_client_column(
            "points_balance",
            _("Points"),
            with_points_balance,
            "loyalty_dashboard:client_history",
            visible=program_is_on,
            order=20,
        )

    def _name_email_kinds(self) -> None:
        from bookings_app.mail.composers import name_email_kind

        name_email_kind("loyalty_points_earned", _("Points earned"))
        name_email_kind("loyalty_balance_changed", _("Points balance changed"))
        name_email_kind("loyalty_gift_card", _("Gift card"))
        name_email_kind("loyalty_gift_delivery", _("Gift card sent as a gift"))
        name_email_kind("loyalty_gift_order_thanks", _("Thanks for a gift card order"))

    def _sell_gift_cards(self) -> None:
        """Gift cards sold for money: bookings_app takes the payment, loyalty issues the card."""
        from bookings_app.plug_ins.payment_purposes import register_payment_purpose

        from .models import GIFT_CARD_ORDER
        from .services.gift_card_orders import fulfil_gift_card_order, order_sale
        from .services.gift_card_refunds import void_refunded_card
        from .views.gift_shop import describe_order_payment, order_page_for_payment

        register_payment_purpose(
            GIFT_CARD_ORDER,
            paid=fulfil_gift_card_order,
            describe=describe_order_payment,
            return_url=order_page_for_payment,
            label=_("Gift card"),
            sale=order_sale,
            refunded=void_refunded_card,
        )
