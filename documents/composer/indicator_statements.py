"""The statements about indicators: the sets' achievement and each indicator's value against
its target."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _  # link labels are UI, shown on the page

from documents.composer.facts import ReportFacts
from documents.composer.links import indicator_list_url
from documents.composer.paragraphs import paragraph
from documents.content import Link, Paragraph
from documents.wording import decimal, percent, ratio, share
from indicators.queries import IndicatorResult


def achievement(facts: ReportFacts) -> list[Paragraph]:
    """ "Tính đến hết …, đã đạt và vượt 39/65 chỉ tiêu giai đoạn 2025–2045 (60%); đạt và vượt
    29/45 chỉ tiêu năm 2025 (64%).": one clause per set covering the period's year."""
    clauses = []
    for indicator_set in facts.achievement_sets:
        met, size = facts.overview.achievement[indicator_set.code]
        clauses.append(
            f"{ratio(met, size)} chỉ tiêu {indicator_set.name} ({share(met, size, places=0)})"
        )
    if not clauses:
        return []
    text = f"- Tính đến hết {facts.label}, đã đạt và vượt " + "; đạt và vượt ".join(clauses) + "."
    link = Link(_("Chỉ tiêu"), indicator_list_url(facts.period, facts.unit, facts.figures_as_of))
    return [paragraph(text, "item", key="indicators.achievement", links=(link,))]


def _indicator_text(facts: ReportFacts, result: IndicatorResult, value: Decimal) -> str:
    """ "Tỷ lệ …: 181.580/207.954 đảng viên (đạt 87,3%); mục tiêu: 85%, đã đạt." (`value`: the
    result's, only results with one are written)."""
    label = result.indicator.unit_label.replace("_", " ")
    if result.has_ratio and result.numerator is not None and result.denominator is not None:
        counted = facts.quantity_labels.get(result.code, "")
        figure = f"{decimal(result.numerator)}/{decimal(result.denominator)}"
        figure += f" {counted}" if counted else ""
        figure += f" (đạt {percent(value)})"
    else:
        figure = _quantity(value, label)
    text = f"{result.indicator.name}: {figure}"
    if result.target is not None:
        verdict = "đã đạt" if result.achieved == "met" else "chưa đạt"
        text += f"; mục tiêu: {_quantity(result.target, label)}, {verdict}"
    return text + "."


def _quantity(value: Decimal, label: str) -> str:
    if label == "%":
        return f"{decimal(value)}%"
    return f"{decimal(value)} {label}".strip()


def indicator_lines(facts: ReportFacts, results: Iterable[IndicatorResult]) -> list[Paragraph]:
    return [
        paragraph(
            "- " + _indicator_text(facts, r, r.value),
            "item",
            key=f"indicator.{r.code}",
            links=(facts.indicator_link(r),),
        )
        for r in results
        if r.value is not None
    ]
