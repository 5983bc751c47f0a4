"""Blocks of the one-page brief for a Steering Committee meeting: the tasks late or at risk with
their progress over the last months, what changed since the last meeting (the previous brief's
date), and the proposals the units made in the period. Each list is short: the page is one."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext as _  # link labels are UI, shown on the page

from documents.composer.corrections import approved_between
from documents.composer.facts import ReportFacts
from documents.composer.paragraphs import paragraph
from documents.composer.proposals import Followed, followed_proposals, provincial, to_central
from documents.composer.task_statements import LATE_LABELS
from documents.content import Kind, Link, Paragraph
from documents.models import FollowUpState, GeneratedReport, JobStatus
from documents.wording import add_months, count, day, joined
from reporting.models import SectionKind
from tasks.models import StatusEvent, Task
from tasks.timeliness import Status

# How many late or at-risk tasks and proposals the page names (the annex lists every task).
SHOWN = 4
PROPOSALS_SHOWN = 3
CHANGES_SHOWN = 2
# A proposal not yet settled: the brief lists them for the committee.
OPEN_STATES = frozenset({FollowUpState.OPEN, FollowUpState.HANDLING})


def _checkpoints(as_of: date) -> list[date]:
    """The ends of the two months before the report's month, and its date: the trajectory."""
    first = as_of.replace(day=1)
    return [add_months(first, -1) - timedelta(days=1), first - timedelta(days=1), as_of]


