"""``{% calendar_cells column grid business %}`` and ``{% calendar_blocks column business %}``: a
calendar column's quarter-hour cells and its blocks (``display.calendar_blocks``)."""

from django import template

from ..display.calendar_blocks import column_blocks, column_cells

register = template.Library()


@register.simple_tag
def calendar_cells(column, grid, business):
    return column_cells(column, grid, business)


@register.simple_tag
def calendar_blocks(column, business):
    return column_blocks(column, business)
