"""The standing office's monthly brief: the province's task statistics and what changed in the
month, the units' reports received, the indicators."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _  # link labels are UI, shown on the page

from documents.composer.facts import ReportFacts
from documents.composer.indicator_statements import indicator_lines
from documents.composer.paragraphs import paragraph
from documents.composer.task_statements import completed_lines, footnotes, province_groups
from documents.content import Link, Paragraph
from documents.wording import count, joined, ratio
from reporting.models import ReportState
from reporting.queries import board


def monthly(facts: ReportFacts) -> list[Paragraph]:
    return [
        paragraph(f"I- TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐẾN HẾT {facts.upto}", "heading1"),
        *province_groups(facts),
        *completed_lines(facts, "tasks.completed_in_period", facts.completed_in_period),
        *_became_late(facts),
        paragraph("II- TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ", "heading1"),
        *_reports_received(facts),
        *(
            [paragraph("III- CHỈ TIÊU", "heading1"), *indicator_lines(facts, facts.indicators)]
            if any(r.value is not None for r in facts.indicators)
            else []
        ),
    ]


def _became_late(facts: ReportFacts) -> list[Paragraph]:
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
    return [paragraph(text, key="tasks.became_late", links=links, footnotes=footnotes(facts, late))]


def _reports_received(facts: ReportFacts) -> list[Paragraph]:
    """Received / required, and which units were late or have not sent theirs (current state:
    reports about a period arrive after it ends)."""
    rows = [r for r in board(facts.period) if r.unit.path.startswith(facts.unit.path)]
    received = [r for r in rows if r.state == ReportState.RECEIVED]
    board_link = Link(
        _("Bảng theo dõi báo cáo"), reverse("reporting:board", args=[facts.period.code])
    )
    text = f"Đã tiếp nhận {ratio(len(received), len(rows))} báo cáo {facts.label}."
    return [
        paragraph(text, key="reports.received", links=(board_link,)),
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
