from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings_app"
    label = "bookings_app"
    verbose_name = _("Bookings")

    def ready(self) -> None:
        from .core import availability_version
        from .mail import (
            booking_emails,  # noqa: F401  (registers the booking e-mails' composer)
            receipt_emails,  # noqa: F401  (registers the receipt e-mail's composer)
        )
        from .models import EventKind
        from .plug_ins.event_kinds import register_event_kinds
        from .views.dashboard import service_approval  # noqa: F401  (registers the service edit page's Approval tab)
        from .web import roles

        post_migrate.connect(roles.ensure_roles, dispatch_uid="bookings_app.ensure_roles")
        post_migrate.connect(
            availability_version.install, sender=self, dispatch_uid="bookings_app.availability_version"
        )
        register_event_kinds(EventKind.choices)
        self._plug_online_payment_into_checkout()
        self._register_payments_list()
        self._register_plans()

    def _plug_online_payment_into_checkout(self) -> None:
        from .payments.checkout_step import KEY, no_fields, start_online_payments
        from .plug_ins.checkout import register_payment_step

        register_payment_step(KEY, fields=no_fields, pay=start_online_payments)

    def _register_payments_list(self) -> None:
        from .plug_ins.nav import register_dashboard_entry

        register_dashboard_entry(
            "payments", _("Payments"), "payments_dashboard:list", namespace="payments_dashboard", order=50
        )

    def _register_plans(self) -> None:
        """The plans' sidebar entry and the clients' "Plans" panel (docs/plans.md)."""
        from .plug_ins.client_panels import register_client_panel
        from .plug_ins.nav import register_dashboard_entry

        register_dashboard_entry("plans", _("Plans"), "dashboard:plans", order=40)
        register_client_panel("plans", _("Plans"), "dashboard:client_plans", order=10)
        self._sell_plans_online()
        self._register_membership_renewals()

    def _sell_plans_online(self) -> None:
        """Packs bought online: paid through the payments' purposes, announced as ``plan.purchased``
        (and ``plan.refunded`` when the owner gives a pack's money back)."""
        from .models import PLAN_ORDER, PLAN_PURCHASED, PLAN_REFUNDED
        from .plug_ins.event_kinds import register_event_kinds
        from .plug_ins.payment_purposes import register_payment_purpose
        from .services.plan_purchases import fulfil_plan_order, order_saves_card, plan_order_sale
        from .services.plan_refunds import void_refunded_pack
        from .views.public.plan_shop import describe_order_payment, order_page_for_payment

        register_event_kinds([(PLAN_PURCHASED, _("Plan purchased")), (PLAN_REFUNDED, _("Plan refunded"))])
        register_payment_purpose(
            PLAN_ORDER,
            paid=fulfil_plan_order,
            describe=describe_order_payment,
            return_url=order_page_for_payment,
            label=_("Plan"),
            sale=plan_order_sale,
            refunded=void_refunded_pack,
            saves_card=order_saves_card,
        )

    def _register_membership_renewals(self) -> None:
        """Renewals are charged off-session (no checkout, no webhook): the purpose names them in
        the payments list and on their receipts."""
        from .plug_ins.payment_purposes import register_payment_purpose
        from .services.membership_renewals import PURPOSE, describe_renewal, renewal_sale

        register_payment_purpose(
            PURPOSE,
            paid=lambda payment, now, saved_card: False,
            describe=describe_renewal,
            return_url=lambda payment: "/my/",
            label=_("Membership renewal"),
            sale=renewal_sale,
        )
