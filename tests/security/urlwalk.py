"""Every URL of the site, read from Django's resolver, with its arguments filled from the world.

A URL whose arguments this module cannot fill, or whose expected answers are not in the
table of ``test_url_walk``, fails the walk with a message naming the row to add: a new page
is never left unchecked.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# (URL name pattern, argument) → key of World.values, or a literal in LITERALS; first match wins.
# Names are "namespace:name" ("name" alone outside a namespace).
ARGUMENTS: list[tuple[str, str, str]] = [
    ("dashboard:service*", "pk", "service"),
    ("dashboard:discount_code*", "pk", "discount_code"),
    ("dashboard:staff_*", "pk", "staff"),
    ("dashboard:staff_override_remove", "override_pk", "override"),
    ("dashboard:staff_time_off_remove", "time_off_pk", "time_off"),
    ("dashboard:staff_outside_calendar_*", "calendar_pk", "outside_calendar"),
    ("dashboard:client*", "pk", "client"),
    ("dashboard:membership_action", "pk", "client"),
    ("dashboard:membership_action", "membership_pk", "membership"),
    ("dashboard:membership_action", "action", "=extend"),
    ("dashboard:membership_refund", "pk", "client"),
    ("dashboard:membership_refund", "membership_pk", "membership"),
    ("my_membership_cancel", "pk", "membership"),
    ("dashboard:pack_refund*", "pk", "client"),
    ("dashboard:pack_refund", "pack_pk", "=999999"),
    ("dashboard:pack_refund_retry", "refund_pk", "=999999"),
    ("dashboard:plan*", "pk", "plan"),
    ("dashboard:client_label_remove", "label_id", "label"),
    ("dashboard:calendar_session", "pk", "session"),
    ("dashboard:calendar_session_cancel", "pk", "class_session"),
    ("dashboard:calendar_waitlist_action", "pk", "class_session"),
    ("dashboard:calendar_waitlist_action", "entry_pk", "waitlist_entry"),
    ("dashboard:calendar_waitlist_action", "action", "=up"),
    ("dashboard:calendar_booking", "pk", "booking"),
    ("dashboard:booking*", "pk", "booking"),
    ("dashboard:booking_receipt", "number", "receipt_number"),
    ("public:receipt_pdf", "number", "receipt_number"),
    ("dashboard:email*", "pk", "email"),
    ("dashboard:feed_*", "pk", "feed"),
    ("dashboard:email_attachment", "index", "=0"),
    ("dashboard:request_*", "pk", "booking"),
    ("staff:my_calendar_*", "calendar_pk", "outside_calendar"),  # Nina's, Sam's own
    ("staff:*", "booking_id", "booking"),
    ("staff:seat_from_waitlist", "session_id", "class_session"),
    ("staff:seat_from_waitlist", "entry_id", "waitlist_entry"),
    ("staff:*", "session_id", "session"),
    ("public:book_session", "slug", "class_slug"),
    ("public:book_session", "session_id", "class_session"),
    ("public:waitlist_join", "slug", "class_slug"),
    ("public:waitlist_join", "session_id", "class_session"),
    ("public:waitlist_*", "token", "waitlist_token"),
    ("public:earlier_time", "token", "earlier_token"),
    ("public:enrol", "slug", "course_slug"),
    ("public:plan_buy", "pk", "plan"),
    ("public:plan_order*", "token", "plan_order_token"),
    ("public:*", "slug", "service_slug"),
    ("public:calendar_feed", "token", "feed_token"),
    ("public:*", "token", "manage_token"),
    ("api:availability", "slug", "service_slug"),
    ("payments:webhook", "provider_name", "=test"),
    ("payments:*", "token", "payment_token"),
    ("gift_shop:*", "token", "gift_order_token"),
    ("payments_dashboard:refund", "pk", "payment"),
    ("payments_dashboard:retry_refund", "pk", "refund"),
    ("payments_dashboard:export", "file_format", "=csv"),
    ("automations:unsubscribe", "token", "unsubscribe_token"),
    ("automations:email_*", "token", "=not-a-signed-token"),
    ("automations_dashboard:*", "pk", "automation"),
    ("automations_tasks:*", "pk", "task"),
    ("loyalty:buy_gift_card", "product_id", "product"),
    ("loyalty:gift_card_pdf", "pk", "gift_card"),
    ("loyalty_dashboard:export_*", "pk", "points_export"),
    ("loyalty_dashboard:client_history", "pk", "client"),
    ("loyalty_dashboard:product_edit", "pk", "product"),
    ("loyalty_dashboard:refund_sale", "pk", "gift_order"),
    ("loyalty_dashboard:retry_sale_refund", "pk", "=999999"),
    ("account_confirm_email", "key", "=not-a-key"),
    ("account_reset_password_from_key", "uidb36", "=zz"),
    ("account_reset_password_from_key", "key", "=not-a-key"),
]

# Patterns without a name cannot be reversed: one example path per view instead.
UNNAMED: dict[str, str] = {}


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:name"
    url: str
    view: str  # dotted path of the view, for messages


def _argument_names(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)


def _fill(name: str, argument: str, values: dict) -> object:
    for pattern, wanted, key in ARGUMENTS:
        if wanted == argument and fnmatchcase(name, pattern):
            return key[1:] if key.startswith("=") else values[key]
    raise AssertionError(
        f"the URL walk cannot fill <{argument}> of {name}: add a row ({name!r}, {argument!r}, "
        f"'<world key>') to ARGUMENTS in tests/security/urlwalk.py (and the object to the world in "
        f"tests/support/url_world.py)"
    )


def _view_path(pattern: URLPattern) -> str:
    callback = pattern.callback
    return f"{callback.__module__}.{getattr(callback, '__name__', type(callback).__name__)}"


def _patterns(patterns, namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
            yield from _patterns(entry.url_patterns, inner or namespace)
        else:
            yield namespace, entry


def every_page(values: dict, *, skip_namespaces: tuple[str, ...] = ("admin",)) -> list[Page]:
    """One Page per URL pattern of the whole site, with its arguments filled."""
    pages = []
    for namespace, pattern in _patterns(get_resolver().url_patterns):
        if namespace.split(":")[0] in skip_namespaces:
            continue
        view = _view_path(pattern)
        if pattern.name is None:
            if view not in UNNAMED:
                raise AssertionError(
                    f"the URL walk cannot reverse the unnamed pattern {pattern.pattern} ({view}): give it "
                    f"a name or add an example path to UNNAMED in tests/security/urlwalk.py"
                )
            pages.append(Page(f"<unnamed {view}>", UNNAMED[view], view))
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        kwargs = {argument: _fill(name, argument, values) for argument in _argument_names(pattern)}
        pages.append(Page(name, reverse(name, kwargs=kwargs), view))
    return pages
