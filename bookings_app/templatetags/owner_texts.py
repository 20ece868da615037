"""``{{ service|owner_text:"name" }}``: the owner's text in the active language;
``{{ name|isolated }}``: typed text kept in its own direction inside a translated sentence.

See ``bookings_app.display.owner_texts``.
"""

from django import template

from ..display import owner_texts

register = template.Library()


@register.filter
def owner_text(owner_thing, field: str) -> str:
    return owner_texts.owner_text(owner_thing, field) if owner_thing else ""


@register.filter(is_safe=True)
def isolated(text) -> str:
    return owner_texts.isolated(text) if text not in (None, "") else ""
