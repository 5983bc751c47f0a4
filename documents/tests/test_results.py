"""Issue 15 item 5 on the demo: the six-month, nine-month and year reports and the brief state the
year's products (registered, delivered, rated) by kind of unit and the grades of the month last
scored and published, each as it stood at the report's date; the quarterly report states them
only when there are some, so the Q3/2025 one (no product, no month published by its date) stays
word for word the seed's. The outlines an installation already has get the new sections from
documents' migrations 0005 and 0008."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps

from documents.composer import build_content
from documents.content import Kind, Paragraph, ReportContent
from documents.models import Outline
from documents.outline_defaults import OUTLINES
from documents.wording import count
from org.models import Unit
from periods.models import Period
from products.queries import delivery_by_area
from scoring.facts import KIND_TYPES
from scoring.models import Grade, UnitKind
from scoring.queries import grade_distribution

pytestmark = pytest.mark.usefixtures("demo_data", "db")


def _content(kind: Kind, code: str, as_of: date | None = None) -> ReportContent:
    return build_content(
        kind=kind, period=Period.objects.get(code=code), unit=Unit.objects.get(code="40"),
        as_of=as_of, prose={},
    )  # fmt: skip


def _by_key(content: ReportContent) -> dict[str, Paragraph]:
    return {p.key: p for p in content.statements()}


@pytest.mark.clock("2026-12-07T09:00")
def test_the_year_report_states_the_products_by_kind_of_unit() -> None:
    content = _content(Kind.YEAR, "2026", as_of=date(2026, 12, 7))
    statements = _by_key(content)
    head = statements["products.delivery"]
    total = delivery_by_area(2026, date(2026, 12, 7)).total
    assert total.registered > 0 and total.exceeded == 1  # the demo's product rated "vượt"
    assert head.figure("registered") == count(total.registered)
    assert head.figure("delivered") == count(total.delivered)
    assert head.figure("exceeded") == "01"
    assert head.text.startswith(f"Năm 2026, các cơ quan, đơn vị có {count(total.registered)} sản")
    assert "kết quả đánh giá: 01 vượt, 0 đạt, 0 chưa đạt" in head.text
    assert [link.url for link in head.links] == [
        "/products/?year=2026&group=registered",
        "/products/?year=2026&group=delivered",
    ]
    agencies = statements["products.delivery.agency"]
    communes = statements["products.delivery.commune"]
    assert agencies.text.startswith("- Các sở, ban, ngành, cơ quan cấp tỉnh: ")
    for kind, line in ((UnitKind.AGENCY, agencies), (UnitKind.COMMUNE, communes)):
        units = Unit.objects.filter(unit_type__in=KIND_TYPES[kind])
        mine = delivery_by_area(2026, date(2026, 12, 7), units).total
        assert line.figure("registered") == count(mine.registered)
    assert int(agencies.figure("registered")) + int(communes.figure("registered")) == (
        total.registered
    )
    # no month of 2026 was scored in the demo: said, not shown as zeros
    assert statements["scores.grades"].text == (
        "Chưa có kết quả chấm điểm hằng tháng người đứng đầu được công bố trong năm 2026."
    )
    headings = [p.text for p in content.body if p.style == "heading2"]
    assert headings[:3] == [
        "1. Kết quả thực hiện các chỉ tiêu năm 2026",
        "2. Kết quả thực hiện sản phẩm đăng ký, chấm điểm người đứng đầu",
        "3. Kết quả thực hiện nhiệm vụ",
    ]


@pytest.mark.clock("2026-01-05T09:00")
def test_products_are_counted_as_they_stood_at_the_reports_date() -> None:
    """Registered on the day the demo was loaded: a report dated the day before has none."""
    before = _by_key(_content(Kind.YEAR, "2026", as_of=date(2026, 1, 4)))
    assert before["products.delivery"].text == (
        "Năm 2026, chưa có sản phẩm đăng ký nào được cơ quan thường trực chấp nhận."
    )


@pytest.mark.clock("2026-01-06T09:00")
def test_the_brief_states_the_grades_of_the_month_published_by_its_date() -> None:
    # The demo published September's round on 05/01/2026.
    statements = _by_key(_content(Kind.BRIEF, "2025-09", as_of=date(2026, 1, 5)))
    line = statements["brief.results"]  # the brief's one short paragraph under "changes"
    spread = grade_distribution(date(2025, 9, 1))
    assert spread is not None and spread.published
    for grade in Grade.values:
        together = sum(spread.counts[kind][grade] for kind in spread.counts)
        assert line.figure(f"grades.{grade}") == count(together)
    assert line.text.startswith(
        "Sản phẩm năm 2025: chưa có sản phẩm được chấp nhận; chấm điểm người đứng đầu tháng "
        "09/2025: "
    )
    assert line.links[-1].url == "/scoring/2025-09/"
    # A brief dated before the round was published does not know its grades.
    earlier = _by_key(_content(Kind.BRIEF, "2025-09", as_of=date(2025, 12, 31)))
    assert earlier["brief.results"].text.endswith("chưa có tháng được công bố.")


@pytest.mark.clock("2026-10-05T09:00")
def test_the_half_year_report_carries_the_results_and_the_q3_2025_report_omits_them() -> None:
    half = _content(Kind.HALF, "2026-H1")
    assert "- Sản phẩm đăng ký, kết quả chấm điểm:" in [p.text for p in half.body]
    assert {"products.delivery", "products.by_area", "scores.grades"} <= set(_by_key(half))
    quarter = _by_key(_content(Kind.QUARTERLY, "2025-Q3", as_of=date(2025, 10, 15)))
    assert not any(k.startswith(("products.", "scores.")) for k in quarter)


def test_the_migration_adds_the_sections_to_an_existing_outline() -> None:
    """An outline made before the sections existed (the year's, numbered 1–3 then the areas from
    4) gets them where the defaults have them, the later sections of part I renumbered."""
    year = Outline.objects.get(kind=Kind.YEAR)
    year.sections.filter(code="san-pham").delete()
    for section in year.sections.filter(level=2).exclude(title=""):
        number, rest = section.title.split(". ", 1)
        if int(number) > 2:
            section.title = f"{int(number) - 1}. {rest}"
            section.save()
    migration = importlib.import_module("documents.migrations.0005_outline_results_sections")
    migration.add_sections(apps, None)
    migration.add_sections(apps, None)  # twice: nothing more
    got = [(s.code, s.level, s.title) for s in year.sections.order_by("order")]
    assert got == [(d.code, d.level, d.title) for d in OUTLINES[Kind.YEAR]]
