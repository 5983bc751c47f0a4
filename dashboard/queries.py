from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from org import access
from org.access import Action
from org.models import Unit, User
from reporting.queries import OwedItem, owed_by


@dataclass(frozen=True)
class HomeSummary:
    unit: Unit
    role_label: str
    reach: Unit | None  # top of what the user sees; None = the whole province
    visible_units: int
    actions: list[str]  # what the user may do on its own unit, in words
    owed: list[OwedItem]  # the unit's open reports and tasks due soon, soonest first


def home_summary(user: User, today: date) -> HomeSummary:
    return HomeSummary(
        unit=user.unit,
        role_label=user.get_role_display(),
        reach=access.root_of(user),
        visible_units=access.units_visible_to(user).count(),
        actions=[str(access.ACTION_LABELS[a]) for a in Action if access.can(user, a, user.unit)],
        owed=owed_by(user, today),
    )
