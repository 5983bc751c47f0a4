"""The dashboard's filters, all in the query string: a plain GET works, HTMX only swaps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from dashboard.filters import DashboardFilters
from org.models import REPORTING_TYPES, Unit, UnitType
from tasks.forms import ALL, AsOfForm, CodeChoiceField, set_blocs
from tasks.models import Source


class DashboardForm(AsOfForm):
    bloc = CodeChoiceField(_("Khối"))
    unit_type = forms.ChoiceField(
        label=_("Loại đơn vị"),
        required=False,
        choices=[("", ALL), *(c for c in UnitType.choices if c[0] in REPORTING_TYPES)],
    )
    source = CodeChoiceField(_("Nguồn"))
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, blocs: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The province of each bloc read with it (no extra query), to tell apart the blocs of
        # several provinces, which have the same names.
        province = Unit.objects.filter(path=Substr(OuterRef("path"), 1, Unit.steplen))
        rows = list(blocs.annotate(province=Subquery(province.values("name")[:1])).order_by("path"))
        set_blocs(
            self.fields["bloc"],  # type: ignore[arg-type]
            rows,
            {row.path[: Unit.steplen]: row.province for row in rows},
        )
        self.fields["source"].set_rows(Source.objects.order_by("code"))  # type: ignore[attr-defined]

    def filters(self, unit: Unit | None) -> DashboardFilters:
        """The valid filters (a bad date, source or year is ignored, like no filter; a bloc out
        of sight is a 404 in the view); `unit` is the drill-down
        unit, already checked against what the user sees."""
        as_of = self.as_of_date()
        data = self.cleaned_data
        source = data.get("source")
        return DashboardFilters(
            as_of=as_of,
            unit=unit,
            bloc=data.get("bloc"),
            unit_type=data.get("unit_type") or None,
            source=source.code if source else None,
            year=data.get("year"),
        )
