"""URL maps by audience; ``config.urls`` mounts each under its root and namespace."""

from django.urls import path

from .views.api import availability as api_views
from .views.dashboard import bookings as people_bookings
from .views.dashboard import calendar as calendar_views
from .views.dashboard import calendar_feeds as feeds_views
from .views.dashboard import clients as people_clients
from .views.dashboard import discounts as discount_views
from .views.dashboard import email_settings as email_settings_views
from .views.dashboard import emails as people_emails
from .views.dashboard import embedding as embedding_views
from .views.dashboard import home as home_views
from .views.dashboard import memberships as membership_views
from .views.dashboard import payments as payments_dashboard_views
from .views.dashboard import payments_list as payments_list_views
from .views.dashboard import plan_refunds as plan_refund_views
from .views.dashboard import plans as plans_views
from .views.dashboard import requests as requests_views
from .views.dashboard import services as services_views
from .views.dashboard import session_cancellation as session_cancellation_views
from .views.dashboard import settings as dashboard_views
from .views.dashboard import staff as staff_member_views
from .views.dashboard import waitlist as dashboard_waitlist_views
from .views.public import booking as public_views
from .views.public import calendar_feeds as feed_views
from .views.public import earlier_times as earlier_time_views
from .views.public import manage as manage_views
from .views.public import payments as payments_views
from .views.public import plan_shop as plan_shop_views
from .views.public import service_page
from .views.public import waitlist as waitlist_views
from .views.staff import my_calendars as my_calendar_views
from .views.staff import tablet as staff_views
from .web.embedding import embedded

public = [
    path("", public_views.home, name="home"),
    path("s/<slug:slug>/", service_page.service, name="service"),
    path("s/<slug:slug>/book/", public_views.book, name="book"),
    path("s/<slug:slug>/sessions/<int:session_id>/book/", public_views.book_session, name="book_session"),
    path("s/<slug:slug>/enrol/", public_views.enrol, name="enrol"),
    path("s/<slug:slug>/sessions/<int:session_id>/waitlist/", waitlist_views.join, name="waitlist_join"),
    path("waitlist/<str:token>/", waitlist_views.entry, name="waitlist_entry"),
    path("waitlist/<str:token>/accept/", waitlist_views.accept, name="waitlist_accept"),
    path("waitlist/<str:token>/leave/", waitlist_views.leave, name="waitlist_leave"),
    path("booked/<str:token>/", manage_views.confirmation, name="confirmation"),
    path("manage/<str:token>/", manage_views.manage, name="manage"),
    path("manage/<str:token>/booking.ics", manage_views.booking_ics, name="booking_ics"),
    path("manage/<str:token>/receipts/<str:number>.pdf", manage_views.receipt_pdf, name="receipt_pdf"),
    path("manage/<str:token>/cancel/", manage_views.cancel, name="cancel"),
    path("manage/<str:token>/reschedule/", manage_views.reschedule, name="reschedule"),
    path("manage/<str:token>/earlier/", earlier_time_views.ask, name="earlier_time_ask"),
    path("manage/<str:token>/earlier/stop/", earlier_time_views.stop, name="earlier_time_stop"),
    path("earlier/<str:token>/", earlier_time_views.notice, name="earlier_time"),
    path("calendar/<str:token>.ics", feed_views.calendar_feed, name="calendar_feed"),
    path("plans/", plan_shop_views.plans, name="plan_shop"),
    path("plans/<int:pk>/buy/", plan_shop_views.buy, name="plan_buy"),
    path("plans/order/<str:token>/", plan_shop_views.order, name="plan_order"),
    path("plans/order/<str:token>/pay/", plan_shop_views.pay, name="plan_order_pay"),
]

# The booking flow a website may frame (docs/embedding.md): the same views under ``/embed/``,
# served for ``/embed/`` requests only (``config.embed_urls``); the rest keep their addresses.
FLOW = ("home", "service", "book", "book_session", "enrol", "confirmation")


def public_embedded(prefix: str = "embed/") -> list:
    """The public pages with the flow's under ``prefix`` (``embed/``, or ``embed/fr/`` for one language)."""
    return [
        *(path(f"{prefix}{p.pattern}", embedded(p.callback), name=p.name) for p in public if p.name in FLOW),
        *(p for p in public if p.name not in FLOW),
    ]


