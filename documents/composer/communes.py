"""The communes' programmes: how many communes completed all the tasks of each
("130/130 xã, phường hoàn thành 16/16 nhiệm vụ (đạt 100%)")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from documents.composer.facts import ReportFacts
from documents.composer.paragraphs import paragraph
from documents.composer.programmes import PROGRAMMES
from documents.content import Link, Paragraph
from documents.wording import count, ratio, share
from tasks.timeliness import COMPLETED


@dataclass
class Completion:
    """A commune programme's progress: the communes given it, those that have not completed
    all its tasks, and its tasks."""

    units: set[int] = field(default_factory=set)
    undone: set[int] = field(default_factory=set)
    tasks: set[int] = field(default_factory=set)


def commune_completion(facts: ReportFacts) -> dict[str, Completion]:
    """Each commune programme's completion from its assignments' verdicts as of the date: the
    rows the (province's, subtree) task statistics are grouped from; a removed assignment counts
    for nobody."""
    codes = {p.source for p in PROGRAMMES.communes}
    done: dict[str, Completion] = defaultdict(Completion)
    for row in facts.verdict_rows:
        if row.verdict is None or (source := facts.tasks[row.task_id].source.code) not in codes:
            continue
        entry = done[source]
        entry.units.add(row.unit_id)
        entry.tasks.add(row.task_id)
        if row.verdict.timeliness not in COMPLETED:
            entry.undone.add(row.unit_id)
    return done


def _commune_link(facts: ReportFacts, source: str, tasks: set[int]) -> Link:
    """Where the communes behind the figure are: a one-task programme's page lists each
    commune's state; a larger programme's task list shows "k/n communes" on each task."""
    if len(tasks) == 1:
        return facts.detail_link(facts.tasks[next(iter(tasks))])
    return facts.task_link(facts.source_name(source), source=source)


def communes(facts: ReportFacts) -> list[Paragraph]:
    """ "130/130 xã, phường hoàn thành 16/16 nhiệm vụ (đạt 100%)" for each commune programme."""
    done = commune_completion(facts)
    paragraphs = []
    for programme in PROGRAMMES.communes:
        if programme.source not in done:
            continue
        entry = done[programme.source]
        complete, assigned = len(entry.units - entry.undone), len(entry.units)
        what = programme.done.format(tasks=count(len(entry.tasks)))
        name = facts.source_name(programme.source)
        text = (
            f"- {name}: {ratio(complete, assigned)} xã, phường {what} "
            f"(đạt {share(complete, assigned)})."
        )
        link = _commune_link(facts, programme.source, entry.tasks)
        figures = {
            "complete": count(complete),
            "assigned": count(assigned),
            "tasks": count(len(entry.tasks)),
            "share": share(complete, assigned),
        }
        paragraphs.append(
            paragraph(
                text,
                "item",
                key=f"communes.{programme.source}",
                links=(link,),
                figures=figures,
                tasks=facts.codes(entry.tasks),
            )
        )
    return paragraphs
