"""The figures' import page over HTTP: a reporter imports its own unit's figures, another unit's
rows are named and nothing is saved, viewers are refused, the template downloads."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import DataElement, DataValue
from indicators.tests.conftest import element
from indicators.tests.test_imports import workbook
from nq57.xlsx import XLSX_CONTENT_TYPE
from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from periods.models import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def elements(people: People) -> list[DataElement]:
    return [element(people, "HS_TONG"), element(people, "HS_TT")]


def upload(rows: list[tuple[object, ...]], sheet: str = "2025-Q3") -> SimpleUploadedFile:
    data = workbook({sheet: rows}).getvalue()
    return SimpleUploadedFile("so-lieu.xlsx", data, content_type=XLSX_CONTENT_TYPE)


def test_reporter_imports_its_own_figures(
    tree: Tree, people: People, q3: Period, elements: list[DataElement]
) -> None:
    client = client_for(people.reporter)
    address = reverse("reporting:figure_import")
    assert client.get(address).status_code == 200
    rows: list[tuple[object, ...]] = [("16681", "HS_TONG", 120), ("16681", "HS_TT", 70)]
    preview = client.post(address, {"file": upload(rows), "dry_run": "on"}, follow=True)
    assert preview.status_code == 200
    assert "Xem trước" in preview.content.decode()
    assert not DataValue.objects.exists()
    response = client.post(address, {"file": upload(rows)}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-summary"' in page
    assert "Đã nhập xong" in page and "Tạo mới: 2" in page
    saved = dict(DataValue.objects.values_list("element__code", "value"))
    assert saved == {"HS_TONG": Decimal(120), "HS_TT": Decimal(70)}
    again = client.post(address, {"file": upload(rows)}, follow=True).content.decode()
    assert "Không thay đổi: 2" in again


def test_another_units_rows_are_named_and_nothing_saved(
    tree: Tree, people: People, q3: Period, elements: list[DataElement]
) -> None:
    rows: list[tuple[object, ...]] = [("16681", "HS_TONG", 1), ("16690", "HS_TONG", 1)]
    response = client_for(people.reporter).post(
        reverse("reporting:figure_import"), {"file": upload(rows)}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-errors"' in page
    assert "Dòng 3" in page and "không được nhập số liệu" in page
    assert 'data-testid="import-summary"' not in page
    assert not DataValue.objects.exists()


def test_viewer_is_refused(tree: Tree, people: People) -> None:
    client = client_for(people.province_viewer)
    assert client.get(reverse("reporting:figure_import")).status_code == 403
    assert client.get(reverse("indicators:import_template")).status_code == 403


def test_template_downloads_and_only_by_get(tree: Tree, people: People, q3: Period) -> None:
    client = client_for(people.reporter)
    address = reverse("indicators:import_template")
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    assert book.sheetnames == ["2025-Q3"]
    assert client.post(address).status_code == 405
    assert client_for(people.standing).get(address).status_code == 200


def test_list_links_to_the_import(tree: Tree, people: People, q3: Period) -> None:
    q3.required_units.set([tree.commune, tree.other_commune, tree.dept])
    page = client_for(people.reporter).get(reverse("indicators:list")).content.decode()
    assert reverse("reporting:figure_import") in page
    page = client_for(people.province_viewer).get(reverse("indicators:list")).content.decode()
    assert reverse("reporting:figure_import") not in page


def test_the_page_asks_a_comment_to_confirm_warnings(
    tree: Tree, people: People, q3: Period, elements: list[DataElement]
) -> None:
    from indicators.models import ConfirmedWarning, RuleKind, ValidationRule

    ValidationRule.objects.create(
        code="HS_MAX", kind=RuleKind.RANGE, severity="warning", element=elements[1], max_value=50
    )
    client = client_for(people.reporter)
    address = reverse("reporting:figure_import")
    rows: list[tuple[object, ...]] = [("16681", "HS_TT", 70)]
    refused = client.post(address, {"file": upload(rows)}, follow=True).content.decode()
    assert "Cảnh báo: HS_TT: giá trị (70) ngoài khoảng cho phép" in refused
    assert 'name="comment"' in refused and 'name="confirm"' in refused
    blank = client.post(address, {"file": upload(rows), "confirm": "on", "comment": " "})
    assert "Ghi rõ vì sao số liệu có cảnh báo vẫn đúng" in blank.content.decode()
    assert not DataValue.objects.exists() and not ConfirmedWarning.objects.exists()
    data = {"file": upload(rows), "confirm": "on", "comment": "Số liệu đúng theo sổ"}
    done = client.post(address, data, follow=True).content.decode()
    assert "Đã nhập xong" in done and "Cảnh báo đã xác nhận" in done
    confirmation = ConfirmedWarning.objects.get()
    assert (confirmation.comment, confirmation.confirmed_by) == (
        "Số liệu đúng theo sổ",
        people.reporter,
    )
