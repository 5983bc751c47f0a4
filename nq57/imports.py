"""XLSX imports as background jobs: the request only stores the file and returns; the worker runs
the app's own import (all rows or none, nq57.xlsx.run_import) and the page follows its progress.

An app's import view takes an `ImportForm` (or a subclass), calls `start_import` with the dotted
path of its import function, then
redirects to `job_url`; on GET it adds `job_context` to its page (the `_import_page.html`
template shows the progress bar, then the errors or the summary). The import function is
called in the worker as `handler(actor=..., source=..., dry_run=..., **form.job_options())` and
returns the summary
(a dataclass or a dict; an `Outcome` to keep something shown once, such as one-time passwords);
ImportRejected, ValidationError or PermissionDenied from it mean nothing was saved and name why.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django_tasks import task

from nq57.models import ImportJob, ImportStatus
from nq57.uploads import XLSX_ONLY, checked_upload
from nq57.worker import DATABASE_OUTAGE
from nq57.xlsx import ImportRejected, import_progress

logger = logging.getLogger(__name__)

Handler = Callable[..., Any]
# Progress: 0–5 % reading the file, 5–95 % checking and writing the rows, 100 % done.
_READ, _ROWS = 5, 90
_PROGRESS_EVERY_SECONDS = 0.5


@dataclass
class Outcome:
    """What an import function may return instead of a bare summary: `secret` is shown to the
    importer once, then erased from the job."""

    summary: Any
    secret: Any = None


class ImportForm(forms.Form):
    """The upload of every import page: one XLSX file, checked from its content
    (nq57.uploads); subclasses add their options (a `dry_run` box)."""

    file = forms.FileField(label=gettext_lazy("Tệp XLSX"))

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        self.original_name = checked_upload(upload, XLSX_ONLY)
        return upload

    def job_options(self) -> dict[str, Any]:
        """What the import function takes besides the file and the dry run (JSON values),
        kept on the job: the figure import's confirmation of warnings, for example."""
        return {}


def start_import(*, actor: Any, form: ImportForm, handler: str) -> ImportJob:
    """Store the valid form's file and queue its import (`handler`: the app's import function,
    dotted). The job row and file are written before the worker can see the job."""
    job = ImportJob.objects.create(
        handler=handler,
        actor=actor,
        original_name=form.original_name[:255],
        dry_run=bool(form.cleaned_data.get("dry_run")),
        options=form.job_options(),
        file=form.cleaned_data["file"],
        stage=_("Đang chờ"),
    )
    run_import_job.enqueue(job.pk)
    return job


def job_url(request: HttpRequest, job: ImportJob) -> str:
    """The import page showing this job (the page's own address with ?job=)."""
    return f"{request.path}?job={job.pk}"


def job_context(request: HttpRequest, actor: Any) -> dict[str, Any]:
    """What the import page shows for ?job=: the job (progress while it runs), then its errors
    or summary. Only its importer sees a job; anyone else gets 404."""
    raw = request.GET.get("job", "")
    if not raw:
        return {"job": None, "errors": [], "summary": None}
    if not raw.isdigit():
        raise Http404
    job = get_object_or_404(ImportJob, pk=int(raw), actor=actor)
    errors = job.errors if job.status in (ImportStatus.REJECTED, ImportStatus.FAILED) else []
    summary = job.summary if job.status == ImportStatus.DONE else None
    return {"job": job, "errors": errors, "summary": summary}


def take_secret(job: ImportJob) -> Any:
    """The job's secret for the one page that shows it; erased from the job as it is read."""
    secret = job.secret
    if secret is not None:
        ImportJob.objects.filter(pk=job.pk).update(secret=None)
        job.secret = None
    return secret


@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, polled by the import page; once the job has finished, htmx is
    told to reload the page, which then shows the outcome."""
    if not request.user.is_authenticated:
        raise Http404
    job = get_object_or_404(ImportJob, pk=pk, actor=request.user)
    response = render(request, "_import_progress.html", {"job": job})
    if job.finished:
        response["HX-Refresh"] = "true"
    return response


# --- the worker's side ---------------------------------------------------------------------


@task()
def run_import_job(job_id: int) -> str:
    """Run a queued import (run_job); returns its final status."""
    return run_job(job_id)


def run_job(job_id: int) -> str:
    """Run the import of a job: done with its summary, rejected with every problem (nothing
    saved), or failed. A database outage is left to the worker, which runs the job again (the
    file is kept until a final outcome). Returns the status."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
    ).update(status=ImportStatus.RUNNING, started_at=timezone.now(), stage=_("Đang đọc tệp"))
    job = ImportJob.objects.select_related("actor").get(pk=job_id)
    if not claimed:
        return job.status
    handler: Handler = import_string(job.handler)
    report = partial(_report_rows, job.pk, [0.0])
    try:
        with job.file.open("rb") as source, import_progress(report):
            result = handler(actor=job.actor, source=source, dry_run=job.dry_run, **job.options)
    except DATABASE_OUTAGE:
        raise
    except ImportRejected as exc:
        _finish(job, ImportStatus.REJECTED, errors=[str(e) for e in exc.errors])
    except ValidationError as exc:
        _finish(job, ImportStatus.REJECTED, errors=list(exc.messages))
    except PermissionDenied:
        _finish(job, ImportStatus.REJECTED, errors=[_("Tài khoản không có quyền nhập tệp này.")])
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        message = _("Lỗi hệ thống khi nhập; không lưu dòng nào. Quản trị hệ thống đã được báo.")
        _finish(job, ImportStatus.FAILED, errors=[message])
    else:
        outcome = result if isinstance(result, Outcome) else Outcome(result)
        _finish(
            job,
            ImportStatus.DONE,
            summary=_plain(outcome.summary),
            secret=_plain(outcome.secret),
            progress=100,
        )
    return job.status


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def _finish(job: ImportJob, status: str, **fields: Any) -> None:
    fields.update(status=status, finished_at=timezone.now(), stage="")
    for name, value in fields.items():
        setattr(job, name, value)
    job.file.delete(save=False)  # the data is in the database now, or was refused
    job.save()


def _report_rows(job_id: int, last: list[float], done: int, total: int) -> None:
    """Record how far the rows are, at most every _PROGRESS_EVERY_SECONDS. The rows are written
    inside the import's transaction, where this update would stay invisible until the end: on
    PostgreSQL it goes through a second connection; SQLite allows one writer at a time, so
    there the bar moves only between stages."""
    now = time.monotonic()
    if now - last[0] < _PROGRESS_EVERY_SECONDS:
        return
    last[0] = now
    percent = _READ + (_ROWS * done // total if total else 0)
    stage = _("Đang kiểm tra và ghi dòng %(done)s/%(total)s") % {"done": done, "total": total}
    if not connection.in_atomic_block:
        ImportJob.objects.filter(pk=job_id).update(progress=percent, stage=stage)
        return
    if connection.vendor == "sqlite":
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportJob._meta.db_table} SET progress = %s, stage = %s WHERE id = %s",
                [percent, stage, job_id],
            )
    finally:
        side.close()
