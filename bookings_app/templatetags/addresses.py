"""E-mail addresses that wrap where a reader expects: before the "@", not in the middle of a word."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def breakable_email(address: str) -> SafeString:
    """``alice.martin@example.com`` with a line-break opportunity (<wbr>) before its "@"."""
    local, at, domain = str(address or "").rpartition("@")
    if not at:
        return escape(address or "")
    return mark_safe(f"{escape(local)}<wbr>@{escape(domain)}")
