"""A report's content as a whole: its title, its subject line, and the body of its kind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from documents.composer.facts import ReportFacts
from documents.composer.monthly import monthly
from documents.composer.programmes import RESOLUTION
from documents.composer.quarterly import quarterly
from documents.composer.unit_report import unit_report
from documents.content import Kind, Paragraph, ReportContent
from documents.wording import capitalized, next_span, period_label, span_label
from org.models import Unit
from periods.models import Period

TITLE = "BÁO CÁO"
BODIES: dict[Kind, Callable[[ReportFacts], list[Paragraph]]] = {
    Kind.QUARTERLY: quarterly,
    Kind.MONTHLY: monthly,
    Kind.UNIT: unit_report,
}


def build_content(
    *, kind: Kind, period: Period, unit: Unit, as_of: date | None = None
) -> ReportContent:
    """The report of `kind` for `unit` and `period`, its figures as of `as_of` (default: the
    period's last day)."""
    facts = ReportFacts(kind, period, unit, as_of or period.ends_on)
    return ReportContent(
        kind=kind,
        period=period,
        unit=unit,
        as_of=facts.as_of,
        title=TITLE,
        subject=_subject(kind, period, unit),
        body=BODIES[kind](facts),
    )


def _subject(kind: Kind, period: Period, unit: Unit) -> str:
    label = period_label(period)
    if kind is Kind.QUARTERLY:
        return (
            f"tình hình thực hiện {RESOLUTION}\n{capitalized(label)} và nhiệm vụ, giải pháp "
            f"trọng tâm {_ahead(period)}"
        )
    if kind is Kind.MONTHLY:
        return f"tóm tắt tình hình thực hiện {RESOLUTION} {label}"
    return f"kết quả thực hiện {RESOLUTION} của {unit.name} {label}"


def _ahead(period: Period) -> str:
    """What the next steps cover: the rest of the year after Q3, next year after Q4, else the
    next period."""
    start, end = next_span(period)
    if start.year > period.ends_on.year:
        return f"năm {start.year}"
    if end.month == 12 and start.month > 6:
        return f"cuối năm {start.year}"
    return capitalized(span_label(start, end))
