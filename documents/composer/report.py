"""A report's content as a whole: its title, its subject line, and the body of its kind (the
province's kinds from their outline and the standing office's prose, a unit's own report from
its own module)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from documents import queries
from documents.composer.facts import ReportFacts
from documents.composer.outline import Composition, compose
from documents.composer.programmes import RESOLUTION
from documents.composer.unit_report import unit_report
from documents.content import KIND_LABELS, Kind, ReportContent
from documents.wording import capitalized, next_span, period_label, span_label
from org.models import Unit
from periods.models import Period

TITLE = "BÁO CÁO"


def facts_for(
    kind: Kind, period: Period, unit: Unit, as_of: date | None = None, *, figures_now: bool = False
) -> ReportFacts:
    return ReportFacts(kind, period, unit, as_of or period.ends_on, figures_now=figures_now)


def composition(facts: ReportFacts, prose: Mapping[str, str] | None = None) -> Composition:
    """The report of one of the province's kinds from its outline; `prose` None: the prose
    stored for it (documents.models.SectionText)."""
    sections = queries.outline_sections(facts.kind)
    if not sections:
        message = _("Chưa có dàn ý cho “%(kind)s”.") % {"kind": KIND_LABELS[facts.kind]}
        raise ValidationError(message)
    if prose is None:
        prose = queries.stored_prose(facts.kind, facts.period, facts.unit)
    return compose(facts, sections, prose)


def build_content(
    *,
    kind: Kind,
    period: Period,
    unit: Unit,
    as_of: date | None = None,
    prose: Mapping[str, str] | None = None,
    figures_now: bool = False,
) -> ReportContent:
    """The report of `kind` for `unit` and `period`, its figures as of `as_of` (default: the
    period's last day), written with `prose` (None: the prose stored for it; {}: none, the
    computed blocks only). `figures_now` reads the indicator figures as stored now (what a kept
    report is compared with)."""
    facts = facts_for(kind, period, unit, as_of, figures_now=figures_now)
    used: dict[str, str] = {}
    warnings: list[str] = []
    if kind is Kind.UNIT:
        body = unit_report(facts)
    else:
        composed = composition(facts, prose)
        body, warnings = composed.body(), composed.warnings
        used = {c.section.code: c.prose for c in composed.sections if c.prose}
    return ReportContent(
        kind=kind,
        period=period,
        unit=unit,
        as_of=facts.as_of,
        title=TITLE,
        subject=_subject(kind, period, unit),
        body=body,
        basis=_basis(facts),
        prose=used,
        warnings=warnings,
        compact=kind is Kind.BRIEF,
    )


def _basis(facts: ReportFacts) -> dict[str, dict[str, str]]:
    """Each counted task's state (with "*" when at risk) and each indicator's figure: what the
    statements were computed from, kept with the report (documents.changes)."""
    tasks = {
        facts.tasks[task_id].code: verdict.timeliness.value + ("*" if verdict.at_risk else "")
        for task_id, verdict in facts.stats.verdicts.items()
        if task_id in facts.tasks
    }
    indicators = {
        r.code: format(r.value.normalize(), "f") for r in facts.indicators if r.value is not None
    }
    return {"tasks": tasks, "indicators": indicators}


def _subject(kind: Kind, period: Period, unit: Unit) -> str:
    label = period_label(period)
    if kind in (Kind.QUARTERLY, Kind.HALF, Kind.NINE_MONTHS):
        return (
            f"tình hình thực hiện {RESOLUTION}\n{capitalized(label)} và nhiệm vụ, giải pháp "
            f"trọng tâm {_ahead(period)}"
        )
    if kind is Kind.YEAR:
        year = period.ends_on.year
        return (
            f"tổng kết năm {year} thực hiện {RESOLUTION}\nvà phương hướng, nhiệm vụ năm {year + 1}"
        )
    if kind is Kind.MONTHLY:
        return f"tóm tắt tình hình thực hiện {RESOLUTION} {label}"
    if kind is Kind.BRIEF:
        return f"tình hình thực hiện {RESOLUTION}\nphục vụ phiên họp Ban Chỉ đạo tỉnh {label}"
    return f"kết quả thực hiện {RESOLUTION} của {unit.name} {label}"


def _ahead(period: Period) -> str:
    """What the next steps cover: the rest of the year after Q3 or nine months, the second
    half after the first, next year after Q4, else the next period."""
    start, end = next_span(period)
    label = span_label(start, end)
    if start.year > period.ends_on.year:
        return f"năm {start.year}"
    if label.startswith("6 tháng"):
        return label
    if end.month == 12 and start.month > 6:
        return f"cuối năm {start.year}"
    return capitalized(label)
