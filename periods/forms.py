from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nq57.forms import day_field
from periods.models import DayKind


class HolidayForm(forms.Form):
    day = day_field(_("Ngày"))
    name = forms.CharField(label=_("Tên ngày nghỉ"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại ngày"), choices=DayKind.choices, initial=DayKind.OFF)
