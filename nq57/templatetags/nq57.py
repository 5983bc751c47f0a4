"""Template helpers shared by every app."""

from typing import Any

from django import template
from django.forms import BoundField
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()

_WIDGET_CLASS = {
    "checkbox": "form-check-input",
    "checkboxselectmultiple": "form-check-input",
    "radioselect": "form-check-input",
    "select": "form-select",
}
_FILE_WIDGETS = frozenset({"file", "clearablefile"})


@register.filter
def bs(field: BoundField) -> SafeString:
    """Render a form field with Bootstrap's class for its widget. A file input comes with a
    button and the chosen file's name in the page's language (`_file_input.html`): the
    browser's own ("Choose File") speaks the browser's."""
    css = _WIDGET_CLASS.get(field.widget_type, "form-control")
    if field.errors:
        css += " is-invalid"
    if field.widget_type in _FILE_WIDGETS and not field.value():
        described = f"{field.auto_id}_name"
        widget = field.as_widget(attrs={"aria-describedby": described})
        context = {"field": field, "widget": widget, "name_id": described}
        return render_to_string("_file_input.html", context)
    return field.as_widget(attrs={"class": css})


@register.simple_tag(takes_context=True)
def with_param(context: dict[str, Any], url: str, key: str, value: Any) -> str:
    """`url` with the current query string, `key` set to `value`."""
    query = context["request"].GET.copy()
    query[key] = str(value)
    return f"{url}?{query.urlencode()}"
