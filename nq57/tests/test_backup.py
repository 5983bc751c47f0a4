"""The backup drill (issue 18, build item 4; CI runs it on SQLite and on PostgreSQL): back up the
demo province, change data and files, restore, and every figure is as it was — task statistics,
indicator values, report files' checksums — with no file left from after the backup."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from documents.content import Kind
from documents.models import Format, GeneratedReport, JobStatus
from documents.services import request_report
from indicators.models import DataValue
from nq57.backup import BackupError, media_checksums
from org.models import Unit, User
from periods.models import Period
from tasks.models import StatusEvent

pytestmark = [pytest.mark.clock("2026-01-05T09:00"), pytest.mark.django_db(transaction=True)]


def figures() -> dict[str, Any]:
    def command(*args: str) -> Any:
        out = io.StringIO()
        call_command(*args, "--json", stdout=out)
        return json.loads(out.getvalue())

    return {
        "tasks": command("task_stats", "--as-of", "2025-12-31"),
        "tasks_q3": command("task_stats", "--as-of", "2025-09-30", "--unit", "16681"),
        "indicators": command("indicator_values", "--period", "2025-Q3"),
        "events": StatusEvent.objects.count(),
        "media": media_checksums(),
    }


def test_backup_change_restore_gives_every_figure_back(
    demo_data: None, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    report = request_report(
        actor=User.objects.get(username="thuongtruc"), kind=Kind.QUARTERLY,
        period=Period.objects.get(code="2025-Q3"), unit=Unit.objects.get(code="40"),
        fmt=Format.DOCX,
    )  # fmt: skip
    report.refresh_from_db()
    assert report.status == JobStatus.DONE and report.file
    before = figures()
    assert before["media"]  # the report's file is in the backup

    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    [archive] = (tmp_path / "backups").glob("nq57-backup-*.tar")

    # A bad day: a status recorded, figures changed, the report file lost, a file added.
    event = StatusEvent.objects.order_by("-id").first()
    assert event is not None
    StatusEvent.objects.filter(pk=event.pk).delete()
    DataValue.objects.filter(pk=DataValue.objects.order_by("id").first().pk).update(value=-1)  # type: ignore[union-attr]
    Path(report.file.path).unlink()
    (Path(settings.MEDIA_ROOT) / "imports").mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "imports" / "sau-sao-luu.xlsx").write_bytes(b"later")
    assert figures() != before

    call_command("restore", str(archive), "--yes", stdout=out)
    assert figures() == before  # the added file is gone: no orphan media
    assert GeneratedReport.objects.get(pk=report.pk).file.name == report.file.name


def test_a_tampered_archive_is_refused(db: None, settings: Any, tmp_path: Path) -> None:
    import tarfile

    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.pdf").write_bytes(b"%PDF-1.7 a")
    from nq57.backup import create_backup, restore_backup

    archive = create_backup(tmp_path / "b")
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name == "media/a.pdf":
                member.size = len(b"%PDF-1.7 b")
                target.addfile(member, io.BytesIO(b"%PDF-1.7 b"))
            else:
                target.addfile(member, data)
    with pytest.raises(BackupError, match="do not match"):
        restore_backup(tampered)
    assert (tmp_path / "media" / "a.pdf").read_bytes() == b"%PDF-1.7 a"  # untouched
