"""The demo accounts, created through org.services.create_accounts like a bulk import."""

from __future__ import annotations

from org import services
from org.account_rows import AccountRow
from org.models import REPORTING_TYPES, Role, Unit, User

DEMO_PASSWORD = "nq57-demo"


def _rows() -> list[AccountRow]:
    rows = [
        AccountRow(0, "CQTT", "Cơ quan thường trực", "", "", Role.STANDING_OFFICE, "thuongtruc"),
        AccountRow(0, "40", "Lãnh đạo tỉnh", "", "", Role.VIEWER, "lanhdao"),
    ]
    units = Unit.objects.filter(unit_type__in=REPORTING_TYPES).order_by("path")
    for unit in units:
        code = unit.code.lower()
        rows.append(
            AccountRow(
                0, unit.code, f"Cán bộ đầu mối {unit.name}", "", "", Role.REPORTER, f"bc.{code}"
            )
        )
        rows.append(
            AccountRow(0, unit.code, f"Lãnh đạo {unit.name}", "", "", Role.UNIT_HEAD, f"ld.{code}")
        )
    return rows


def load_accounts(actor: User) -> int:
    """Create the demo accounts that do not exist yet; returns how many were created."""
    existing = set(User.objects.values_list("username", flat=True))
    missing = [row for row in _rows() if row.username not in existing]
    if missing:
        services.create_accounts(
            actor=actor, rows=missing, password=DEMO_PASSWORD, must_change_password=False
        )
    return len(missing)
