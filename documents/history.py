"""A report's history, newest first: every version generated (kept, never deleted), every edit of
its prose and of its issuer settings, and every correction approved for its period, with who and
when. Read in a few queries whatever the number of versions or edits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from documents.composer.corrections import describe
from documents.composer.outline import title
from documents.content import Kind
from documents.models import DocumentProfile, GeneratedReport, OutlineSection, SectionText
from documents.queries import versions
from org.models import Unit
from periods.models import Period
from reporting.models import Correction, CorrectionState


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # "version", "prose", "profile", "correction"
    title: str
    by: str
    detail: str = ""
    before: str = ""
    after: str = ""
    url: str = ""
    version: GeneratedReport | None = None


def _person(user: Any) -> str:
    return (user.full_name or user.username) if user is not None else "—"


def report_history(kind: Kind, period: Period, unit: Unit) -> list[Event]:
    events = [*_versions(kind, period, unit), *_prose(kind, period, unit)]
    events += _profile(kind, unit) + _corrections(period, unit)
    return sorted(events, key=lambda e: e.at, reverse=True)


def _versions(kind: Kind, period: Period, unit: Unit) -> list[Event]:
    rows = versions(kind, period, unit).select_related("requested_by", "period", "unit")
    return [
        Event(
            at=report.requested_at,
            kind="version",
            title=_("Bản số %(n)s") % {"n": report.version},
            by=_person(report.requested_by),
            detail=report.shown_status_label,
            url=reverse("documents:detail", args=[report.pk]),
            version=report,
        )
        for report in rows
    ]


def _prose(kind: Kind, period: Period, unit: Unit) -> list[Event]:
    """Each save of the prose, with the text it replaced (the history rows of SectionText)."""
    titles = dict(OutlineSection.objects.filter(outline__kind=kind).values_list("code", "title"))
    history = SectionText.history.model.objects  # type: ignore[attr-defined]
    rows = (
        history.filter(kind=kind, period=period, unit=unit)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    events: list[Event] = []
    previous: dict[int, str] = {}
    for row in rows:
        before = previous.get(row.id, "")
        previous[row.id] = row.text
        if row.text == before:
            continue
        events.append(
            Event(
                at=row.history_date,
                kind="prose",
                title=_("Phần viết: %(section)s")
                % {"section": title(titles.get(row.section) or row.section, period)},
                by=_person(row.history_user),
                before=before,
                after=row.text,
            )
        )
    return events


def _profile(kind: Kind, unit: Unit) -> list[Event]:
    """Edits of the issuer settings the report is issued with."""
    if kind == Kind.UNIT:
        rows = DocumentProfile.history.filter(kind=kind, unit=unit)  # type: ignore[attr-defined]
    else:
        rows = DocumentProfile.history.filter(kind=kind, unit__isnull=True)  # type: ignore[attr-defined]
    return [
        Event(
            at=row.history_date,
            kind="profile",
            title=_("Thông tin ban hành"),
            by=_person(row.history_user),
            detail=f"{row.issuer} · {row.signer_title} {row.signer_name}".strip(),
        )
        for row in rows.select_related("history_user")
    ]


def _corrections(period: Period, unit: Unit) -> list[Event]:
    """The corrections approved for the period in the unit's tree: they change what the kept
    versions state (their changes page lists which statements)."""
    rows = Correction.objects.filter(
        period=period, unit__path__startswith=unit.path, state=CorrectionState.APPROVED
    ).select_related("unit", "period", "assignment__task", "element", "decided_by", "requested_by")
    return [
        Event(
            at=c.decided_at or c.requested_at,
            kind="correction",
            title=_("Điều chỉnh số liệu: %(unit)s") % {"unit": c.unit.name},
            by=_person(c.decided_by),
            detail=f"{describe(c)}; lý do: {c.reason.strip()}",
            url=reverse("reporting:report", args=[period.code, c.unit.code]),
        )
        for c in rows
    ]
