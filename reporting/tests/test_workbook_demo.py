"""The acceptance test of the programme workbook: the demo's programme, exported, then imported
into a fresh province (bootstrap_province and the demo's unit tree, nothing else), reproduces
the demo's tasks, indicators, sets, targets and rules exactly — the new database exports the
same workbook, cell by cell — and importing it again changes nothing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from nq57.testing import DemoDatabase
from nq57.xlsx import build_workbook
from org.models import Unit
from org.queries import EXPORT_HEADERS, export_rows
from org.services import bootstrap_province, import_units
from org.unit_rows import parse_unit_file
from reporting.tests.test_workbook import _cells
from reporting.workbook import export_programme, import_programme
from tasks.models import Assignment, Task


@pytest.fixture(scope="module")
def demo_files(_demo: DemoDatabase, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo's programme workbook and unit tree, read from the session's demo (loaded once,
    see conftest) outside any test; the tests of this module run on a fresh database."""
    with django_db_blocker.unblock():
        _demo.attach()
        try:
            programme = export_programme()
            units = build_workbook("Đơn vị", EXPORT_HEADERS, export_rows(Unit.objects.all()))
            assignments = sorted(Assignment.objects.values_list("task__code", "unit__code"))
        finally:
            _demo.detach()
    yield {"programme": programme, "units": units, "assignments": assignments}


def test_the_demo_programme_loads_into_a_fresh_province(
    db: None, demo_files: dict[str, Any]
) -> None:
    admin = bootstrap_province(
        code="40", name="Tỉnh Nghệ An", admin_username="quantri",
        admin_email="quantri@nq57.local", admin_password="mat-khau-du-dai-2026",
    )  # fmt: skip
    import_units(actor=admin, rows=parse_unit_file(io.BytesIO(demo_files["units"])))
    assert not Task.objects.exists()

    summary = import_programme(actor=admin, source=io.BytesIO(demo_files["programme"]))
    created = {c.sheet: len(c.created) for c in summary.sheets}
    assert created == {
        "Nguồn": 6, "Lĩnh vực": 11, "Nhóm nhiệm vụ": 4, "Nhiệm vụ": 190, "Số liệu": 80,
        "Bộ chỉ tiêu": 2, "Chỉ tiêu": 69, "Mục tiêu": 79, "Quy tắc kiểm tra": 13,
        "Mẫu báo cáo": 2, "Lịch báo cáo": 1,
    }  # fmt: skip
    assert (summary.updated, summary.unchanged) == (0, 0)
    # Every task carried out by the same units as in the demo (130 communes on some).
    assert (
        sorted(Assignment.objects.values_list("task__code", "unit__code"))
        == (demo_files["assignments"])
    )
    again = export_programme()
    assert _cells(again) == _cells(demo_files["programme"])

    summary = import_programme(actor=admin, source=io.BytesIO(again))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 457)
    assert _cells(export_programme()) == _cells(again)
