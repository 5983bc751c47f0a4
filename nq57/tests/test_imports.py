"""Imports as background jobs (issue 18, finding 2): the request only stores the file and
returns; the worker applies all rows or none; the page follows a progress bar, then shows the
outcome to the importer alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from nq57.imports import _report_rows
from nq57.models import ImportJob, ImportStatus
from org.models import User
from org.tests.conftest import People, Tree
from org.tests.test_account_import import GOOD, xlsx
from org.tests.test_views import client_for
from tasks.models import Task
from tasks.tests.test_views import Work, task_file

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def test_the_request_stores_the_file_and_returns(
    people: People, work: Work, settings: Any, media: Path
) -> None:
    settings.TASKS = DATABASE_QUEUE  # queued for a worker, as in production
    client = client_for(people.standing)
    with mock.patch("tasks.views.import_task_rows") as apply:
        response = client.post(reverse("tasks:task_import"), {"file": task_file("M1", "M2")})
    apply.assert_not_called()  # nothing parsed or written in the request
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/tasks/import/?job={job.pk}"
    assert DBTaskResult.objects.get().task_path == "nq57.imports.run_import_job"
    page = client.get(response.url).content.decode()
    assert 'data-testid="import-progress"' in page and "nhiem-vu.xlsx" in page
    assert reverse("import_progress", args=[job.pk]) in page
    assert not Task.objects.filter(code__startswith="M").exists()
    assert list(media.glob("imports/*.xlsx"))  # stored under a generated name


def test_the_worker_applies_every_row_and_the_page_shows_the_outcome(
    people: People, work: Work, media: Path
) -> None:
    client = client_for(people.standing)
    response = client.post(reverse("tasks:task_import"), {"file": task_file("M1", "M2")})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE and job.progress == 100
    assert set(Task.objects.filter(code__startswith="M").values_list("code", flat=True)) == {
        "M1",
        "M2",
    }
    page = client.get(response.url).content.decode()
    assert "Đã nhập xong." in page and "M1, M2" in page
    assert 'data-testid="import-progress"' not in page
    assert not list(media.glob("imports/*"))  # the file is gone once read
    progress = client.get(reverse("import_progress", args=[job.pk]))
    assert progress["HX-Refresh"] == "true"


def test_a_bad_file_saves_nothing_and_names_every_row(people: People, work: Work) -> None:
    client = client_for(people.standing)
    bad = task_file("M1", "M2", **{"Nguồn": "KHONG"})
    page = client.post(reverse("tasks:task_import"), {"file": bad}, follow=True).content.decode()
    assert ImportJob.objects.get().status == ImportStatus.REJECTED
    assert "Dòng 2, cột “Nguồn”" in page and "Dòng 3, cột “Nguồn”" in page
    assert not Task.objects.filter(code__startswith="M").exists()


def test_only_the_importer_sees_a_job(people: People, work: Work) -> None:
    response = client_for(people.standing).post(
        reverse("tasks:task_import"), {"file": task_file("M1")}
    )
    job = ImportJob.objects.get()
    other = client_for(people.sysadmin)
    assert other.get(response.url).status_code == 404
    assert other.get(reverse("import_progress", args=[job.pk])).status_code == 404
    assert Client().get(reverse("import_progress", args=[job.pk])).status_code == 404
    assert client_for(people.standing).get("/tasks/import/?job=abc").status_code == 404


def test_imported_accounts_passwords_are_shown_once(people: People) -> None:
    client = client_for(people.communes_admin)
    upload = SimpleUploadedFile("tk.xlsx", xlsx([GOOD]).getvalue())
    response = client.post(reverse("org:account_import"), {"file": upload})
    first = client.get(response.url).content.decode()
    assert 'data-testid="created-accounts"' in first and 'class="otp"' in first
    assert ImportJob.objects.get().secret is None  # erased as it was shown
    again = client.get(response.url).content.decode()
    assert 'data-testid="passwords-gone"' in again and 'class="otp"' not in again
    assert User.objects.filter(email="an@example.vn").exists()


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_import_transaction(tree: Tree, people: People) -> None:
    """The rows are written in one transaction; the bar must still move for other readers (on
    PostgreSQL through a second connection; SQLite has one writer, so there it waits)."""
    job = ImportJob.objects.create(handler="x", actor=people.standing, original_name="a.xlsx")
    with transaction.atomic():
        _report_rows(job.pk, [0.0], 50, 100)
        if connection.vendor == "postgresql":
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute("SELECT progress FROM nq57_importjob WHERE id = %s", [job.pk])
                    assert cursor.fetchone()[0] == 50
            finally:
                other.close()
    _report_rows(job.pk, [0.0], 100, 100)  # outside a transaction, on either database
    job.refresh_from_db()
    assert job.progress == 95 and "100/100" in job.stage
