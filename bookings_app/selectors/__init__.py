"""Read-side queries: what pages show, in a fixed number of queries. Writes live in ``services``.

Modules by subject; import from the package: ``from bookings_app.selectors import X``.
"""

from .accounts import client_of, own_past_bookings, own_upcoming_bookings, staff_member_of
from .bookings import bookings_for_list, bookings_list_page
from .busy_times import outside_calendars_of
from .calendar_feeds import feed_bookings, feed_sessions, live_feed, live_feed_of, team_feeds
from .catalog import (
    UPCOMING_CLASS_DAYS,
    active_staff,
    bookable_service,
    bookable_services,
    course_is_open,
    course_sessions,
    emails_sent_about,
    enrollment_bookings,
    scheduled_sessions,
    service_staff_member,
    services_by_kind,
    sessions_with_a_place_for,
    upcoming_class_sessions,
)
from .client_records import (
    booking_history,
    client_totals,
    clients_for_export,
    clients_for_list,
    upcoming_bookings,
    with_visits,
)
from .client_search import client_matches, client_picker, search_clients, search_words
from .dashboard_lists import (
    class_schedules,
    coming_sessions,
    sent_emails_for_list,
    services_for_list,
    staff_for_list,
)
from .discounts import discount_codes_for_list, discount_of
from .earlier_times import EarlierTimeCard, earlier_time_card
from .plan_shop import (
    latest_payment_of,
    plan_on_sale,
    plan_order_by_token,
    plans_on_sale,
    plans_on_sale_for,
    plans_on_sale_with_services,
)
from .plans import (
    active_client_plans,
    client_plans_of,
    credit_uses_of,
    plan_report,
    plans_for_list,
    plans_to_give,
    usable_plans,
)
from .requests import (
    confirmed_sessions_overlapping,
    inbox_requests,
    requests_ever,
    waiting_request_count,
    with_conflicts,
)
from .rescheduling import MoveTarget, may_reschedule, move_target
from .waitlist import course_line, live_entries_of, place_in_line, waitlist_lengths, waitlist_of

__all__ = [
    "discount_codes_for_list",
    "discount_of",
    "course_line",
    "EarlierTimeCard",
    "earlier_time_card",
    "client_plans_of",
    "credit_uses_of",
    "plans_for_list",
    "latest_payment_of",
    "plan_on_sale",
    "plan_order_by_token",
    "plans_on_sale",
    "plans_on_sale_for",
    "plans_on_sale_with_services",
    "plans_to_give",
    "usable_plans",
    "active_client_plans",
    "plan_report",
    "feed_bookings",
    "feed_sessions",
    "live_feed",
    "live_feed_of",
    "outside_calendars_of",
    "team_feeds",
    "class_schedules",
    "client_of",
    "coming_sessions",
    "own_past_bookings",
    "own_upcoming_bookings",
    "staff_for_list",
    "staff_member_of",
    "MoveTarget",
    "UPCOMING_CLASS_DAYS",
    "active_staff",
    "bookable_service",
    "bookable_services",
    "booking_history",
    "bookings_for_list",
    "bookings_list_page",
    "client_matches",
    "client_picker",
    "client_totals",
    "clients_for_export",
    "clients_for_list",
    "confirmed_sessions_overlapping",
    "course_is_open",
    "course_sessions",
    "emails_sent_about",
    "enrollment_bookings",
    "inbox_requests",
    "may_reschedule",
    "move_target",
    "requests_ever",
    "scheduled_sessions",
    "search_clients",
    "search_words",
    "service_staff_member",
    "sent_emails_for_list",
    "services_by_kind",
    "services_for_list",
    "sessions_with_a_place_for",
    "upcoming_bookings",
    "upcoming_class_sessions",
    "waiting_request_count",
    "live_entries_of",
    "place_in_line",
    "waitlist_lengths",
    "waitlist_of",
    "with_conflicts",
    "with_visits",
]
