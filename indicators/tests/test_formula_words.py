"""A formula as an officer reads it: element names for codes, brackets only where the order of
operations needs them, functions in words; the detail page shows it so and no code."""

from __future__ import annotations

import pytest

from indicators.expressions import describe, parse
from indicators.models import DataElement, Indicator
from indicators.tests.test_views import figures, get, q3  # noqa: F401  (fixtures)
from org.tests.conftest import People

NAMES = {
    "XA_HS_TT": "Số hồ sơ trực tuyến",
    "XA_HS_TTIEP": "Số hồ sơ tiếp nhận",
    "A": "A",
    "B": "B",
    "C": "C",
}


@pytest.mark.parametrize(
    ("formula", "words"),
    [
        (
            "ratio(XA_HS_TT, XA_HS_TT + XA_HS_TTIEP)",
            "Tỷ lệ: Số hồ sơ trực tuyến / (Số hồ sơ trực tuyến + Số hồ sơ tiếp nhận)",
        ),
        ("ratio(A + B, C)", "Tỷ lệ: (A + B) / C"),
        ("A - (B + C)", "A − (B + C)"),
        ("A - B + C", "A − B + C"),
        ("A + (B + C)", "A + B + C"),
        ("(A + B) * C", "(A + B) × C"),
        ("A / (B * C)", "A / (B × C)"),
        ("A * 0.5", "A × 0,5"),
        ("-(A + B)", "−(A + B)"),
        ("sum(A, B)", "A + B"),
        ("sum(A, B) * 2", "(A + B) × 2"),
        ("latest(A)", "A (giá trị mới nhất)"),
        ("count_units(A >= 1)", "số đơn vị có A từ 1 trở lên"),
        ("count_units(A > 0) + B", "số đơn vị có A lớn hơn 0 + B"),
        ("A + ratio(B, C)", "A + tỷ lệ (B / C)"),
        ("UNKNOWN", "UNKNOWN"),  # a code without a name is shown as it is
    ],
)
def test_formulas_read_in_words(formula: str, words: str) -> None:
    assert describe(parse(formula), NAMES) == words


@pytest.mark.django_db
def test_the_detail_page_reads_the_formula_with_names(
    people: People,
    figures: Indicator,  # noqa: F811  (fixtures)
) -> None:
    DataElement.objects.filter(code="DV_THE").update(name="Đảng viên được cấp thẻ mới")
    DataElement.objects.filter(code="DV_TONG").update(name="Tổng số đảng viên")
    status, content = get(people.standing, "detail", "TL_THE", period="2025-Q3", unit="P")
    assert status == 200
    assert 'data-testid="formula">Tỷ lệ: Đảng viên được cấp thẻ mới / Tổng số đảng viên<' in content
    assert "ratio(" not in content and "<code" not in content  # codes only in the setup pages
