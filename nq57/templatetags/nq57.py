"""Template helpers shared by every app."""

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_WIDGET_CLASS = {
    "checkbox": "form-check-input",
    "checkboxselectmultiple": "form-check-input",
    "radioselect": "form-check-input",
    "select": "form-select",
}


@register.filter
def bs(field: BoundField) -> SafeString:
    """Render a form field with Bootstrap's class for its widget."""
    css = _WIDGET_CLASS.get(field.widget_type, "form-control")
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.simple_tag(takes_context=True)
def with_param(context: dict[str, Any], url: str, key: str, value: Any) -> str:
    """`url` with the current query string, `key` set to `value`."""
    query = context["request"].GET.copy()
    query[key] = str(value)
    return f"{url}?{query.urlencode()}"
