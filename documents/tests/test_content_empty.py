"""A province with no tasks, reports or documents yet: every kind of report still builds, with
zero figures rather than errors (no demo needed)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from documents.composer import build_content
from documents.content import Kind
from org.tests.conftest import Tree, tree  # noqa: F401
from periods.models import Period, PeriodKind

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _period(code: str, kind: str, start: date, end: date) -> Period:
    return Period.objects.create(
        code=code,
        kind=kind,
        title=code,
        starts_on=start,
        ends_on=end,
        opens_at=datetime(2025, 9, 25, tzinfo=TZ),
        due_at=datetime(2025, 10, 5, tzinfo=TZ),
    )


@pytest.mark.parametrize("kind", list(Kind))
def test_an_empty_province_gives_zero_figures(tree: Tree, kind: Kind) -> None:  # noqa: F811
    period = _period("2025-Q3", PeriodKind.QUARTER, date(2025, 7, 1), date(2025, 9, 30))
    unit = tree.dept if kind is Kind.UNIT else tree.province
    content = build_content(kind=kind, period=period, unit=unit)
    assert content.as_of == date(2025, 9, 30)
    statements = {p.key: p.text for p in content.statements()}
    if kind is Kind.QUARTERLY:
        assert "tasks.intro" in statements and "tasks.province.completed" not in statements
        assert "indicators.achievement" in statements
    if kind is Kind.MONTHLY:
        assert statements["reports.received"] == "Đã tiếp nhận 0/0 báo cáo Quý III/2025."
    if kind is Kind.UNIT:
        assert statements["unit.tasks.total"] == "Đơn vị SKHCN được giao 0 nhiệm vụ:"
        assert statements["unit.report.state"] == "Đơn vị chưa lập báo cáo kỳ này."
