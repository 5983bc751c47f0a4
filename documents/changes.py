"""What changed behind a kept report: every statement whose figures differ when the report is
computed again now (same kind, period, unit, date and prose; the indicator figures as stored now,
corrections approved since included), with the entries that made the difference — the status
updates, task edits, figures and corrections entered since it was generated, by whom and when —
and the draft of a correction note. `manage.py report_changes` and the report's changes page read
it."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.composer import build_content
from documents.composer.corrections import describe
from documents.content import KIND_LABELS, Kind
from documents.generation import statements_of
from documents.models import GeneratedReport, JobStatus
from documents.wording import day, decimal, period_label
from indicators.expressions import parse, references
from indicators.models import DataValue, Indicator
from reporting.models import Correction, CorrectionState
from reporting.queries import report_url
from tasks import history as task_history
from tasks.models import StatusEvent, TaskRevision
from tasks.timeliness import Status

# A list's own numbering ("(3) ", "12. ") is not a figure: points renumbered when one is added
# before them have not changed.
LEAD = re.compile(r"^(\(\d+\)|\d+\.)\s+")


@dataclass(frozen=True)
class Entry:
    """One entry made after the report was generated that its changed statements rest on."""

    kind: str  # "status", "task" (an edit of the task), "figure" or "correction"
    what: str
    by: str
    at: datetime
    reason: str = ""
    url: str = ""


@dataclass
class Change:
    key: str
    section: list[str]
    before: str | None  # as the kept report says it (None: the statement is new)
    after: str | None  # as computed now (None: it is no longer stated)
    figures_before: dict[str, str] = field(default_factory=dict)
    figures_after: dict[str, str] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)

    @property
    def figures(self) -> list[tuple[str, str, str]]:
        """The figures that differ: (name, as kept, as now); "—" for one not stated."""
        names = sorted(self.figures_before.keys() | self.figures_after.keys())
        pairs = [
            (n, self.figures_before.get(n, "—"), self.figures_after.get(n, "—")) for n in names
        ]
        return [pair for pair in pairs if pair[1] != pair[2]]

    @property
    def label(self) -> str:
        if self.before is None:
            return _("Nội dung mới")
        if self.after is None:
            return _("Không còn")
        return _("Thay đổi")


@dataclass
class ChangeReport:
    report: GeneratedReport
    checked_at: datetime
    file_intact: bool | None  # None: the report kept no checksum (made before they were kept)
    changes: list[Change]
    note: list[str]

    def as_json(self) -> dict[str, Any]:
        return {
            "report": self.report.pk,
            "version": self.report.version,
            "kind": self.report.kind,
            "period": self.report.period.code,
            "unit": self.report.unit.code,
            "as_of": self.report.as_of.isoformat(),
            "generated_at": _iso(self.report.started_at),
            "checksum": self.report.checksum,
            "file_intact": self.file_intact,
            "checked_at": _iso(self.checked_at),
            "changes": [
                {
                    **{k: v for k, v in asdict(c).items() if k != "entries"},
                    "entries": [{**asdict(e), "at": _iso(e.at)} for e in c.entries],
                }
                for c in self.changes
            ],
            "note": self.note,
        }


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _plain(statement: dict[str, Any] | None) -> tuple[str, tuple[str, ...]] | None:
    if statement is None:
        return None
    return LEAD.sub("", statement["text"]), tuple(statement["footnotes"])


def check_file(report: GeneratedReport) -> bool | None:
    """Whether the stored file still has the checksum it was made with."""
    if not report.checksum:
        return None
    digest = hashlib.sha256()
    with report.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest() == report.checksum


def report_changes(report: GeneratedReport) -> ChangeReport:
    """The statements of a kept report that differ now, with what changed them, and the draft
    correction note."""
    if report.status != JobStatus.DONE:
        raise ValidationError(_("Báo cáo chưa tạo xong nên chưa có gì để so sánh."))
    content = build_content(
        kind=Kind(report.kind), period=report.period, unit=report.unit, as_of=report.as_of,
        prose=report.prose, figures_now=True,
    )  # fmt: skip
    kept = {s["key"]: s for s in report.statements}
    now = {s["key"]: s for s in statements_of(content)}
    changes = [
        Change(
            key=key,
            section=(now.get(key) or kept[key])["section"],
            before=kept[key]["text"] if key in kept else None,
            after=now[key]["text"] if key in now else None,
            figures_before=kept.get(key, {}).get("figures", {}),
            figures_after=now.get(key, {}).get("figures", {}),
        )
        for key in [*kept, *(k for k in now if k not in kept)]
        if _plain(kept.get(key)) != _plain(now.get(key))
    ]
    _Entries(report, content.basis).attach(changes, kept, now)
    return ChangeReport(
        report=report,
        checked_at=timezone.now(),
        file_intact=check_file(report) if report.file else None,
        changes=changes,
        note=correction_note(report, changes),
    )


class _Entries:
    """The entries behind the changes, read in a few queries for them all: the tasks whose
    state and the indicators whose figure differ from the kept report's basis."""

    def __init__(self, report: GeneratedReport, basis_now: dict[str, dict[str, str]]) -> None:
        self.report = report
        self.since = report.started_at or report.requested_at
        before = report.basis or {}
        self.tasks = _differing(before.get("tasks", {}), basis_now.get("tasks", {}))
        self.indicators = _differing(before.get("indicators", {}), basis_now.get("indicators", {}))

    def attach(
        self,
        changes: list[Change],
        kept: dict[str, dict[str, Any]],
        now: dict[str, dict[str, Any]],
    ) -> None:
        wanted: dict[str, tuple[set[str], set[str], set[str]]] = {}
        for change in changes:
            sources = [s for s in (kept.get(change.key), now.get(change.key)) if s]
            tasks = {t for s in sources for t in s.get("tasks", [])} & self.tasks
            indicators = {i for s in sources for i in s.get("indicators", [])} & self.indicators
            stated = {e for s in sources for e in s.get("elements", [])}
            wanted[change.key] = (tasks, indicators, stated)
        all_tasks = set().union(*(t for t, _i, _e in wanted.values()))
        elements = _elements(set().union(*(i for _t, i, _e in wanted.values())))
        all_elements = set().union(*elements.values(), *(e for _t, _i, e in wanted.values()))
        by_task = self._status_entries(all_tasks)
        for code, edits in self._revision_entries(all_tasks).items():
            by_task.setdefault(code, []).extend(edits)
        by_element = self._figure_entries(all_elements)
        for change in changes:
            tasks, indicators, stated = wanted[change.key]
            entries = [e for t in sorted(tasks) for e in by_task.get(t, [])]
            codes = stated | {code for i in indicators for code in elements.get(i, set())}
            entries += [e for code in sorted(codes) for e in by_element.get(code, [])]
            change.entries = sorted(set(entries), key=lambda e: (e.at, e.what))

    def _corrections(self, tasks: set[str], elements: set[str]) -> list[Correction]:
        if not tasks and not elements:
            return []
        return list(
            Correction.objects.filter(
                Q(assignment__task__code__in=tasks) | Q(element__code__in=elements),
                state=CorrectionState.APPROVED,
                decided_at__gt=self.since,
                unit__path__startswith=self.report.unit.path,
            ).select_related(
                "unit", "period", "assignment__task", "element", "requested_by", "decided_by"
            )
        )

    def _status_entries(self, tasks: set[str]) -> dict[str, list[Entry]]:
        """The status updates entered since, dated up to the report's date, of its units."""
        if not tasks:
            return {}
        events = StatusEvent.objects.filter(
            assignment__task__code__in=tasks,
            assignment__unit__path__startswith=self.report.unit.path,
            effective_date__lte=self.report.as_of,
            entered_at__gt=self.since,
        ).select_related("assignment__task", "assignment__unit", "entered_by")
        corrections = {
            (c.assignment_id, c.effective_date, c.status): c
            for c in self._corrections(tasks, set())
        }
        found: dict[str, list[Entry]] = defaultdict(list)
        for event in events.order_by("entered_at", "id"):
            key = (event.assignment_id, event.effective_date, event.status)
            correction = corrections.get(key)
            entry = _correction_entry(correction) if correction else _status_entry(event)
            found[event.assignment.task.code].append(entry)
        return found

    def _revision_entries(self, tasks: set[str]) -> dict[str, list[Entry]]:
        """The task edits recorded since that apply on or before the report's date (an edit
        applying later leaves the report as it was): a deadline, year or source corrected
        for the past."""
        if not tasks:
            return {}
        revisions = list(
            TaskRevision.objects.filter(
                task__code__in=tasks,
                effective_on__lte=self.report.as_of,
                recorded_at__gt=self.since,
            )
            .select_related("task", "recorded_by")
            .order_by("recorded_at", "id")
        )
        words = task_history.described(revisions)
        found: dict[str, list[Entry]] = defaultdict(list)
        for revision in revisions:
            changes = words[revision.pk]
            changed = "; ".join(f"{c.label} từ {c.before} thành {c.after}" for c in changes)
            what = (
                f"Nhiệm vụ “{revision.task.title.rstrip('. ')}”: {changed} "
                f"(áp dụng từ ngày {day(revision.effective_on)})"
            )
            who = _person(revision.recorded_by)
            found[revision.task.code].append(
                Entry("task", what, who, revision.recorded_at, revision.reason)
            )
        return found

    def _figure_entries(self, elements: set[str]) -> dict[str, list[Entry]]:
        """The figures entered or changed since, of the report's units, for periods inside the
        report's (each with the figure it replaced)."""
        if not elements:
            return {}
        period = self.report.period
        history = DataValue.history.model.objects  # type: ignore[attr-defined]
        scope = history.filter(
            element__code__in=elements,
            unit__path__startswith=self.report.unit.path,
            period__starts_on__gte=period.starts_on,
            period__ends_on__lte=period.ends_on,
        )
        changed = scope.filter(history_date__gt=self.since).values("id")
        rows = (
            scope.filter(id__in=changed)
            .select_related("unit", "period", "element", "history_user")
            .order_by("id", "history_date", "history_id")
        )
        corrections = {
            (c.unit_id, c.period_id, c.element_id): c for c in self._corrections(set(), elements)
        }
        found: dict[str, list[Entry]] = defaultdict(list)
        previous: dict[int, Decimal | None] = {}
        for row in rows:
            before = previous.get(row.id)
            previous[row.id] = row.value
            if row.history_date <= self.since:
                continue
            correction = corrections.get((row.unit_id, row.period_id, row.element_id))
            entry = _correction_entry(correction) if correction else _figure_entry(row, before)
            found[row.element.code].append(entry)
        return found


