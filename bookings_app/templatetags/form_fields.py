"""Form fields as both reading directions expect them."""

from django import forms, template

register = template.Library()

_FREE_TEXT_INPUTS = {"text", "search"}


@register.filter
def with_text_direction(field: forms.BoundField) -> str:
    """Render the field's widget, letting free text follow its own direction (``dir="auto"``).

    A Hebrew name typed on an English page, or an English note on a Hebrew one, then reads
    from its own side; widgets that already set a direction (e-mail, phone, codes) keep theirs.
    """
    widget = field.field.widget
    free_text = isinstance(widget, forms.Textarea) or getattr(widget, "input_type", None) in _FREE_TEXT_INPUTS
    if free_text and "dir" not in widget.attrs:
        return field.as_widget(attrs={"dir": "auto"})
    return str(field)
