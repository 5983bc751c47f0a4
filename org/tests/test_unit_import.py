"""`import_units FILE.{csv,xlsx}`: another province loads its own tree after bootstrap_province —
all or nothing, every bad row and column named, --dry-run; export then import changes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from nq57.xlsx import ImportRejected, build_workbook
from org import services
from org.models import ChangeKind, Unit, UnitChange
from org.queries import EXPORT_HEADERS
from org.tests.conftest import People, Tree
from org.unit_rows import parse_unit_file

TREE = """code,name,type,parent_code
P,Đơn vị P,tinh,
K-XA,Đơn vị K-XA,khoi,P
X10,Xã Mười,Xã,K-XA
X11,Phường Mười Một,phuong,K-XA
K-MOI,Khối mới,khoi,P
S10,Sở Mười,so_nganh,K-MOI
"""


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8-sig"))


def test_a_tree_loads_parents_first_and_is_recorded(people: People, tree: Tree) -> None:
    rows = parse_unit_file(_csv(TREE.replace("S10,Sở Mười,so_nganh,K-MOI\n", "")
                                + "S10,Sở Mười,so_nganh,K-MOI\n"))  # fmt: skip
    summary = services.import_units(actor=people.standing, rows=rows)
    assert (summary.created, summary.unchanged) == (4, 2)  # P and K-XA are there already
    assert Unit.objects.get_parent(Unit.objects.get(code="S10")).code == "K-MOI"
    assert Unit.objects.get(code="X10").unit_type == "xa"  # typed as its Vietnamese name
    assert UnitChange.objects.filter(kind=ChangeKind.CREATE).count() == 4
    again = services.import_units(actor=people.standing, rows=rows)
    assert (again.created, again.unchanged) == (0, 6)


def test_export_then_import_changes_nothing(people: People, tree: Tree, tmp_path: Path) -> None:
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"don-vi.{suffix}"
        call_command("export_units", str(out), stdout=io.StringIO())
        before = list(Unit.objects.values_list("code", "name", "path"))
        with out.open("rb") as handle:
            summary = services.import_units(actor=people.standing, rows=parse_unit_file(handle))
        assert summary.created == 0 and summary.unchanged == len(before)
        assert list(Unit.objects.values_list("code", "name", "path")) == before


def test_every_bad_row_is_named_and_nothing_is_saved(people: People, tree: Tree) -> None:
    bad = TREE + (
        "X10,Xã lặp,xa,K-XA\n"
        "bad code,Xã,xa,K-XA\n"
        "X12,,thon,K-XA\n"
        "X13,Xã Mười Ba,xa,KHONG\n"
        "16681,Tên khác,phuong,K-XA\n"
        "X14,Xã Mười Bốn,xa,X15\n"
        "X15,Xã Mười Lăm,xa,X14\n"
        "R,Tỉnh khác,tinh,\n"
    )
    with pytest.raises(ImportRejected) as refused:
        services.import_units(actor=people.standing, rows=parse_unit_file(_csv(bad)))
    found = [str(e) for e in refused.value.errors]
    assert found == [
        "Dòng 4, cột “code”: Mã đơn vị bị lặp trong tệp.",
        "Dòng 8, cột “code”: Mã đơn vị bị lặp trong tệp.",
        "Dòng 9, cột “code”: Mã đơn vị trống hoặc có ký tự không hợp lệ "
        "(chỉ chữ, số, “.”, “_”, “-”).",
        "Dòng 10, cột “name”: Tên đơn vị trống hoặc dài quá 255 ký tự.",
        "Dòng 10, cột “type”: Loại đơn vị “thon” không có; dùng một trong: tinh, ban_chi_dao, "
        "thuong_truc, khoi, co_quan_dang, so_nganh, nganh_doc, mttq, xa, phuong.",
        "Dòng 11, cột “parent_code”: Không có đơn vị mã “KHONG” trong phạm vi bạn quản lý.",
        "Dòng 12, cột “name”: Mã “16681” đã có trong cây đơn vị với giá trị khác; tệp chỉ thêm "
        "đơn vị mới. Đổi tên, chuyển, sáp nhập trên trang của đơn vị.",
        "Dòng 13, cột “parent_code”: Đơn vị cấp trên “X15” không có hoặc có lỗi.",
        "Dòng 14, cột “parent_code”: Đơn vị cấp trên “X14” không có hoặc có lỗi.",
        "Dòng 15, cột “parent_code”: Chỉ đơn vị gốc (tỉnh, đã khởi tạo) không có đơn vị cấp trên.",
    ]  # fmt: skip
    assert not Unit.objects.filter(code__in=["X11", "K-MOI", "S10"]).exists()


def test_only_structure_managers_import(people: People, tree: Tree) -> None:
    rows = parse_unit_file(_csv(TREE))
    with pytest.raises(PermissionDenied):
        services.import_units(actor=people.communes_admin, rows=rows)
    assert not Unit.objects.filter(code="X10").exists()


def test_the_command_dry_run_and_errors(people: People, tree: Tree, tmp_path: Path) -> None:
    source = tmp_path / "cay.xlsx"
    lines = [line.split(",") for line in TREE.strip().splitlines()[1:]]
    source.write_bytes(build_workbook("Đơn vị", EXPORT_HEADERS, lines))
    out = io.StringIO()
    call_command("import_units", str(source), "--dry-run", stdout=out)
    assert out.getvalue().strip() == ("Dry run — nothing saved. 4 units created, 2 already there.")
    assert not Unit.objects.filter(code="X10").exists()
    call_command("import_units", str(source), stdout=out)
    assert Unit.objects.filter(code__in=["X10", "X11", "K-MOI", "S10"]).count() == 4
    broken = tmp_path / "hong.csv"
    broken.write_text("code,name\nX,Y\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"1 errors; nothing was imported\."):
        call_command("import_units", str(broken), stderr=err)
    assert "Thiếu cột: type, parent_code." in err.getvalue()


def test_a_csv_not_in_utf8_is_named(people: People, tree: Tree) -> None:
    with pytest.raises(ImportRejected) as refused:
        parse_unit_file(io.BytesIO(b"code,name,type,parent_code\nX,X\xe3,xa,K-XA\n"))  # Latin-1
    assert str(refused.value.errors[0]) == "Tệp CSV phải được lưu với bảng mã UTF-8."
