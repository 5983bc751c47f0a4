"""The product workbook: export then import changes nothing; an import registers or changes
drafts, all or nothing, every bad cell named (row, column, Vietnamese)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from indicators.models import Indicator
from nq57.xlsx import ImportRejected
from org.tests.test_views import client_for
from products import interchange
from products.models import Product
from products.tests.conftest import Cast, accepted, register

pytestmark = pytest.mark.django_db


def sheet(*rows: dict[str, Any]) -> io.BytesIO:
    book = Workbook()
    ws = book.active
    ws.title = interchange.SHEET
    ws.append(list(interchange.HEADERS))
    for row in rows:
        ws.append([row.get(h) for h in interchange.HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


ROW = {
    "Mã đơn vị": "16681",
    "Năm": 2026,
    "Tên sản phẩm": "Chợ không dùng tiền mặt",
    "Kết quả mang lại": "Thanh toán bằng mã QR",
    "Đối tượng thụ hưởng": "Tiểu thương",
    "Chỉ số đo kết quả": "Số hộ kinh doanh",
    "Đơn vị tính": "hộ",
    "Giá trị ban đầu": 20,
    "Giá trị mục tiêu": 150,
    "Mã lĩnh vực": "NTS",
    "Kinh phí (đồng)": "50.000.000",
    "Nguồn kinh phí": "Xã hội hóa",
    "Người chịu trách nhiệm": "Lê Thị C",
    "Hạn hoàn thành": "30/11/2026",
    "Các mốc (ngày: nội dung; …)": "31/03/2026: Khảo sát",
}


def test_an_exported_file_imported_again_changes_nothing(cast: Cast) -> None:
    one = accepted(cast, area=cast.area, description="Mô tả\ndòng hai")
    register(cast.people.reporter, title="Bản nháp", baseline=Decimal("12.5"), milestones=[])
    before = list(Product.objects.values())
    content = interchange.workbook(Product.objects.order_by("code"))
    summary = interchange.import_products(actor=cast.people.standing, source=io.BytesIO(content))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    assert list(Product.objects.values()) == before
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == (one.code, "16681", 2026) and rows[1][-1] == "Đã được chấp nhận"
    assert rows[1][-2] == "31/03/2026: Khảo sát; 30/09/2026: Vận hành"


def test_import_registers_and_changes_drafts(cast: Cast) -> None:
    draft = register(cast.people.reporter, title="Cũ")
    Indicator.objects.create(code="TL_TT", name="Tỷ lệ", formula="1", period_kind="month")
    changed = ROW | {
        "Mã sản phẩm": draft.code,
        "Tên sản phẩm": "Mới",
        "Mã chỉ tiêu liên quan": "TL_TT",
    }
    summary = interchange.import_products(actor=cast.people.reporter, source=sheet(ROW, changed))
    assert (summary.created, summary.updated) == (1, 1)
    draft.refresh_from_db()
    assert draft.title == "Mới" and list(draft.indicators.values_list("code", flat=True)) == [
        "TL_TT"
    ]
    new = Product.objects.get(title="Chợ không dùng tiền mặt")
    assert (new.budget, new.fund_source, new.area) == (50_000_000, "xa_hoi_hoa", cast.area)
    assert [(m.due_on, m.title) for m in new.milestones.all()] == [(date(2026, 3, 31), "Khảo sát")]


def test_every_bad_cell_is_named_and_nothing_is_saved(cast: Cast) -> None:
    locked = accepted(cast)
    rows = [
        ROW | {"Mã đơn vị": "16690"},  # another unit: not the reporter's
        ROW | {"Năm": "hai nghìn", "Giá trị mục tiêu": "nhiều", "Nguồn kinh phí": "Vay"},
        ROW | {"Hạn hoàn thành": "31/02/2026", "Mã lĩnh vực": "XX", "Mã nhiệm vụ liên quan": "T9"},
        ROW | {"Các mốc (ngày: nội dung; …)": "sớm: Khảo sát"},
        ROW | {"Mã sản phẩm": locked.code, "Tên sản phẩm": "Sửa sau khi chấp nhận"},
        ROW | {"Hạn hoàn thành": "30/11/2027"},  # the service's rule: within the year
        ROW,  # fine, but the file is refused as a whole
    ]
    with pytest.raises(ImportRejected) as rejected:
        interchange.import_products(actor=cast.people.reporter, source=sheet(*rows))
    assert [str(e) for e in rejected.value.errors] == [
        "Dòng 2, cột “Mã đơn vị”: Không có đơn vị mã này, hoặc bạn không được đăng ký cho đơn "
        "vị đó.",
        "Dòng 3, cột “Năm”: Năm phải là số, ví dụ 2026.",
        "Dòng 3, cột “Giá trị mục tiêu”: Phải là số.",
        "Dòng 3, cột “Nguồn kinh phí”: Nguồn kinh phí là một trong: Ngân sách tỉnh, Ngân sách "
        "trung ương, Xã hội hóa, Khác.",
        "Dòng 4, cột “Hạn hoàn thành”: Ngày phải viết dạng dd/mm/yyyy.",
        "Dòng 4, cột “Hạn hoàn thành”: Phải nêu hạn hoàn thành.",
        "Dòng 4, cột “Mã lĩnh vực”: Không có lĩnh vực mã “XX”.",
        "Dòng 4, cột “Mã nhiệm vụ liên quan”: Không có nhiệm vụ: T9.",
        "Dòng 5, cột “Các mốc (ngày: nội dung; …)”: Mốc “sớm: Khảo sát” phải viết dạng dd/mm/yyyy: "
        "nội dung.",
        "Dòng 6, cột “Mã sản phẩm”: Sản phẩm đã gửi lên; chỉ sửa được khi đang soạn hoặc bị trả "
        "lại.",
        "Dòng 7, cột “Hạn hoàn thành”: Hạn hoàn thành phải trong năm 2026.",
    ]
    assert Product.objects.count() == 1


def test_a_missing_column_and_a_bad_file(cast: Cast) -> None:
    book = Workbook()
    book.active.title = interchange.SHEET
    book.active.append(["Mã đơn vị", "Năm"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(ImportRejected) as missing:
        interchange.import_products(actor=cast.people.reporter, source=buffer)
    assert str(missing.value.errors[0]).startswith("Dòng 1, cột “”: Thiếu cột: Mã sản phẩm, Tên")
    with pytest.raises(ImportRejected) as garbage:
        interchange.import_products(actor=cast.people.reporter, source=io.BytesIO(b"not xlsx"))
    assert str(garbage.value.errors[0]) == "Tệp không phải là bảng tính XLSX hợp lệ."


def test_the_import_page_dry_run(cast: Cast) -> None:
    client = client_for(cast.people.reporter)
    upload = sheet(ROW)
    upload.name = "san-pham.xlsx"
    response = client.post(reverse("products:import"), {"file": upload, "dry_run": "on"})
    assert "Xem trước — chưa lưu gì." in response.content.decode()
    assert not Product.objects.exists()
    template = client.get(reverse("products:template"))
    headers = next(load_workbook(io.BytesIO(b"".join(template.streaming_content))).active.values)
    assert headers == interchange.HEADERS
