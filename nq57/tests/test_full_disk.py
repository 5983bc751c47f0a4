"""A full disk on upload (issue 18, fault drill): the user reads a clear message, no row is
saved, no partial file is left behind."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from nq57.models import ImportJob
from org.tests.conftest import People
from reporting.models import Attachment, UnitReport
from tasks.tests.test_views import Work, task_file

_FDOPEN = os.fdopen
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * 200_000 + b"\n%%EOF\n"


class FillingDisk:
    """A file that takes the first 8 kB, then finds the disk full."""

    def __init__(self, fd: int, mode: str) -> None:
        self.real = _FDOPEN(fd, mode)
        self.written = 0

    def write(self, chunk: bytes) -> int:
        if self.written + len(chunk) > 8 * 1024:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.written += len(chunk)
        return self.real.write(chunk)

    def close(self) -> None:
        self.real.close()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.fixture
def full_disk() -> Any:
    with mock.patch("django.core.files.storage.filesystem.os.fdopen", FillingDisk):
        yield


def test_an_attachment_on_a_full_disk(
    people: People, report: UnitReport, media: Path, full_disk: None
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(people.reporter)
    url = reverse("reporting:attachment_add", args=["2025-Q3", "16681"])
    response = client.post(url, {"file": SimpleUploadedFile("bao-cao.pdf", PDF)})
    assert response.status_code == 507
    assert "hết chỗ lưu trữ" in response.content.decode()
    assert not Attachment.objects.exists()
    assert files(media) == []


@pytest.mark.django_db(transaction=True)  # committed as in production: no outer transaction
def test_an_import_on_a_full_disk(people: People, work: Work, media: Path, full_disk: None) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(people.standing)
    big = task_file(*(f"M{i}" for i in range(400)))
    response = client.post(reverse("tasks:task_import"), {"file": big})
    assert response.status_code == 507 and "hết chỗ lưu trữ" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert files(media) == []
