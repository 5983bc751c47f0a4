"""Every page, for every kind of account, with junk parameters: never a server error."""

from __future__ import annotations

import pytest
from django.test import Client

from indicators.models import Indicator
from org.models import User
from reporting.models import Attachment, UnitReport
from tasks.models import Assignment, StatusEvent

pytestmark = pytest.mark.clock("2026-01-05T09:00")  # after the demo's Q4/2025 events

JUNK = {
    "as_of": "99/99/9999", "page": "abc", "events": "-1", "state": "<x>", "sort": "zzz",
    "unit": "NOPE", "year": "năm", "source": "\x00", "area": "'", "q": "%00%", "bloc": "??",
    "unit_type": "x", "next": "//evil.example", "from": "32/13/2025", "to": "x", "kind": "?",
    "period": "NOPE", "format": "exe", "issuer": "NOPE",
}  # fmt: skip
ACCOUNTS = ["admin", "thuongtruc", "lanhdao", "bc.16681", "ld.16681", "bc.skhcn", "ld.syt"]


def pages() -> list[str]:
    assignment = Assignment.objects.filter(unit__code="16681").select_related("task").first()
    task = assignment.task.code if assignment else "NONE"
    report = UnitReport.objects.filter(period__code="2025-Q3").select_related("unit").first()
    unit = report.unit.code if report else "16681"
    event = StatusEvent.objects.order_by("-id").first()
    evidence = f"/tasks/evidence/{event.pk if event else 1}/"
    attachment = Attachment.objects.first()
    attached = f"/reports/2025-Q3/{unit}/attachments/{attachment.pk if attachment else 1}/"
    first = Indicator.objects.order_by("code").first()
    indicator = first.code if first else "NONE"
    return [
        "/", "/units/", "/units/export.xlsx", "/units/16681/", "/units/16681/edit/",
        "/units/16681/history/", "/units/NOPE/", "/accounts/", "/accounts/new/",
        "/accounts/import/", "/accounts/import/template.xlsx", "/accounts/1/", "/accounts/999999/",
        "/tasks/", "/tasks/export.xlsx", "/tasks/import/", "/tasks/import/template.xlsx",
        "/tasks/removals/", f"/tasks/{task}/", "/tasks/NOPE/", evidence,
        "/reports/", "/reports/periods/new/", "/reports/2025-Q3/board/",
        "/reports/2025-Q3/board.xlsx", f"/reports/2025-Q3/{unit}/", "/reports/2025-Q3/16681/",
        "/reports/NOPE/16681/", attached,
        "/notifications/", "/password/change/", "/indicators/", "/indicators/?period=2025-Q3",
        f"/indicators/{indicator}/", "/indicators/NOPE/", "/indicators/violations/",
        "/indicators/violations/?period=2025-Q3", "/indicators/import/",
        "/indicators/import/template.xlsx",
        "/dashboard/", "/dashboard/?unit=16681", "/dashboard/?unit=KHOI-XA",
        "/dashboard/?unit=NOPE",
        "/directives/", "/directives/export.xlsx", "/directives/new/", "/directives/1/",
        "/directives/1/edit/", "/directives/1/delete/", "/directives/1/file/",
        "/directives/999999/", "/documents/", "/documents/profiles/",
        "/documents/profiles/quarterly/", "/documents/profiles/NOPE/",
        "/documents/profiles/unit/16681/", "/documents/999999/", "/documents/999999/status/",
        "/documents/999999/download",
    ]  # fmt: skip


def posts(task: str, assignment: int) -> list[str]:
    return [
        "/units/16681/edit/", "/accounts/new/", "/accounts/import/", "/accounts/2/active/",
        "/accounts/2/reset/", "/tasks/import/", f"/tasks/{task}/assignments/{assignment}/status/",
        f"/tasks/{task}/assignments/{assignment}/remove/", "/reports/periods/new/",
        "/reports/2025-Q3/16681/start/", "/reports/2025-Q3/16681/save/",
        "/reports/2025-Q3/16681/move/submit/", "/reports/2025-Q3/16681/move/nope/",
        "/reports/2025-Q3/16681/attachments/", "/reports/2025-Q3/board/remind/",
        "/notifications/read-all/", "/notifications/999/read/",
        "/reports/2025-Q3/16681/figures/", "/indicators/import/",
        "/directives/new/", "/directives/1/edit/", "/directives/1/delete/", "/documents/",
        "/documents/profiles/quarterly/", "/documents/profiles/unit/16681/",
        "/documents/999999/retry/",
    ]  # fmt: skip


def test_no_page_answers_a_server_error(db: None, demo_data: None) -> None:
    assignment = Assignment.objects.filter(unit__code="16681").select_related("task").first()
    assert assignment is not None
    urls = pages()
    for username in ACCOUNTS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url in urls:
            for params in ({}, JUNK):
                assert client.get(url, params).status_code < 500, (username, url, params)
        for url in posts(assignment.task.code, assignment.pk):
            assert client.post(url, JUNK).status_code < 500, (username, url)