class Trajectory:
    """Each listed task's progress at the checkpoints, from one read of its assignees' events:
    a task of one unit by its progress (completed: 100%), a task of several by how many of
    them had completed it ("129/130")."""

    def __init__(self, facts: ReportFacts, tasks: list[Task]) -> None:
        self.points = _checkpoints(facts.as_of)
        events = StatusEvent.objects.filter(
            assignment__task__in=tasks,
            assignment__unit__path__startswith=facts.unit.path,
            effective_date__lte=facts.as_of,
        ).order_by("effective_date", "id")
        self.events: dict[int, dict[int, list[StatusEvent]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for event in events.select_related("assignment").only(
            "status", "progress", "effective_date", "assignment__task_id", "assignment__id"
        ):
            self.events[event.assignment.task_id][event.assignment_id].append(event)

    def of(self, task: Task) -> str:
        """ "20% → 35% → 40%", or "128/130 → 129/130 → 129/130" for a task of many units."""
        return " → ".join(self._at(task, point) for point in self.points)

    def _at(self, task: Task, point: date) -> str:
        latest = [
            seen[-1]
            for events in self.events[task.pk].values()
            if (seen := [e for e in events if e.effective_date <= point])
        ]
        if len(self.events[task.pk]) > 1:
            done = sum(1 for e in latest if e.status == Status.COMPLETED)
            return f"{done}/{len(self.events[task.pk])}"
        progress = [100 if e.status == Status.COMPLETED else e.progress for e in latest]
        return f"{progress[0] if progress else 0}%"


def red(facts: ReportFacts) -> list[Paragraph]:
    """The tasks not on time, then those at risk, the most overdue first, with their progress
    over the last three month ends."""
    late = list(facts.stats.items["not_on_time"])
    risky = [t for t in facts.stats.items["at_risk"] if t not in late]
    text = (
        f"Có {count(len(late))} nhiệm vụ chưa thực hiện trong hạn và {count(len(risky))} nhiệm "
        "vụ có nguy cơ chậm tiến độ"
    )
    chosen = [facts.tasks[t] for t in (late + risky)[:SHOWN]]
    path = Trajectory(facts, chosen) if chosen else None
    if path is not None:
        points = ", ".join(day(p)[:5] for p in path.points)
        text += f"; tiến độ tại các ngày {points}"
    if len(late) + len(risky) > SHOWN:
        text += f"; {count(SHOWN)} nhiệm vụ cần xử lý trước (danh sách đầy đủ tại Phụ lục 1)"
    links = (
        facts.task_link(_("Chưa thực hiện trong hạn"), "not_on_time"),
        facts.task_link(_("Có nguy cơ chậm"), "at_risk"),
    )
    head = paragraph(
        text + (":" if chosen else "."), key="brief.red", links=links,
        figures={"late": count(len(late)), "at_risk": count(len(risky))},
        tasks=facts.codes(late + risky),
    )  # fmt: skip
    if path is None:
        return [head]
    items = [head]
    for task in chosen:
        verdict = facts.stats.verdicts[task.pk]
        state = LATE_LABELS.get(verdict.timeliness, "có nguy cơ chậm")
        due = f", hạn {day(task.deadline)}" if task.deadline else ""
        items.append(
            paragraph(
                f"- {task.title.rstrip('. ')} ({task.lead_unit.name}{due}): {state}; "
                f"{path.of(task)}.",
                "item",
                key=f"brief.red.{task.code}",
                links=(facts.detail_link(task),),
                tasks=(task.code,),
            )
        )
    return items


class _Since:
    def __init__(self, facts: ReportFacts) -> None:
        self.facts = facts

    @cached_property
    def day(self) -> date:
        """The last meeting: the date of the data of the previous brief made before this one,
        else the eve of the period."""
        previous = (
            GeneratedReport.objects.filter(
                kind=Kind.BRIEF,
                unit=self.facts.unit,
                status=JobStatus.DONE,
                as_of__lt=self.facts.as_of,
            )
            .order_by("-as_of")
            .values_list("as_of", flat=True)
            .first()
        )
        return previous or self.facts.period.starts_on - timedelta(days=1)


def changes(facts: ReportFacts) -> list[Paragraph]:
    """Tasks completed and tasks fallen late since the last meeting, corrections approved."""
    since = _Since(facts).day
    now = facts.stats.items
    done_before = set(facts.stats_on(since, now["completed"]).items["completed"])
    completed = [t for t in now["completed"] if t not in done_before]
    late_before = set(facts.stats_on(since, now["not_on_time"]).items["not_on_time"])
    late = [t for t in now["not_on_time"] if t not in late_before]
    corrections = approved_between(facts.unit.path, since + timedelta(days=1), facts.as_of)
    corrected = len(corrections)
    text = (
        f"Từ phiên họp trước (số liệu ngày {day(since)}) đến ngày {day(facts.as_of)}: hoàn thành "
        f"thêm {count(len(completed))} nhiệm vụ; {count(len(late))} nhiệm vụ chuyển sang chưa "
        f"thực hiện trong hạn; {count(corrected)} điều chỉnh số liệu kỳ trước được phê duyệt."
    )
    figures = {
        "completed": count(len(completed)),
        "late": count(len(late)),
        "corrections": count(corrected),
    }
    body = [
        paragraph(text, key="brief.changes", figures=figures, tasks=facts.codes(completed + late))
    ]
    for task_id in late[:CHANGES_SHOWN]:
        task = facts.tasks[task_id]
        body.append(
            paragraph(
                f"- Chuyển sang chưa thực hiện trong hạn: {task.title.rstrip('. ')}.",
                "item",
                key=f"brief.changes.{task.code}",
                links=(facts.detail_link(task),),
                tasks=(task.code,),
            )
        )
    return body


def proposals(facts: ReportFacts) -> list[Paragraph]:
    """The period's proposals (how many address central bodies, how many the province's own)
    and how many proposals to the province's own bodies, from every period, are still open at
    the brief's date (the follow-up list: documents.composer.proposals.followed_proposals),
    then the most raised of those, each with who handles it. One paragraph and a few items:
    the page is one."""
    said = [s for s in facts.sections if s.kind == SectionKind.PROPOSALS]
    still = followed_proposals(facts.unit, states=OPEN_STATES, as_of=facts.as_of)
    handling = [f for f in still if f.state == FollowUpState.HANDLING]
    if said:
        local = provincial(facts)
        central = [s for s in said if to_central(s.text)]
        text = (
            f"Trong {facts.label}, các đơn vị có {count(len(said))} đề xuất, kiến nghị: "
            f"{count(len(local))} đề xuất với các cơ quan cấp tỉnh, {count(len(central))} kiến "
            "nghị với cơ quan Trung ương"
        )
    else:
        local, central = [], []
        text = f"Không có đề xuất, kiến nghị mới trong {facts.label}"
    if still:
        text += (
            f"; còn {count(len(still))} đề xuất với các cơ quan cấp tỉnh chưa xử lý xong "
            f"({count(len(handling))} đang xử lý)"
        )
    else:
        text += "; không còn đề xuất nào chưa xử lý xong"
    figures = {
        "total": count(len(said)),
        "provincial": count(len(local)),
        "central": count(len(central)),
        "open": count(len(still)),
        "handling": count(len(handling)),
    }
    link = Link(_("Theo dõi xử lý đề xuất"), f"{reverse('documents:proposals')}?state=open")
    head = paragraph(
        text + (":" if still else "."), key="brief.proposals", links=(link,), figures=figures
    )
    return [head, *_open_items(still)]


def _open_items(still: list[Followed]) -> list[Paragraph]:
    """The open proposals most raised (identical texts merged), each with its units and who
    handles it."""
    by_text: dict[str, list[Followed]] = defaultdict(list)
    for followed in still:
        by_text[followed.section.text.strip()].append(followed)
    ranked = sorted(by_text.items(), key=lambda item: -len(item[1]))
    items = []
    for text, group in ranked[:PROPOSALS_SHOWN]:
        units = list(dict.fromkeys(f.section.report.unit.name for f in group))
        who = joined(units) if len(units) <= 2 else f"{count(len(units))} đơn vị"
        handling = [f for f in group if f.state == FollowUpState.HANDLING]
        handlers = sorted({f.handler for f in handling if f.handler})
        state = "; chưa xử lý" if not handling else "; đang xử lý"
        state += f": {joined(handlers)}" if handlers else ""
        items.append(paragraph(f"- {text.rstrip('.')} ({who}{state}).", "item"))
    return items
