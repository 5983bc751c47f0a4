"""“Điều chỉnh số liệu kỳ trước”: the corrections the standing office approved during the period
for earlier, sealed periods (reporting.corrections), counted and stated in the next report so a
figure sent earlier never changes silently."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet

from documents.composer.facts import ReportFacts
from documents.composer.paragraphs import paragraph
from documents.content import Paragraph
from documents.wording import count, day, decimal
from reporting.models import Correction, CorrectionState
from tasks.timeliness import Status


def approved_between(unit_path: str, start: date, end: date) -> QuerySet[Correction]:
    """The approved corrections of the units under `unit_path` decided from `start` to `end`
    (days, local time), oldest first."""
    return (
        Correction.objects.filter(
            state=CorrectionState.APPROVED,
            unit__path__startswith=unit_path,
            decided_at__date__gte=start,
            decided_at__date__lte=end,
        )
        .select_related("unit", "period", "assignment__task", "element", "decided_by")
        .order_by("decided_at", "id")
    )


def _status(state: dict[str, Any] | None) -> str:
    """ "Đang thực hiện (90%)", "Đã hoàn thành"; "chưa cập nhật" when there was none."""
    if not state:
        return "chưa cập nhật"
    label = str(Status(state["status"]).label)
    if state["status"] == Status.IN_PROGRESS:
        label += f" ({state['progress']}%)"
    return label


def _figure(state: dict[str, Any] | None) -> str:
    raw = (state or {}).get("value")
    try:
        return "chưa có" if raw is None else decimal(Decimal(raw))
    except InvalidOperation:
        return str(raw)


def describe(correction: Correction) -> str:
    """What a correction changed, in a sentence's middle: 'nhiệm vụ “…” từ “Đã hoàn thành”
    thành “Đang thực hiện (90%)” (ngày 30/09/2025)' or 'số liệu “…” từ 1.382 thành 1.400'."""
    if correction.assignment is not None:
        on = f" (ngày {day(correction.effective_date)})" if correction.effective_date else ""
        title = correction.assignment.task.title.rstrip(". ")
        before, after = _status(correction.before), _status(correction.after)
        return f"nhiệm vụ “{title}” từ “{before}” thành “{after}”{on}"
    assert correction.element is not None
    before, after = _figure(correction.before), _figure(correction.after)
    return f"số liệu “{correction.element.name}” từ {before} thành {after}"


def previous_periods(facts: ReportFacts) -> list[Paragraph]:
    """The corrections approved in the period (up to the report's date) for periods that ended
    before it, with what changed and why; nothing when there were none."""
    period = facts.period
    corrections = [
        c
        for c in approved_between(facts.unit.path, period.starts_on, facts.end)
        if c.period.ends_on < period.starts_on
    ]
    if not corrections:
        return []
    tasks = {c.assignment.task.code for c in corrections if c.assignment is not None}
    head = paragraph(
        f"Điều chỉnh số liệu kỳ trước: trong {facts.label} đã phê duyệt "
        f"{count(len(corrections))} điều chỉnh số liệu của các kỳ đã báo cáo:",
        key="corrections.previous",
        figures={"count": count(len(corrections))},
        tasks=tasks,
    )
    items = [
        paragraph(
            f"- {c.unit.name}, {c.period.title}: {describe(c)}; lý do: "
            f"{c.reason.strip().rstrip('.')}.",
            "item",
            key=f"corrections.previous.{c.pk}",
            tasks={c.assignment.task.code} if c.assignment is not None else (),
        )
        for c in corrections
    ]
    return [head, *items]
