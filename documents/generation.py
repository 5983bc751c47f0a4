"""Running a requested report, called by the background job (documents.jobs): the run takes the
queued row, builds the file (documents.build) and ends the row done with its file and
statements, or failed with the reason in Vietnamese; and the periodic sweep that ends the runs
whose worker died. Requests are made in documents.services, which queues the job."""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.build import build
from documents.composer.letterhead import profile_for
from documents.content import Kind, ReportContent
from documents.models import DEAD_RUN_ERROR, STALE_RUNNING, GeneratedReport, JobStatus
from documents.pdf import PdfFailed, PdfUnavailable

logger = logging.getLogger(__name__)


HEADING_DEPTH = {"heading1": 0, "heading2": 1, "heading3": 2, "label": 3}


def statements_of(content: ReportContent) -> list[dict[str, Any]]:
    """The computed paragraphs as kept with the file (JSON): what each says, its links, the
    figures, tasks and indicators behind it and the headings it is under."""
    kept, headings = [], ["", "", "", ""]
    for p in content.body:
        if p.style in HEADING_DEPTH:
            depth = HEADING_DEPTH[p.style]
            headings[depth:] = [p.text] + [""] * (3 - depth)
        if not p.computed:
            continue
        kept.append(
            {
                "key": p.key,
                "text": p.text,
                "footnotes": list(p.all_footnotes),
                "links": [{"label": link.label, "url": link.url} for link in p.links],
                "figures": dict(p.figures),
                "tasks": sorted(p.tasks),
                "indicators": sorted(p.indicators),
                "elements": sorted(p.elements),
                "section": [h for h in headings if h],
            }
        )
    return kept


def _progress(report_id: int, percent: int, stage: str) -> None:
    # Saved at once (the job runs outside a transaction) so the polling page sees it.
    GeneratedReport.objects.filter(pk=report_id).update(progress=percent, stage=stage)


def _finish(report: GeneratedReport, **fields: Any) -> GeneratedReport:
    now = timezone.now()
    fields.update(finished_at=now, duration=now - (report.started_at or now))
    for name, value in fields.items():
        setattr(report, name, value)
    report.save(update_fields=list(fields))
    return report


def _claim(report_id: int, *, retry: bool = False) -> bool:
    """Take a queued report for this run; False when another run took it already. A `retry`
    (the worker that ran it died, nq57.worker) also takes it back from "running"."""
    states = [JobStatus.QUEUED, JobStatus.RUNNING] if retry else [JobStatus.QUEUED]
    return bool(
        GeneratedReport.objects.filter(pk=report_id, status__in=states).update(
            status=JobStatus.RUNNING, started_at=timezone.now(), stage=_("Đang bắt đầu")
        )
    )


def _generate(report: GeneratedReport) -> ReportContent:
    """Build the file and store it on the report with its checksum (not saved yet); the content
    is returned."""
    kind = Kind(report.kind)
    letterhead = profile_for(kind, report.unit).letterhead(signed_on=None)
    data, content = build(
        kind=kind, period=report.period, unit=report.unit, as_of=report.as_of,
        fmt=report.format, letterhead=letterhead, progress=partial(_progress, report.pk),
    )  # fmt: skip
    report.file.save(f"{uuid.uuid4().hex}.{report.format}", ContentFile(data), save=False)
    report.checksum = hashlib.sha256(data).hexdigest()
    return content


def _failure(exc: Exception) -> str:
    """What the user reads when a run fails: the reason when it is theirs to act on, a generic
    message (and the trace in the log for the administrator) otherwise."""
    if isinstance(exc, PdfUnavailable | PdfFailed):
        return str(exc)
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    logger.error("Generating a report failed", exc_info=exc)
    return _("Lỗi hệ thống khi tạo báo cáo; đã ghi nhật ký để quản trị hệ thống kiểm tra.")


def run_report(report_id: int, *, retry: bool = False) -> GeneratedReport:
    """Generate a queued report: running, then done with its file and statements, or failed
    with the reason in Vietnamese. A report already taken by a run is left alone, so a job
    delivered twice does the work once; `retry`: the job's earlier run died, start again."""
    claimed = _claim(report_id, retry=retry)
    report = GeneratedReport.objects.select_related("period", "unit").get(pk=report_id)
    if not claimed:
        return report
    try:
        content = _generate(report)
    except Exception as exc:  # every failure ends the row: it must never stay "running"
        return _finish(report, status=JobStatus.FAILED, error=_failure(exc), stage="")
    return _finish(
        report, status=JobStatus.DONE, progress=100, stage=_("Đã xong"),
        statements=statements_of(content), file=report.file, checksum=report.checksum,
        basis={**content.basis, "warnings": content.warnings}, prose=content.prose,
    )  # fmt: skip


@transaction.atomic
def fail_stale_reports(now: datetime) -> int:
    """Mark failed the runs whose worker died (running for longer than any run takes), in one
    statement; idempotent: it changes only rows nobody is working on, and a second sweep finds
    none of them running. Run periodically (documents.jobs.sweep_reports, `manage.py
    sweep_reports`); until then the pages show such a run failed (GeneratedReport.is_dead).
    Returns how many it failed."""
    return GeneratedReport.objects.filter(
        status=JobStatus.RUNNING, started_at__lt=now - STALE_RUNNING
    ).update(status=JobStatus.FAILED, stage="", finished_at=now, error=str(DEAD_RUN_ERROR))
