"""Blocks of the standing office's monthly brief: what changed in the month, the units' reports
received, the indicators."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _  # link labels are UI, shown on the page

from documents.composer.facts import ReportFacts
from documents.composer.indicator_statements import indicator_lines, no_figures
from documents.composer.paragraphs import paragraph
from documents.composer.task_statements import footnotes
from documents.content import Link, Paragraph
from documents.wording import count, joined, ratio
from reporting.models import ReportState
from reporting.queries import board


def all_indicators(facts: ReportFacts) -> list[Paragraph]:
    """Every indicator with a figure, or a line saying there is none yet."""
    return indicator_lines(facts, facts.indicators) or [no_figures(facts)]


def became_late(facts: ReportFacts) -> list[Paragraph]:
    """Tasks not on time at the date that were on time or not yet given before the period."""
    now = facts.stats.items["not_on_time"]
    before = set(facts.before(now).items["not_on_time"])
    late = [t for t in now if t not in before]
    text = f"Trong {facts.label} không có nhiệm vụ chuyển sang chưa thực hiện trong hạn."
    if late:
        text = (
            f"Trong {facts.label} có {count(len(late))} nhiệm vụ chuyển sang chưa thực hiện "
            "trong hạn."
        )
    # No list holds "became late within the period": each such task links to its own page.
    links = tuple(facts.detail_link(facts.tasks[t]) for t in late)
    return [
        paragraph(
            text,
            key="tasks.became_late",
            links=links,
            footnotes=footnotes(facts, late),
            figures={"count": count(len(late))},
            tasks=facts.codes(late),
        )
    ]


def reports_received(facts: ReportFacts) -> list[Paragraph]:
    """Received / required, and which units were late or have not sent theirs (current state:
    reports about a period arrive after it ends)."""
    rows = [r for r in board(facts.period) if r.unit.path.startswith(facts.unit.path)]
    received = [r for r in rows if r.state == ReportState.RECEIVED]
    board_link = Link(
        _("Bảng theo dõi báo cáo"), reverse("reporting:board", args=[facts.period.code])
    )
    text = f"Đã tiếp nhận {ratio(len(received), len(rows))} báo cáo {facts.label}."
    figures = {"received": count(len(received)), "required": count(len(rows))}
    return [
        paragraph(text, key="reports.received", links=(board_link,), figures=figures),
        *_units_line(
            "reports.late", "Nộp muộn", board_link,
            [r.unit.name for r in rows if r.is_late and r.first_submitted_at is not None],
        ),
        *_units_line(
            "reports.missing", "Chưa được tiếp nhận", board_link,
            [r.unit.name for r in rows if r.state != ReportState.RECEIVED],
        ),
    ]  # fmt: skip


def _units_line(key: str, label: str, link: Link, names: Sequence[str]) -> list[Paragraph]:
    """ "- Nộp muộn (03): A; B; C." — nothing when no unit is named."""
    if not names:
        return []
    text = f"- {label} ({count(len(names))}): {joined(names)}."
    return [paragraph(text, "item", key=key, links=(link,))]
