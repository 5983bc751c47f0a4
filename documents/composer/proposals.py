"""Part IV: the proposals the units made, split by whom they address. Recommendations to central
bodies (the Central Steering Committee, the Government, ministries) go in the report, which is
sent to the Central Party Office; proposals to the province's own bodies (its People's
Committee, departments, the provincial Steering Committee) are the province's to handle and go
to the follow-up list (annex 5), never into the report to the centre."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef

from documents.composer.facts import ReportFacts
from documents.composer.paragraphs import paragraph
from documents.composer.unit_texts import said_lines, sections_of
from documents.content import Paragraph
from documents.models import FollowUpState, ProposalFollowUp
from documents.wording import count
from nq57.text import fold
from org.models import Unit
from periods.calendar import end_of_day
from periods.models import Period
from reporting.models import ReportState, Section, SectionKind, Transition

# Central bodies as the proposals name them (folded: lower case, no diacritics). "Bộ" alone is a
# ministry only before a capitalised name or as "các bộ"; "Ban Chỉ đạo" is central only when
# "Trung ương" follows, which the first pattern catches.
CENTRAL = re.compile(
    r"trung uong|chinh phu|thu tuong|quoc hoi|bo chinh tri|ban bi thu|cac bo\b|"
    r"\bbo (khoa hoc|tai chinh|noi vu|cong an|thong tin|ke hoach|giao duc|y te|tu phap|"
    r"cong thuong|nong nghiep|xay dung|van hoa|quoc phong|ngoai giao)"
)


def to_central(text: str) -> bool:
    """Whether a proposal addresses a central body (the one rule; the annex and the composer
    read it too)."""
    return CENTRAL.search(fold(text)) is not None


def central_proposals(facts: ReportFacts) -> list[Paragraph]:
    """The units' recommendations to central bodies, by area (those without an area last)."""
    proposals = [s for s in facts.sections if s.kind == SectionKind.PROPOSALS]
    central = [s for s in proposals if to_central(s.text)]
    body: list[Paragraph] = []
    groups = [(a.code, a.name, sections_of(facts, SectionKind.PROPOSALS, a)) for a in facts.areas]
    groups.append(("other", "Khác", sections_of(facts, SectionKind.PROPOSALS, None)))
    for code, name, sections in groups:
        chosen = [s for s in sections if s in central]
        if chosen:
            body.append(paragraph(f"- {name}:", "item", bold=True))
            body += said_lines(facts, f"proposals.{code}", chosen)
    return body


def provincial(facts: ReportFacts) -> list[Section]:
    return [s for s in facts.sections if s.kind == SectionKind.PROPOSALS and not to_central(s.text)]


def provincial_proposals(facts: ReportFacts) -> list[Paragraph]:
    """One line: how many proposals address the province's own bodies, listed in annex 5 for
    follow-up (the standing office's list, not the report's)."""
    sections = provincial(facts)
    if not sections:
        return []
    units = {s.report.unit_id for s in sections}
    text = (
        f"Các cơ quan, đơn vị có {count(len(sections))} đề xuất, kiến nghị với các cơ quan cấp "
        f"tỉnh (của {count(len(units))} cơ quan, đơn vị), được tổng hợp tại Phụ lục 5 để theo "
        "dõi, xử lý."
    )
    figures = {"count": count(len(sections)), "units": count(len(units))}
    return [paragraph(text, key="proposals.provincial", figures=figures)]


# --- the follow-up list ---------------------------------------------------------------------


@dataclass(frozen=True)
class Followed:
    """A proposal to the province's own bodies and where its follow-up stands (as of a date)."""

    section: Section
    state: str = FollowUpState.OPEN
    handler: str = ""
    note: str = ""
    updated_by: str = ""
    updated_at: datetime | None = None

    @property
    def state_label(self) -> str:
        return str(FollowUpState(self.state).label)


def followed_proposals(
    root: Unit,
    *,
    period: Period | None = None,
    states: frozenset[str] | None = None,
    as_of: date | None = None,
) -> list[Followed]:
    """The proposals to the province's own bodies in the received reports of `root`'s tree (of
    one period, when given), each with its follow-up, newest period first; `states` keeps
    those in these states. `as_of`: the reports received by the end of that day and each
    follow-up as its history stood then (None: as they are now). Three queries."""
    sections = Section.objects.filter(
        kind=SectionKind.PROPOSALS,
        report__state=ReportState.RECEIVED,
        report__unit__path__startswith=root.path,
    )
    if period is not None:
        sections = sections.filter(report__period=period)
    if as_of is not None:
        received = Transition.objects.filter(
            report=OuterRef("report"), to_state=ReportState.RECEIVED, at__lt=end_of_day(as_of)
        )
        sections = sections.filter(Exists(received))
    rows = sections.select_related("report__unit", "report__period", "area").order_by(
        "-report__period__ends_on", "report__unit__path", "order", "id"
    )
    provincial = [s for s in rows if not to_central(s.text)]
    follow = _follow_ups([s.pk for s in provincial], as_of)
    found = [follow[s.pk](s) if s.pk in follow else Followed(s) for s in provincial]
    return [f for f in found if states is None or f.state in states]


FOLLOW_FIELDS = ("section_id", "state", "handler", "note", "updated_by__full_name", "updated_at")


def _follow_ups(ids: list[int], as_of: date | None) -> dict[int, _Maker]:
    """Each proposal's follow-up, now or as its history stood at the end of `as_of` (the
    latest history row by then, unless a deletion); those without any left out."""
    if not ids:
        return {}
    if as_of is None:
        rows = ProposalFollowUp.objects.filter(section_id__in=ids).values_list(*FOLLOW_FIELDS)
        return {row[0]: _Maker(*row[1:]) for row in rows}
    history = ProposalFollowUp.history.model.objects  # type: ignore[attr-defined]
    past = (
        history.filter(section_id__in=ids, history_date__lt=end_of_day(as_of))
        .order_by("section_id", "-history_date", "-history_id")
        .values_list(*FOLLOW_FIELDS, "history_type")
    )
    latest: dict[int, tuple[object, ...]] = {}
    for row in past:
        latest.setdefault(row[0], row)  # type: ignore[call-overload]
    return {pk: _Maker(*row[1:-1]) for pk, row in latest.items() if row[-1] != "-"}  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Maker:
    """A stored follow-up, made into a Followed for its proposal."""

    state: str
    handler: str
    note: str
    updated_by: str | None
    updated_at: datetime

    def __call__(self, section: Section) -> Followed:
        by = self.updated_by or ""
        return Followed(section, self.state, self.handler, self.note, by, self.updated_at)
