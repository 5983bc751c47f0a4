"""Headers, limits and failures of the served system (issue 18, findings 6, 7, 8 and build item 5):
each case is what an attacker or the deadline hour did to the system before it was fixed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from django import forms
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.debug import ExceptionReporter

from nq57.errors import PrivateExceptionReporter, server_error
from nq57.uploads import checked_upload
from nq57.xlsx import ImportRejected, build_workbook, read_rows
from org.tests.conftest import People

ROOT = Path(__file__).resolve().parents[2]


# --- headers ---------------------------------------------------------------------------------


def test_every_page_carries_the_security_headers(people: People) -> None:
    client = Client()
    anonymous = client.get(reverse("login"))
    client.force_login(people.reporter)
    signed_in = client.get(reverse("org:unit_list"))
    for response in (anonymous, signed_in):
        policy = response["Content-Security-Policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("style-src-attr")[0]
        )
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in signed_in["Cache-Control"] and "private" in signed_in["Cache-Control"]


def test_no_template_has_inline_script_or_event_handlers() -> None:
    """The CSP forbids inline script; this keeps the templates to it (scripts are static files)."""
    offenders = []
    for template in ROOT.glob("*/templates/**/*.html"):
        text = template.read_text()
        for number, line in enumerate(text.splitlines(), start=1):
            inline_script = (
                "<script" in line and " src=" not in line and "application/json" not in line
            )
            handler = any(
                f" on{event}=" in line
                for event in ("click", "change", "submit", "load", "input", "error")
            )
            if inline_script or handler or "javascript:" in line:
                offenders.append(f"{template.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_html_is_compressed(people: People) -> None:
    client = Client()
    client.force_login(people.reporter)
    response = client.get(reverse("org:unit_list"), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(
        SECRET_KEY="k" * 60 + "-production-like-secret",
        ALLOWED_HOSTS="nq57.example.vn",
        NQ57_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- request limits --------------------------------------------------------------------------


def test_an_oversized_request_is_refused_before_it_is_read(people: People) -> None:
    client = Client()
    client.force_login(people.standing)
    body = mock.Mock(side_effect=AssertionError("the body was read"))
    with mock.patch("django.core.handlers.wsgi.LimitedStream.read", body):
        response = client.generic(
            "POST", reverse("tasks:task_import"), b"", CONTENT_LENGTH=str(300 * 1024 * 1024)
        )
    assert response.status_code == 413
    assert "Tệp lớn hơn 20 MB" in response.content.decode()


@pytest.mark.parametrize("query", ["period=%00", "q=%00", "unit=a%00b", "%00=1"])
def test_a_nul_byte_in_the_query_is_a_clear_400(people: People, query: str) -> None:
    client = Client()
    client.force_login(people.standing)
    for path in ("/indicators/", "/units/", "/accounts/", "/dashboard/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, path
        assert "ký tự không hợp lệ" in response.content.decode()


# --- failures --------------------------------------------------------------------------------


def test_a_database_outage_is_a_vietnamese_503_without_trace(db: None) -> None:
    request = RequestFactory().get("/dashboard/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 503
    assert "Cơ sở dữ liệu tạm thời không trả lời" in page and "Traceback" not in page


def test_a_full_disk_is_a_clear_507(db: None) -> None:
    request = RequestFactory().post("/reports/")
    try:
        raise OSError(28, "No space left on device")
    except OSError:
        response = server_error(request)
    assert response.status_code == 507 and "hết chỗ lưu trữ" in response.content.decode()


def test_an_error_page_renders_without_the_database(people: People) -> None:
    """Served with DEBUG off (as in production): the session and the page's own queries fail,
    the user still gets the Vietnamese page."""
    client = Client(raise_request_exception=False)
    client.force_login(people.reporter)
    outage = OperationalError("the database system is starting up")
    with mock.patch("org.views.queries.visible_units", side_effect=outage):
        response = client.get(reverse("org:unit_list"))
    assert response.status_code == 503
    assert 'data-testid="error-page"' in response.content.decode()


def test_error_reports_carry_no_personal_data(people: People) -> None:
    request = RequestFactory().post(
        "/accounts/new/?q=Nguyễn+Văn+An",
        {"full_name": "Nguyễn Văn An", "email": "an@example.vn"},
        HTTP_COOKIE="sessionid=bi-mat",
    )
    request.user = people.reporter
    try:
        full_name = "Nguyễn Văn An"  # a local variable of the failing frame
        raise ValueError(f"failed for {len(full_name)}")
    except ValueError:
        exc_info = sys.exc_info()
    text = PrivateExceptionReporter(request, *exc_info).get_traceback_text()
    for secret in ("Nguyễn", "an@example.vn", "bi-mat", people.reporter.username):
        assert secret not in text
    assert "ValueError" in text and "/accounts/new/" in text
    assert issubclass(PrivateExceptionReporter, ExceptionReporter)
    assert len(mail.outbox) == 0


# --- uploads ---------------------------------------------------------------------------------

PDF_TAIL = b"\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>" + PDF_TAIL),
        ("bao-cao.pdf", b"%PDF-1.4\nMZ\x90\x00This program cannot be run in DOS mode" + PDF_TAIL),
        ("anh.png", b"\x89PNG\r\n\x1a\n<svg onload=alert(1)>"),
        ("anh.jpg", b"\xff\xd8\xff\xe0<!DOCTYPE html><body>"),
    ],
)
def test_active_content_behind_a_good_header_is_refused(name: str, content: bytes) -> None:
    with pytest.raises(forms.ValidationError):
        checked_upload(SimpleUploadedFile(name, content))


def test_a_plain_pdf_and_a_photo_are_accepted() -> None:
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nxref\n0 1\n" + PDF_TAIL
    assert checked_upload(SimpleUploadedFile("bc.pdf", pdf)) == "bc.pdf"
    photo = b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 10 + b"\xff\xd9extra"
    assert checked_upload(SimpleUploadedFile("anh.jpg", photo)) == "anh.jpg"


def office_bomb(kind: str, unpacked_mb: int) -> bytes:
    """A real Office file plus one part of zeros: a few hundred KB that unpack to `unpacked_mb`."""
    base = build_workbook("Trang", ["A"], [["x"]])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        if kind == "docx":
            target.writestr("word/document.xml", "<w:document/>")
        with target.open("xl/worksheets/sheet2.xml", "w") as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(unpacked_mb):
                part.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_a_zip_bomb_is_refused_from_its_directory(
    kind: str, settings: pytest.FixtureRequest
) -> None:
    settings.OFFICE_MAX_UNPACKED_MB = 50  # type: ignore[attr-defined]
    bomb = office_bomb(kind, 60)
    assert len(bomb) < 200 * 1024
    with pytest.raises(forms.ValidationError, match="giải nén ra quá lớn"):
        checked_upload(SimpleUploadedFile(f"tep.{kind}", bomb))


def test_an_xlsx_bomb_is_refused_before_parsing(settings: pytest.FixtureRequest) -> None:
    settings.OFFICE_MAX_UNPACKED_MB = 50  # type: ignore[attr-defined]
    with mock.patch("nq57.xlsx.load_workbook") as parse, pytest.raises(ImportRejected) as refused:
        read_rows(io.BytesIO(office_bomb("xlsx", 60)), "Trang", ["A"])
    parse.assert_not_called()
    assert "giải nén ra quá lớn" in str(refused.value)


def test_macros_are_refused() -> None:
    base = build_workbook("Trang", ["A"], [])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"macro")
    with pytest.raises(forms.ValidationError, match="macro"):
        checked_upload(SimpleUploadedFile("so-lieu.xlsx", buffer.getvalue()))


def test_rows_beyond_the_cap_are_refused(settings: pytest.FixtureRequest) -> None:
    settings.IMPORT_MAX_ROWS = 100  # type: ignore[attr-defined]
    content = build_workbook("Trang", ["A"], [[f"d{i}"] for i in range(150)])
    with pytest.raises(ImportRejected, match="hơn 100 dòng"):
        read_rows(io.BytesIO(content), "Trang", ["A"])
    assert (
        len(read_rows(io.BytesIO(build_workbook("Trang", ["A"], [["x"]] * 100)), "Trang", ["A"]))
        == 100
    )


def test_a_formula_without_its_value_is_named_as_a_formula() -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Trang"
    sheet.append(["Mã", "Giá trị"])
    sheet.append(["A", "=SUM(C2:C9)"])  # openpyxl saves no computed value, like some tools
    sheet.append(["B", 5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with pytest.raises(ImportRejected) as refused:
        read_rows(buffer, "Trang", ["Mã", "Giá trị"])
    [error] = refused.value.errors
    assert error.row == 2 and error.column == "Giá trị"
    assert "công thức =SUM(C2:C9)" in error.message and "Chưa nhập" not in error.message