dashboard = [
    path("", home_views.home, name="home"),
    path("settings/", dashboard_views.business_settings, name="settings"),
    path("settings/e-mails/", email_settings_views.email_settings, name="email_settings"),
    path("settings/embedding/", embedding_views.embedding, name="embedding"),
    path("settings/embedding/preview/", embedding_views.embedding_preview, name="embedding_preview"),
    path("settings/calendar-feeds/", feeds_views.feeds, name="feeds"),
    path("settings/calendar-feeds/new/", feeds_views.feed_create, name="feed_create"),
    path("settings/calendar-feeds/<int:pk>/renew/", feeds_views.feed_renew, name="feed_renew"),
    path("settings/calendar-feeds/<int:pk>/revoke/", feeds_views.feed_revoke, name="feed_revoke"),
    # -- home and calendar --
    path("calendar/", calendar_views.calendar, name="calendar"),
    path("calendar/bookings/<int:pk>/", calendar_views.booking_panel, name="calendar_booking"),
    path("calendar/sessions/<int:pk>/", calendar_views.session_panel, name="calendar_session"),
    path(
        "calendar/sessions/<int:pk>/waitlist/<int:entry_pk>/<slug:action>/",
        dashboard_waitlist_views.waitlist_action,
        name="calendar_waitlist_action",
    ),
    path(
        "calendar/sessions/<int:pk>/cancel/",
        session_cancellation_views.cancel,
        name="calendar_session_cancel",
    ),
    path("calendar/new/", calendar_views.new_booking, name="calendar_new_booking"),
    path("calendar/clients/", calendar_views.client_search, name="calendar_clients"),
    # -- services and staff --
    path("services/", services_views.services, name="services"),
    path("services/new/", services_views.service_new, name="service_new"),
    path("services/<int:pk>/", services_views.service, name="service"),
    path("services/<int:pk>/duplicate/", services_views.service_duplicate, name="service_duplicate"),
    path("services/<int:pk>/archive/", services_views.service_archive, name="service_archive"),
    path("services/<int:pk>/restore/", services_views.service_restore, name="service_restore"),
    path("discount-codes/", discount_views.discount_codes, name="discount_codes"),
    path("discount-codes/new/", discount_views.discount_code_new, name="discount_code_new"),
    path("discount-codes/<int:pk>/", discount_views.discount_code, name="discount_code"),
    path(
        "discount-codes/<int:pk>/archive/", discount_views.discount_code_archive, name="discount_code_archive"
    ),
    path(
        "discount-codes/<int:pk>/restore/", discount_views.discount_code_restore, name="discount_code_restore"
    ),
    path("staff/", staff_member_views.staff_list, name="staff_list"),
    path("staff/new/", staff_member_views.staff_new, name="staff_new"),
    path("staff/hours/interval/", staff_member_views.staff_hours_interval, name="staff_hours_interval"),
    path("staff/<int:pk>/", staff_member_views.staff_member, name="staff_member"),
    path("staff/<int:pk>/invite/", staff_member_views.staff_invite, name="staff_invite"),
    path("staff/<int:pk>/hours/", staff_member_views.staff_hours, name="staff_hours"),
    path("staff/<int:pk>/overrides/", staff_member_views.staff_override_add, name="staff_override_add"),
    path(
        "staff/<int:pk>/overrides/<int:override_pk>/remove/",
        staff_member_views.staff_override_remove,
        name="staff_override_remove",
    ),
    path("staff/<int:pk>/time-off/", staff_member_views.staff_time_off_add, name="staff_time_off_add"),
    path(
        "staff/<int:pk>/outside-calendars/",
        staff_member_views.staff_outside_calendar_add,
        name="staff_outside_calendar_add",
    ),
    path(
        "staff/<int:pk>/outside-calendars/<int:calendar_pk>/remove/",
        staff_member_views.staff_outside_calendar_remove,
        name="staff_outside_calendar_remove",
    ),
    path(
        "staff/<int:pk>/outside-calendars/<int:calendar_pk>/fetch/",
        staff_member_views.staff_outside_calendar_fetch,
        name="staff_outside_calendar_fetch",
    ),
    path(
        "staff/<int:pk>/time-off/<int:time_off_pk>/remove/",
        staff_member_views.staff_time_off_remove,
        name="staff_time_off_remove",
    ),
    # -- plans (class packs) --
    path("plans/", plans_views.plans, name="plans"),
    path("plans/new/", plans_views.plan_new, name="plan_new"),
    path("plans/report/", plans_views.report, name="plan_report"),
    path("plans/report.csv", plans_views.report_export, name="plan_report_export"),
    path("plans/<int:pk>/", plans_views.plan, name="plan"),
    path("plans/<int:pk>/archive/", plans_views.plan_archive, name="plan_archive"),
    path("clients/<int:pk>/plans/", plans_views.client_plans, name="client_plans"),
    path("clients/<int:pk>/plans/<int:pack_pk>/refund/", plan_refund_views.pack_refund, name="pack_refund"),
    path(
        "clients/<int:pk>/plans/refunds/<int:refund_pk>/retry/",
        plan_refund_views.pack_refund_retry,
        name="pack_refund_retry",
    ),
    path(
        "clients/<int:pk>/memberships/<int:membership_pk>/refund/",
        plan_refund_views.membership_refund,
        name="membership_refund",
    ),
    path(
        "clients/<int:pk>/memberships/<int:membership_pk>/<slug:action>/",
        membership_views.membership_action,
        name="membership_action",
    ),
    # -- clients, bookings and sent e-mails --
    path("clients/", people_clients.clients, name="clients"),
    path("clients/export.csv", people_clients.clients_export, name="clients_export"),
    path("clients/import/", people_clients.clients_import, name="clients_import"),
    path("clients/import/confirm/", people_clients.clients_import_confirm, name="clients_import_confirm"),
    path("clients/<int:pk>/", people_clients.client, name="client"),
    path("clients/<int:pk>/details/", people_clients.client_details, name="client_details"),
    path("clients/<int:pk>/labels/", people_clients.client_label_add, name="client_label_add"),
    path(
        "clients/<int:pk>/labels/<int:label_id>/remove/",
        people_clients.client_label_remove,
        name="client_label_remove",
    ),
    path("clients/<int:pk>/notes/", people_clients.client_notes, name="client_notes"),
    path("bookings/", people_bookings.bookings, name="bookings"),
    path("bookings/<int:pk>/", people_bookings.booking, name="booking"),
    path("bookings/<int:pk>/cancel/", people_bookings.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/paid/", people_bookings.booking_paid, name="booking_paid"),
    path(
        "bookings/<int:pk>/desk-payment/", people_bookings.booking_desk_payment, name="booking_desk_payment"
    ),
    path(
        "bookings/<int:pk>/receipts/<str:number>.pdf", people_bookings.booking_receipt, name="booking_receipt"
    ),
    path("bookings/<int:pk>/notes/", people_bookings.booking_notes, name="booking_notes"),
    path("bookings/<int:pk>/reschedule/", people_bookings.booking_reschedule, name="booking_reschedule"),
    path("emails/", people_emails.emails, name="emails"),
    path("emails/<int:pk>/", people_emails.email, name="email"),
    path("emails/<int:pk>/attachments/<int:index>/", people_emails.email_attachment, name="email_attachment"),
    # -- requests --
    path("requests/", requests_views.requests, name="requests"),
    path("requests/count/", requests_views.requests_count, name="requests_count"),
    path("requests/<int:pk>/approve/", requests_views.request_approve, name="request_approve"),
    path("requests/<int:pk>/reschedule/", requests_views.request_reschedule, name="request_reschedule"),
    path("requests/<int:pk>/decline/", requests_views.request_decline, name="request_decline"),
]

staff = [
    path("", staff_views.today, name="today"),
    path("bookings/<int:booking_id>/check-in/", staff_views.check_in, name="check_in"),
    path("bookings/<int:booking_id>/no-show/", staff_views.no_show, name="no_show"),
    path("bookings/<int:booking_id>/undo/", staff_views.undo, name="undo"),
    path("sessions/<int:session_id>/", staff_views.session_card, name="session"),
    path("sessions/<int:session_id>/walk-in/", staff_views.walk_in, name="walk_in"),
    path(
        "sessions/<int:session_id>/waitlist/<int:entry_id>/seat/",
        staff_views.seat_from_waitlist,
        name="seat_from_waitlist",
    ),
    path("sessions/<int:session_id>/clients/", staff_views.client_search, name="client_search"),
    path("my-calendars/", my_calendar_views.my_calendars, name="my_calendars"),
    path(
        "my-calendars/<int:calendar_pk>/remove/",
        my_calendar_views.my_calendar_remove,
        name="my_calendar_remove",
    ),
    path(
        "my-calendars/<int:calendar_pk>/fetch/",
        my_calendar_views.my_calendar_fetch,
        name="my_calendar_fetch",
    ),
]

api = [
    path("services", api_views.services, name="services"),
    path("availability/<str:slug>", api_views.availability_for, name="availability"),
]

# Online payments: the client's pay pages and the providers' webhook (``/pay/``), the owner's
# list and refunds (``/dashboard/payments/``); docs/payments.md.
payments = [
    path("webhook/<slug:provider_name>/", payments_views.webhook, name="webhook"),
    path("<str:token>/", payments_views.pay, name="pay"),
    path("<str:token>/checkout/", payments_views.go_to_checkout, name="checkout"),
    path("<str:token>/test/", payments_views.test_checkout, name="test_checkout"),
]

payments_dashboard = [
    path("", payments_list_views.payments, name="list"),
    path("export/<slug:file_format>/", payments_list_views.export, name="export"),
    path("<int:pk>/refund/", payments_dashboard_views.refund, name="refund"),
    path("refunds/<int:pk>/retry/", payments_dashboard_views.retry, name="retry_refund"),
]
