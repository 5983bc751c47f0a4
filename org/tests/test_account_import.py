"""Bulk account import from XLSX: all-or-nothing, every bad row and column named in Vietnamese."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nq57.xlsx import ImportRejected, build_workbook
from org import services
from org.account_rows import HEADERS, SHEET, parse_account_file
from org.models import User
from org.tests.conftest import People

GOOD = ("16681", "Nguyễn Văn An", "an@example.vn", "0912345678", "Cán bộ đầu mối báo cáo", "")


def xlsx(rows: Sequence[Sequence[Any]], headers: Sequence[str] = HEADERS) -> io.BytesIO:
    return io.BytesIO(build_workbook(SHEET, headers, rows))


def import_file(actor: User, rows: Sequence[Sequence[Any]]) -> list[services.CreatedAccount]:
    return services.create_accounts(actor=actor, rows=parse_account_file(xlsx(rows)))


def test_good_file_creates_every_account_with_one_time_passwords(people: People) -> None:
    rows = [GOOD, ("16690", "Trần Thị Bình", "", "", "unit_head", "binh.16690")]
    created = import_file(people.communes_admin, rows)
    assert [c.user.username for c in created] == ["an@example.vn", "binh.16690"]
    an = User.objects.get(username="an@example.vn")
    assert an.role == "reporter" and an.phone == "0912345678" and an.must_change_password
    assert len({c.password for c in created}) == 2


def test_bad_rows_create_nothing_and_are_all_named(people: People) -> None:
    rows = [
        GOOD,  # row 2: fine
        ("99999", "Người Lạ", "la@example.vn", "", "reporter", ""),  # 3: unknown unit
        ("16681", "Trùng Thư", "AN@example.vn", "", "reporter", "khac"),  # 4: e-mail repeated
        ("16681", "Trùng Tên", "", "", "reporter", "bc"),  # 5: username taken
        ("16681", "Sai Vai Trò", "", "", "chủ tịch", "vt"),  # 6: unknown role
        ("16681", "", "", "", "reporter", "rong"),  # 7: empty name
        ("SKHCN", "Ngoài Nhánh", "", "", "reporter", "nn"),  # 8: outside the admin's subtree
        ("16681", "Thư Sai", "khong-phai-thu", "", "reporter", "ts"),  # 9: bad e-mail
        ("16681", "Đã Có Thư", people.reporter.email, "", "reporter", "dc"),  # 10: e-mail taken
    ]
    before = User.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        import_file(people.communes_admin, rows)
    found = {(e.row, e.column) for e in rejected.value.errors}
    assert found == {
        (2, "Thư điện tử"),
        (3, "Mã đơn vị"),
        (4, "Thư điện tử"),
        (5, "Tên đăng nhập"),
        (6, "Vai trò"),
        (7, "Họ và tên"),
        (8, "Mã đơn vị"),
        (9, "Thư điện tử"),
        (10, "Thư điện tử"),
    }
    assert "Dòng 3, cột “Mã đơn vị”: Không có đơn vị mã “99999”" in str(rejected.value)
    assert User.objects.count() == before


def test_missing_column_and_wrong_file_are_rejected(people: People) -> None:
    with pytest.raises(ImportRejected) as rejected:
        import_file_headers = parse_account_file(xlsx([GOOD[:5]], HEADERS[:5]))
        services.create_accounts(actor=people.communes_admin, rows=import_file_headers)
    assert "Thiếu cột: Tên đăng nhập" in str(rejected.value)
    with pytest.raises(ImportRejected) as rejected:
        parse_account_file(io.BytesIO(b"not a spreadsheet"))
    assert "không phải là bảng tính XLSX" in str(rejected.value)


def test_import_page_lists_errors_and_creates_nothing(people: People) -> None:
    client = Client()
    client.force_login(people.communes_admin)
    bad = xlsx([GOOD, ("99999", "", "", "", "x", "y")]).getvalue()
    upload = SimpleUploadedFile("tk.xlsx", bad)
    response = client.post(reverse("org:account_import"), {"file": upload}, follow=True)
    content = response.content.decode()
    assert response.status_code == 200 and "import-errors" in content
    assert "Dòng 3, cột “Họ và tên”" in content
    assert not User.objects.filter(email="an@example.vn").exists()
    good = SimpleUploadedFile("tk.xlsx", xlsx([GOOD]).getvalue())
    response = client.post(reverse("org:account_import"), {"file": good}, follow=True)
    assert b"created-accounts" in response.content
    assert User.objects.filter(email="an@example.vn").exists()


def test_import_page_refuses_other_file_types_and_non_managers(people: People) -> None:
    client = Client()
    client.force_login(people.communes_admin)
    exe = SimpleUploadedFile("tk.exe", b"MZ\x90\x00")
    assert (
        "Chỉ nhận tệp XLSX"
        in client.post(reverse("org:account_import"), {"file": exe}).content.decode()
    )
    client.force_login(people.reporter)
    upload = SimpleUploadedFile("tk.xlsx", xlsx([GOOD]).getvalue())
    assert client.post(reverse("org:account_import"), {"file": upload}).status_code == 403
    assert not User.objects.filter(email="an@example.vn").exists()


def test_template_download_has_the_headers(people: People) -> None:
    client = Client()
    client.force_login(people.communes_admin)
    content = client.get(reverse("org:account_template")).content
    rows = parse_account_file(io.BytesIO(content))
    assert rows == []


printable = st.characters(blacklist_categories=("Cc", "Cs"))
cell = st.one_of(
    st.none(), st.text(printable, max_size=20), st.integers(), st.floats(allow_nan=False)
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(*[cell] * len(HEADERS)), min_size=1, max_size=5))
def test_any_cells_give_all_accounts_or_named_errors(people: People, rows: list[tuple]) -> None:
    before = User.objects.count()
    try:
        created = import_file(people.communes_admin, rows)
    except ImportRejected as rejected:
        assert rejected.errors and User.objects.count() == before
        assert all(e.row >= 1 and (e.column in HEADERS or e.row == 1) for e in rejected.errors)
    else:
        assert User.objects.count() == before + len(created)


def test_broken_workbook_is_a_clear_error_not_a_crash(people: People) -> None:
    import zipfile

    good = xlsx([GOOD]).getvalue()
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[: len(data) // 2] if "sheet1" in item.filename else data)
    broken.seek(0)
    with pytest.raises(ImportRejected) as rejected:
        parse_account_file(broken)
    assert "không phải là bảng tính XLSX" in str(rejected.value)
