"""Form widgets shared by the apps' forms."""

from django import forms


class CheckboxList(forms.CheckboxSelectMultiple):
    """Bootstrap check boxes side by side, whatever class the shared field renderer passes."""

    template_name = "widgets/checkbox_list.html"
