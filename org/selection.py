"""Which units a choice names: an explicit list, unit types (all communes and wards), a subtree
(a unit and every reporting unit under it) or a saved group (UnitGroup), as of a date. The one
home of the rule: the assign page, the programme workbook's assignee column and the CLI all
resolve a choice here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from org.models import REPORTING_TYPES, Unit, UnitGroup


class SelectionKind(StrEnum):
    LIST = "list"
    TYPE = "type"
    SUBTREE = "subtree"
    GROUP = "group"


SELECTION_LABELS = {
    SelectionKind.LIST: _("Chọn từng đơn vị"),
    SelectionKind.TYPE: _("Theo loại đơn vị"),
    SelectionKind.SUBTREE: _("Một đơn vị và các đơn vị trực thuộc"),
    SelectionKind.GROUP: _("Nhóm đơn vị đã lưu"),
}


def active_on(day: date) -> Q:
    """Units in operation on `day`: begun by then (None: always) and not ended before it."""
    begun = Q(active_from__isnull=True) | Q(active_from__lte=day)
    return begun & (Q(active_to__isnull=True) | Q(active_to__gte=day))


@dataclass(frozen=True)
class Selection:
    """A choice of units as the user made it; `resolve` says which units it names on a day."""

    kind: SelectionKind
    units: Sequence[Unit] = field(default=())  # LIST
    unit_types: Sequence[str] = field(default=())  # TYPE
    root: Unit | None = None  # SUBTREE
    group: UnitGroup | None = None  # GROUP

    def resolve(self, as_of: date, within: QuerySet[Unit] | None = None) -> QuerySet[Unit]:
        """The units the choice names that are in operation on `as_of`, in tree order; with
        `within` (what the user sees), only those. A subtree names its reporting units (a bloc
        or the province itself carries out nothing); a list or a group, exactly its units."""
        units = within if within is not None else Unit.objects.all()
        if self.kind is SelectionKind.LIST:
            units = units.filter(pk__in=[u.pk for u in self.units])
        elif self.kind is SelectionKind.TYPE:
            units = units.filter(unit_type__in=list(self.unit_types))
        elif self.kind is SelectionKind.SUBTREE:
            assert self.root is not None
            units = units.filter(path__startswith=self.root.path, unit_type__in=REPORTING_TYPES)
        else:
            assert self.group is not None
            units = units.filter(unit_groups=self.group)
        return units.filter(active_on(as_of)).order_by("path")
