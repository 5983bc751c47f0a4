"""Form fields shared by every app's pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DAY_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def day_field(label: StrOrPromise, **kwargs: Any) -> forms.DateField:
    """A date typed the Vietnamese way (02/10/2025), whatever the page's language."""
    return forms.DateField(
        label=label,
        input_formats=DAY_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        **kwargs,
    )


class CheckboxList(forms.CheckboxSelectMultiple):
    """Bootstrap check boxes side by side, whatever class the shared field renderer passes."""

    template_name = "widgets/checkbox_list.html"


def service_errors(
    form: forms.BaseForm, exc: ValidationError, renamed: Mapping[str, str] | None = None
) -> None:
    """A service's refusal shown on the form: each error next to its field where the form has
    it (`renamed`: the form's name for a field the service names otherwise), else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        field = (renamed or {}).get(name, name)
        form.add_error(field if field in form.fields else None, errors)
