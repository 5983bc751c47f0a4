"""The statements about indicators: the sets' achievement and each indicator's value against
its target, worded as a person writes them: a rank "đứng thứ 4", a yes-or-no indicator "đã
thực hiện", money in "tỷ đồng", millions as "3,71 triệu"."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _  # link labels are UI, shown on the page

from documents.composer.facts import ReportFacts
from documents.composer.links import indicator_list_url
from documents.composer.paragraphs import paragraph
from documents.content import Link, Paragraph
from documents.wording import count, decimal, number, percent, ratio, share
from indicators.models import Direction
from indicators.queries import IndicatorResult

RANK = "hạng"
MONEY = "đồng"
MILLION, BILLION = Decimal(10) ** 6, Decimal(10) ** 9


def achievement(facts: ReportFacts) -> list[Paragraph]:
    """ "Tính đến hết …, đã đạt và vượt 39/65 chỉ tiêu giai đoạn 2025–2045 (60%); đạt và vượt
    29/45 chỉ tiêu năm 2025 (64%).": one clause per set covering the period's year."""
    if facts.indicator_period is None and facts.achievement_sets:
        return [no_figures(facts)]
    clauses: list[str] = []
    figures: dict[str, str] = {}
    for indicator_set in facts.achievement_sets:
        met, size = facts.overview.achievement[indicator_set.code]
        rate = share(met, size, places=0)
        clauses.append(f"{ratio(met, size)} chỉ tiêu {indicator_set.name} ({rate})")
        code = indicator_set.code
        figures |= {f"met_{code}": count(met), f"size_{code}": count(size), f"share_{code}": rate}
    if not clauses:
        return []
    text = f"- Tính đến hết {facts.label}, đã đạt và vượt " + "; đạt và vượt ".join(clauses) + "."
    link = Link(_("Chỉ tiêu"), indicator_list_url(facts.period, facts.unit, facts.figures_as_of))
    codes = {r.code for r in facts.indicators}
    return [
        paragraph(
            text,
            "item",
            key="indicators.achievement",
            links=(link,),
            figures=figures,
            indicators=codes,
        )
    ]


def no_figures(facts: ReportFacts) -> Paragraph:
    """What a report says when no figures were entered yet for any period inside its own."""
    return paragraph(f"Chưa có số liệu chỉ tiêu {facts.label}.", key="indicators.none")


def is_yes_no(result: IndicatorResult) -> bool:
    """An indicator that is done or not (a plan issued, a centre in operation): no unit, its
    target and value 0 or 1."""
    label = result.indicator.unit_label.strip("_ ")
    values = {result.value, result.target} - {None}
    return not label and bool(values) and values <= {Decimal(0), Decimal(1)}


def quantity(value: Decimal, label: str) -> str:
    """A figure with its unit as a person writes it: "87,3%", "50 Mbps", "3,71 triệu bản ghi",
    "1.250,5 tỷ đồng"."""
    label = label.replace("_", " ").strip()
    if label == "%":
        return f"{decimal(value)}%"
    if label == MONEY and abs(value) >= BILLION:
        return f"{_short(value / BILLION)} tỷ đồng"
    if label == MONEY and abs(value) >= MILLION:
        return f"{_short(value / MILLION)} triệu đồng"
    if abs(value) >= MILLION:
        return f"{_short(value / MILLION)} triệu {label}".strip()
    return f"{decimal(value)} {label}".strip()


def _short(value: Decimal) -> str:
    """Up to two decimals, trailing zeros dropped: 3,712 → "3,71", 2 → "2"."""
    return number(value, 2).rstrip("0").rstrip(",")


def _rank_target(result: IndicatorResult) -> str:
    """A rank's target: "trong nhóm 05 địa phương dẫn đầu" (lower is better), else the rank."""
    assert result.target is not None
    if result.indicator.direction == Direction.LOWER:
        return f"trong nhóm {count(int(result.target))} địa phương dẫn đầu"
    return f"đứng thứ {decimal(result.target)}"


def _figure(facts: ReportFacts, result: IndicatorResult, value: Decimal) -> str:
    label = result.indicator.unit_label.replace("_", " ").strip()
    if label == RANK:
        return f"đứng thứ {decimal(value)}"
    if is_yes_no(result):
        return "đã thực hiện" if value >= 1 else "chưa thực hiện"
    if result.has_ratio and result.numerator is not None and result.denominator is not None:
        counted = facts.quantity_labels.get(result.code, "")
        figure = f"{decimal(result.numerator)}/{decimal(result.denominator)}"
        figure += f" {counted}" if counted else ""
        return figure + f" (đạt {percent(value)})"
    return quantity(value, label)


def _target(result: IndicatorResult) -> str:
    """ "; mục tiêu: 85%, đã đạt" ("" without a target)."""
    if result.target is None:
        return ""
    verdict = "đã đạt" if result.achieved == "met" else "chưa đạt"
    label = result.indicator.unit_label.replace("_", " ").strip()
    if label == RANK:
        return f"; mục tiêu: {_rank_target(result)}, {verdict}"
    if is_yes_no(result):
        return f", {verdict} mục tiêu"
    return f"; mục tiêu: {quantity(result.target, label)}, {verdict}"


def indicator_text(facts: ReportFacts, result: IndicatorResult, value: Decimal) -> str:
    """ "Tỷ lệ …: 181.580/207.954 đảng viên (đạt 87,3%); mục tiêu: 85%, đã đạt." (`value`: the
    result's, only results with one are written)."""
    return f"{result.indicator.name}: {_figure(facts, result, value)}{_target(result)}."


def figures_of(result: IndicatorResult, value: Decimal) -> dict[str, str]:
    """The figures a prose may write: the value ("87,3%", "4", "205"), with its unit
    ("205 thủ tục"), a percentage rounded ("87%") or to two decimals ("75,58%"), the target, a
    ratio's parts and what the numerator leaves of the denominator ("56.014" of 229.413 dossiers
    filed on paper)."""
    label = result.indicator.unit_label.replace("_", " ").strip()
    written = decimal(value)
    if label == "%":  # a ratio's share with one decimal, as its sentence; an entered one as is
        written = percent(value) if result.has_ratio else f"{written}%"
    figures = {"value": written, "quantity": quantity(value, label)}
    if label == "%":
        figures |= {"rounded": percent(value, places=0), "precise": percent(value, places=2)}
    if result.target is not None:
        figures["target"] = quantity(result.target, label)
    if result.numerator is not None and result.denominator is not None:
        figures |= {
            "numerator": decimal(result.numerator),
            "denominator": decimal(result.denominator),
            "remainder": decimal(result.denominator - result.numerator),
        }
    return figures


def indicator_lines(facts: ReportFacts, results: Iterable[IndicatorResult]) -> list[Paragraph]:
    return [
        paragraph(
            "- " + indicator_text(facts, r, r.value),
            "item",
            key=f"indicator.{r.code}",
            links=(facts.indicator_link(r),),
            figures=figures_of(r, r.value),
            indicators=(r.code,),
        )
        for r in results
        if r.value is not None
    ]