def _differing(before: dict[str, str], now: dict[str, str]) -> set[str]:
    return {code for code in before.keys() | now.keys() if before.get(code) != now.get(code)}


def _elements(indicators: Iterable[str]) -> dict[str, set[str]]:
    """Each indicator's data elements, from its formula."""
    rows = Indicator.objects.filter(code__in=list(indicators)).values_list("code", "formula")
    return {code: references(parse(formula)) for code, formula in rows}


def _person(user: Any) -> str:
    return (user.full_name or user.username) if user is not None else "—"


def _status_label(status: str, progress: int) -> str:
    if not status:
        return "chưa cập nhật"
    label = str(Status(status).label)
    return f"{label} ({progress}%)" if status == Status.IN_PROGRESS else label


def _status_entry(event: StatusEvent) -> Entry:
    task, unit = event.assignment.task, event.assignment.unit
    before = _status_label(event.previous_status, 0) if event.previous_status else "chưa cập nhật"
    what = (
        f"{unit.name}: nhiệm vụ “{task.title.rstrip('. ')}” từ “{before}” thành "
        f"“{_status_label(event.status, event.progress)}” (ngày {day(event.effective_date)})"
    )
    return Entry("status", what, _person(event.entered_by), event.entered_at, event.reason)


def _figure_entry(row: Any, before: Decimal | None) -> Entry:
    old = "chưa có" if before is None else decimal(before)
    new = "đã xóa" if row.history_type == "-" or row.value is None else decimal(row.value)
    what = f"{row.unit.name}, {row.period.title}: số liệu “{row.element.name}” từ {old} thành {new}"
    return Entry("figure", what, _person(row.history_user), row.history_date)


