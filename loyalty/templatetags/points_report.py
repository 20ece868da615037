"""``{% points_report_rows page.object_list business %}``: the points report's rows
(``loyalty.report_rows``)."""

from django import template

from ..report_rows import report_rows

register = template.Library()


@register.simple_tag
def points_report_rows(entries, business):
    return report_rows(entries, business)
