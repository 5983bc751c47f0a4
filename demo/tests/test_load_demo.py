"""The demo data: Nghệ An's real units and the demo accounts, loaded through the services."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from demo.accounts import DEMO_PASSWORD
from demo.tree import DATA
from org.models import Role, Unit, User

# The demo's Q4/2025 events must not lie in the future of the test's clock.
pytestmark = pytest.mark.clock("2026-01-05T09:00")


@pytest.fixture
def demo(db: None, demo_data: None) -> None:
    """The session's demo (see conftest)."""


def test_tree_accounts_and_export(demo: None, tmp_path: Path) -> None:
    """One load (it takes seconds) serves all the checks on units, accounts and the export."""
    check_tree()
    check_accounts()
    check_export(tmp_path)


def check_tree() -> None:
    communes = Unit.objects.filter(unit_type__in=["xa", "phuong"])
    assert communes.count() == 130
    assert communes.filter(unit_type="phuong").count() == 11
    province = Unit.objects.get(code="40")
    assert all(c.path.startswith(province.path) for c in communes)
    assert Unit.objects.get(code="16681").cluster == "Thành phố Vinh"
    assert set(Unit.objects.filter(is_standing_office=True).values_list("code", flat=True)) == {
        "VPTU",
        "SKHCN",
        "VP-UBND",
        "SNV",
        "CAT",
    }


def check_accounts() -> None:
    for username, role in [
        ("admin", Role.SYSADMIN),
        ("thuongtruc", Role.STANDING_OFFICE),
        ("lanhdao", Role.VIEWER),
        ("bc.16681", Role.REPORTER),
        ("ld.16681", Role.UNIT_HEAD),
        ("bc.skhcn", Role.REPORTER),
        ("ld.skhcn", Role.UNIT_HEAD),
    ]:
        user = User.objects.get(username=username)
        assert user.role == role and user.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="bc.16681").unit.code == "16681"
    assert User.objects.filter(username__startswith="bc.").count() == 155
    assert User.objects.get(username="bc.16681").history.first().history_user.username == "admin"


def test_units_only_loads_no_demo_accounts(db: None) -> None:
    from org.services import bootstrap_province

    bootstrap_province(
        code="40",
        name="Tỉnh Nghệ An",
        admin_username="qtht",
        admin_email="qt@example.vn",
        admin_password="mat-khau-that-2025",
    )
    call_command("load_demo", "--units-only")
    units, users = Unit.objects.count(), User.objects.count()
    assert (units, users) == (163, 1)
    call_command("load_demo", "--units-only")
    assert (Unit.objects.count(), User.objects.count()) == (units, users)


def check_export(tmp_path: Path) -> None:
    target = tmp_path / "units.csv"
    call_command("export_units", str(target))
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["code", "name", "type", "parent_code"]
    by_code = {r["code"]: r for r in rows}
    with (DATA / "nghean-communes.csv").open(encoding="utf-8") as handle:
        reference = list(csv.DictReader(handle))
    assert len(reference) == 130
    for commune in reference:
        exported = by_code[commune["code"]]
        assert (exported["name"], exported["type"]) == (commune["name"], commune["type"])
        assert by_code[exported["parent_code"]]["parent_code"] == "40"


def test_demo_reporting_calendar(demo: None, demo_output: str) -> None:
    """The 2025–2026 holidays, the monthly form and its 2026 schedule (cut-off on the 15th,
    due on the 18th): the job would create January 2026, data from 15/12/2025, due Monday 19/01
    (the 18th is a Sunday)."""
    from django.utils import timezone

    from periods.models import Holiday
    from reporting.models import Schedule
    from reporting.schedules import upcoming

    assert "Demo reporting calendar: 27 holidays, forms, schedules." in demo_output
    assert Holiday.objects.filter(day__year=2026).count() == 11
    (january, *_rest) = upcoming(Schedule.objects.get(code="THANG-2026"), timezone.now())
    assert (january.code, january.starts_on, january.ends_on) == (
        "2026-01", date(2025, 12, 15), date(2026, 1, 14)
    )  # fmt: skip
    assert january.due_at.date() == date(2026, 1, 19)
