"""``{% calendar_blocks column business %}``: a calendar column's blocks (``display.calendar_blocks``)."""

from django import template

from ..display.calendar_blocks import column_blocks

register = template.Library()


@register.simple_tag
def calendar_blocks(column, business):
    return column_blocks(column, business)
