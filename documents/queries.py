"""Reads of the documents app shared by the composer, the pages and the commands: a kind's
outline, a report's stored prose, the versions kept."""

from __future__ import annotations

from django.db.models import QuerySet

from documents.content import Kind
from documents.models import GeneratedReport, OutlineSection, SectionText
from org.models import Unit
from periods.models import Period


def outline_sections(kind: Kind) -> list[OutlineSection]:
    """The kind's outline, in order (one query; empty when the kind has none)."""
    return list(OutlineSection.objects.filter(outline__kind=kind).order_by("order", "id"))


def section_texts(kind: Kind, period: Period, unit: Unit) -> QuerySet[SectionText]:
    return SectionText.objects.filter(kind=kind, period=period, unit=unit)


def stored_prose(kind: Kind, period: Period, unit: Unit) -> dict[str, str]:
    """The standing office's prose of the report, by section (sections without any left out)."""
    rows = section_texts(kind, period, unit).exclude(text="").values_list("section", "text")
    return dict(rows)


def versions(kind: Kind, period: Period, unit: Unit) -> QuerySet[GeneratedReport]:
    """Every version generated of the report, the newest first."""
    return GeneratedReport.objects.filter(kind=kind, period=period, unit=unit).order_by(
        "-version", "-id"
    )
