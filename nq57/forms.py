"""Form fields shared by every app's pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

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