def _correction_entry(correction: Correction) -> Entry:
    """An approved correction: what it changed, asked by whom, approved by whom and when."""
    requested = _person(correction.requested_by)
    decided = _person(correction.decided_by)
    who = decided if requested == decided else f"{requested} đề nghị, {decided} duyệt"
    assert correction.decided_at is not None
    return Entry(
        "correction",
        f"Điều chỉnh của {correction.unit.name}, {correction.period.title}: {describe(correction)}",
        who,
        correction.decided_at,
        correction.reason.strip(),
        report_url(correction.period.code, correction.unit.code),
    )


def _where(section: list[str]) -> str:
    """ "Tại mục “1. Về công tác chỉ đạo, điều hành”, “a) Thống kê số nhiệm vụ”, “Kết quả đạt
    được”" (the part's own heading left out, as a reader names a place in a report)."""
    names = [h.strip(" -:") for h in (section[1:] or section)]
    if not names:
        return "Tại phần đầu báo cáo"
    return "Tại mục " + ", ".join(f"“{name}”" for name in names)


def correction_note(report: GeneratedReport, changes: list[Change]) -> list[str]:
    """The draft of the note correcting a report already sent: what it said, what it says now,
    and why (the corrections' reasons), statement by statement."""
    if not changes:
        return []
    label = KIND_LABELS[Kind(report.kind)]
    made = day(timezone.localdate(report.started_at)) if report.started_at else "—"
    lines = [
        "ĐÍNH CHÍNH SỐ LIỆU",
        f"{label} {period_label(report.period)} (bản số {report.version}, tạo ngày {made}, số "
        f"liệu tính đến ngày {day(report.as_of)}) có {len(changes):02d} nội dung có số liệu thay "
        "đổi sau khi báo cáo được tạo, nay điều chỉnh như sau:",
    ]
    for n, change in enumerate(changes, start=1):
        where = _where(change.section)
        if change.before is None:
            text = f"{where}, bổ sung: “{change.after}”"
        elif change.after is None:
            text = f"{where}, bỏ nội dung: “{change.before}”"
        else:
            text = f"{where}: “{change.before}” nay là “{change.after}”"
        reasons = sorted({e.reason for e in change.entries if e.kind == "correction" and e.reason})
        if reasons:
            text += f"; lý do: {'; '.join(r.rstrip('.') for r in reasons)}"
        lines.append(f"{n}. {text}.")
    lines.append("Các nội dung khác của báo cáo giữ nguyên.")
    return lines
