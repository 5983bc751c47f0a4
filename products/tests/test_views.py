"""Every product page over HTTP by role and unit: works / outsider 404 / read-only 403 / wrong
method 405; denied writes change nothing; the evidence file only to those who may read it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from org.tests.test_views import client_for
from products import services
from products.models import Product, ProductReminder, ProductState
from products.queries import list_url
from products.services import Delivery
from products.tests.conftest import Cast, accepted, register
from tasks.models import Area

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any) -> str:
    return reverse(f"products:{name}", args=args)


# (person, status of the detail page of 16681's product)
DETAIL = [
    ("reporter", 200),
    ("head", 200),
    ("standing", 200),
    ("province_viewer", 200),
    ("communes_admin", 200),
    ("other_reporter", 404),
    ("dept_reporter", 404),
]


@pytest.mark.parametrize(("person", "status"), DETAIL)
def test_detail_by_role(cast: Cast, person: str, status: int) -> None:
    product = register(cast.people.reporter)
    assert (
        client_for(getattr(cast.people, person)).get(url("detail", product.pk)).status_code
        == status
    )


@pytest.mark.parametrize(
    ("person", "status"),
    [("reporter", 200), ("standing", 200), ("head", 403), ("province_viewer", 403)],
)
def test_registering_by_role(cast: Cast, person: str, status: int) -> None:
    client = client_for(getattr(cast.people, person))
    assert client.get(url("create")).status_code == status
    assert client.get(url("import")).status_code == status


def test_a_reporter_registers_and_the_head_approves_by_pages(cast: Cast) -> None:
    people = cast.people
    client = client_for(people.reporter)
    response = client.post(
        url("create"),
        {
            "unit": people.reporter.unit.pk,
            "year": "2026",
            "title": "Wifi nhà văn hóa",
            "expected_result": "Người dân truy cập Internet miễn phí",
            "beneficiaries": "Người dân",
            "measure": "Số điểm wifi",
            "measure_unit": "điểm",
            "baseline": "0",
            "target": "12",
            "area": cast.area.pk,
            "budget": "150000000",
            "fund_source": "xa_hoi_hoa",
            "owner_name": "Trần Văn B",
            "due_on": "30/06/2026",
            "milestones": "31/03/2026: Lắp đặt 6 điểm\n30/06/2026: Lắp đặt 6 điểm còn lại",
        },
    )
    product = Product.objects.get()
    assert response.status_code == 302 and product.milestones.count() == 2
    assert client.post(url("move", product.pk, "submit")).status_code == 302
    # The head of another unit, the viewer: nothing moves.
    assert client_for(cast.head_b).post(url("move", product.pk, "approve")).status_code == 404
    assert (
        client_for(people.province_viewer).post(url("move", product.pk, "approve")).status_code
        == 403
    )
    assert Product.objects.get().state == ProductState.SUBMITTED
    page = client_for(people.head).get(url("detail", product.pk)).content.decode()
    assert 'data-testid="approve"' in page and 'data-testid="return-form"' in page
    client_for(people.head).post(url("move", product.pk, "approve"))
    client_for(people.standing).post(url("move", product.pk, "accept"))
    assert Product.objects.get().state == ProductState.ACCEPTED
    assert client.get(url("move", product.pk, "accept")).status_code == 405


def test_a_bad_registration_keeps_what_was_typed(cast: Cast) -> None:
    response = client_for(cast.people.reporter).post(
        url("create"),
        {
            "unit": cast.people.reporter.unit.pk,
            "year": "2026",
            "title": "Chợ 4.0",
            "expected_result": "Thanh toán số",
            "beneficiaries": "Tiểu thương",
            "budget": "0",
            "fund_source": "khac",
            "owner_name": "A",
            "due_on": "31/12/2027",
            "milestones": "mốc không có ngày",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200 and not Product.objects.exists()
    assert "Chợ 4.0" in content and "viết dạng dd/mm/yyyy: nội dung" in content


def test_evidence_only_to_those_who_may_read(cast: Cast, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    product = accepted(cast)
    pdf = SimpleUploadedFile("nghiem-thu.pdf", b"%PDF-1.4 nghiem thu", "application/pdf")
    services.deliver(
        actor=cast.people.reporter,
        product=product,
        delivery=Delivery(delivered_on=date(2025, 10, 1), upload=pdf),
    )
    response = client_for(cast.people.province_viewer).get(url("evidence", product.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="nghiem-thu.pdf"' in response["Content-Disposition"]
    assert (
        client_for(cast.people.other_reporter).get(url("evidence", product.pk)).status_code == 404
    )


def test_evaluation_and_progress_by_role(cast: Cast) -> None:
    people = cast.people
    product = accepted(cast)
    milestone = product.milestones.first()
    done = url("milestone_done", product.pk, milestone.pk)
    assert client_for(people.head).post(done, {"done_on": "01/10/2025"}).status_code == 403
    milestone.refresh_from_db()
    assert milestone.done_on is None  # the head does not report progress
    client_for(people.reporter).post(done, {"done_on": "01/10/2025"})
    milestone.refresh_from_db()
    assert milestone.done_on == date(2025, 10, 1)
    services.deliver(
        actor=people.reporter,
        product=product,
        delivery=Delivery(delivered_on=date(2025, 10, 1), evidence_link="https://x.vn"),
    )
    form = {"rating": "vuot", "comment": "Vượt mục tiêu"}
    client_for(people.reporter).post(url("evaluate", product.pk), form)
    assert Product.objects.get().state == ProductState.DELIVERED
    client_for(people.standing).post(url("evaluate", product.pk), form)
    assert Product.objects.get().rating == "vuot"


def test_board_and_reminders(cast: Cast) -> None:
    people = cast.people
    accepted(cast)
    board = client_for(people.standing).get(f"{url('board')}?year=2026").content.decode()
    # SKHCN, SYT, 16690 have nothing; 16681 has an accepted product.
    assert board.count('data-testid="board-row"') == 3 and "Đơn vị 16681" not in board
    assert (
        client_for(people.province_viewer).post(f"{url('board_remind')}?year=2026").status_code
        == 403
    )
    assert not ProductReminder.objects.exists()
    client_for(people.standing).post(f"{url('board_remind')}?year=2026")
    assert ProductReminder.objects.count() == 3
    own = client_for(people.other_reporter).get(f"{url('board')}?year=2026").content.decode()
    assert own.count('data-testid="board-row"') == 1 and 'data-testid="board-remind"' not in own


def test_window_page_is_the_offices(cast: Cast) -> None:
    for person in ("reporter", "head", "province_viewer"):
        assert client_for(getattr(cast.people, person)).get(url("window")).status_code == 403
    response = client_for(cast.people.standing).post(
        url("window"),
        {
            "year": "2027",
            "opens_on": "01/12/2026",
            "closes_on": "15/01/2027",
            "note": "Đăng ký",
        },
    )
    assert response.status_code == 302 and response.url == "/products/?year=2027"


def test_list_queries_are_bounded(cast: Cast, django_assert_max_num_queries: Any) -> None:
    for n in range(12):
        register(cast.people.standing, unit=cast.people.reporter.unit, title=f"Sản phẩm {n}")
    accepted(cast)
    client = client_for(cast.people.standing)
    with django_assert_max_num_queries(16):
        content = client.get(f"{url('list')}?year=2026").content.decode()
    assert content.count('data-testid="product-row"') == 13
    with django_assert_max_num_queries(16):
        assert client.get(url("detail", Product.objects.first().pk)).status_code == 200


def test_the_list_filters_by_area(cast: Cast) -> None:
    """What a report's by-area line opens: the year's accepted products of one area."""
    other = Area.objects.create(code="ANM", name="An ninh mạng", order=1)
    accepted(cast, area=cast.area, title="Cổng dịch vụ công")
    accepted(cast, area=other, title="Giám sát an ninh mạng")
    accepted(cast, title="Chưa xếp lĩnh vực")
    register(cast.people.reporter, area=cast.area, title="Bản nháp")  # not accepted
    client = client_for(cast.people.standing)
    content = client.get(list_url(year=2026, area="NTS", group="registered")).content.decode()
    assert content.count('data-testid="product-row"') == 1
    assert "Cổng dịch vụ công" in content and "Giám sát an ninh mạng" not in content
    content = client.get(list_url(year=2026, area="ANM")).content.decode()
    assert content.count('data-testid="product-row"') == 1
    assert "Giám sát an ninh mạng" in content


def test_the_list_filters_by_kind_of_unit(cast: Cast) -> None:
    """What the dashboard's agencies and communes rows open: only that kind's products."""
    who = cast.people
    accepted(cast, title="Sản phẩm của xã")
    agency = register(who.dept_reporter, title="Sản phẩm của sở")
    services.submit(actor=who.dept_reporter, product=agency)
    services.approve(actor=cast.dept_head, product=agency)
    services.accept(actor=who.standing, product=agency)
    client = client_for(who.standing)
    for kind, shown, hidden in (
        ("commune", "Sản phẩm của xã", "Sản phẩm của sở"),
        ("agency", "Sản phẩm của sở", "Sản phẩm của xã"),
    ):
        content = client.get(list_url(year=2026, kind=kind)).content.decode()
        assert content.count('data-testid="product-row"') == 1
        assert shown in content and hidden not in content


@pytest.mark.parametrize(
    ("person", "edit", "deliver"),
    [("reporter", 200, 200), ("head", 403, 403), ("standing", 200, 403),
     ("province_viewer", 403, 403), ("other_reporter", 404, 404)],
)  # fmt: skip
def test_edit_and_deliver_pages_by_role(cast: Cast, person: str, edit: int, deliver: int) -> None:
    draft = register(cast.people.reporter)
    done = accepted(cast, title="Khác")
    client = client_for(getattr(cast.people, person))
    assert client.get(url("edit", draft.pk)).status_code == edit
    assert client.get(url("deliver", done.pk)).status_code == deliver
    response = client.post(url("edit", draft.pk), {"title": "Đổi tên"})
    assert Product.objects.get(pk=draft.pk).title == "Một cửa số"
    assert response.status_code in (200, 403, 404)  # a form lacking fields changes nothing
    # An accepted product is no longer edited: the page says so and goes back.
    if edit == 200:
        back = client.get(url("edit", done.pk))
        assert back.status_code == 302 and back.url == url("detail", done.pk)
