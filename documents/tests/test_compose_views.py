"""The composer, the outline editor and a report's history over HTTP: works / outsider 404 /
read-only 403, refused requests change nothing, an edit made on an older version is refused and
the typed text kept, the number of queries bounded."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from documents import services
from documents.content import Kind
from documents.models import GeneratedReport, OutlineSection, SectionText
from org.models import Unit, User
from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from periods.models import Period, PeriodKind
from reporting import services as reporting_services
from tasks.models import Area

pytestmark = pytest.mark.usefixtures("profiles")
COMPOSER = ("documents:composer", ["quarterly", "2025-Q3"])


def _url(name: str, *args: str) -> str:
    return reverse(name, args=args)


def _texts() -> list[tuple[str, str]]:
    return list(SectionText.objects.values_list("section", "text"))


def _save(user: User, text: str, version: int = 0, **headers: Any) -> Any:
    url = _url("documents:compose_section", "quarterly", "2025-Q3", "tai-chinh")
    return client_for(user).post(url, {"text": text, "version": version}, **headers)


@pytest.mark.parametrize(
    ("person", "status", "editable"),
    [
        ("standing", 200, True),
        ("sysadmin", 200, True),
        ("province_viewer", 200, False),  # reads the whole province, writes nothing
        ("communes_admin", 404, False),
        ("reporter", 404, False),
        ("head", 404, False),
        ("dept_reporter", 404, False),
    ],
)
def test_the_composer_page_matrix(
    people: People, quarter: Period, person: str, status: int, editable: bool
) -> None:
    response = client_for(getattr(people, person)).get(_url(*COMPOSER[:1], *COMPOSER[1]))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert 'data-testid="section-tai-chinh"' in html
        assert "10. Về tài chính, kinh phí" in html
        assert ('data-testid="generate"' in html) is editable
        assert (" readonly>" in html) is not editable


def test_other_kinds_and_periods_have_no_composer(
    people: People, quarter: Period, month: Period
) -> None:
    client = client_for(people.standing)
    assert client.get(_url("documents:composer", "unit", "2025-Q3")).status_code == 404
    assert client.get(_url("documents:composer", "quarterly", "2025-09")).status_code == 404
    assert client.get(_url("documents:composer", "quarterly", "2030-Q1")).status_code == 404
    assert client.get(_url("documents:composer", "monthly", "2025-09")).status_code == 200


def test_saving_prose_through_the_page(people: People, quarter: Period) -> None:
    response = _save(people.standing, "Đã báo cáo **đề xuất** kinh phí.\r\n- Ý thứ hai  ")
    assert response.status_code == 302
    assert response["Location"].endswith("/documents/compose/quarterly/2025-Q3/#muc-tai-chinh")
    row = SectionText.objects.get(section="tai-chinh")
    assert row.text == "Đã báo cáo **đề xuất** kinh phí.\n- Ý thứ hai"
    assert (row.version, row.updated_by) == (1, people.standing)
    # with HTMX, the section's card comes back, its preview in bold
    response = _save(people.standing, "Bản **hai**.", version=1, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<section")
    assert "Bản <strong>hai</strong>." in html and 'name="version" value="2"' in html
    assert SectionText.history.count() == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize(("person", "status"), [("province_viewer", 403), ("reporter", 404)])
def test_saving_is_refused_to_others_and_changes_nothing(
    people: People, quarter: Period, person: str, status: int
) -> None:
    assert _save(getattr(people, person), "Không được lưu.").status_code == status
    assert _texts() == []


def test_an_edit_on_an_older_version_is_refused_and_the_typing_kept(
    people: People, quarter: Period
) -> None:
    _save(people.standing, "Bản của người thứ nhất.")
    response = _save(people.sysadmin, "Bản gõ cùng lúc.", version=0, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "vừa được" in html and "nội dung bạn nhập chưa được lưu" in html
    assert "Bản gõ cùng lúc.</textarea>" in html  # nothing typed is lost
    assert _texts() == [("tai-chinh", "Bản của người thứ nhất.")]


def test_prose_for_a_section_not_in_the_outline_is_refused(people: People, quarter: Period) -> None:
    url = _url("documents:compose_section", "quarterly", "2025-Q3", "khong-co")
    assert client_for(people.standing).post(url, {"text": "x", "version": 0}).status_code == 404
    assert _texts() == []
    with pytest.raises(ValidationError) as refused:
        services.save_prose(
            actor=people.standing, kind=Kind.QUARTERLY, period=quarter,
            unit=Unit.objects.get(code="P"), section="khong-co", text="x",
        )  # fmt: skip
    assert refused.value.message_dict == {"section": ["Mục này không có trong dàn ý của báo cáo."]}
    assert _texts() == []


def test_picking_what_units_wrote(people: People, quarter: Period) -> None:
    url = _url("documents:compose_pick", "quarterly", "2025-Q3", "tai-chinh")
    client = client_for(people.standing)
    data = {"texts": ["Thiếu kinh phí.", "Thiết bị cũ"], "version": 0, "text": "Đã gõ."}
    assert client.post(url, data).status_code == 302
    assert _texts() == [("tai-chinh", "Đã gõ.\n- Thiếu kinh phí.\n- Thiết bị cũ.")]
    merged = {"texts": ["Một", "Hai"], "merge": "on", "version": 1}
    client.post(url, merged)
    assert _texts()[0][1].endswith("- Thiết bị cũ.\nMột; Hai.")
    assert client_for(people.province_viewer).post(url, merged).status_code == 403
    assert SectionText.objects.get().version == 2


# --- the outline editor --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "status"),
    [("standing", 200), ("sysadmin", 200), ("province_viewer", 403), ("reporter", 403)],
)
def test_the_outline_pages_matrix(people: People, person: str, status: int) -> None:
    client = client_for(getattr(people, person))
    assert client.get(_url("documents:outlines")).status_code == status
    assert client.get(_url("documents:outline_edit", "quarterly")).status_code == status
    before = list(OutlineSection.objects.values_list("id", "title", "order"))
    response = client.post(_url("documents:outline_edit", "quarterly"), {"action": "reset"})
    assert response.status_code == (302 if status == 200 else 403)
    if status != 200:
        assert list(OutlineSection.objects.values_list("id", "title", "order")) == before


def _quarterly() -> list[OutlineSection]:
    return list(OutlineSection.objects.filter(outline__kind="quarterly").order_by("order", "id"))


def test_the_outline_names_each_sections_blocks_and_area(people: People) -> None:
    """Officers read names, never internal codes: the summary of a section names its blocks
    and its area (the block codes show only beside the boxes, for writing them in prose)."""
    area = OutlineSection.objects.filter(outline__kind="quarterly").exclude(area_code="").first()
    assert area is not None
    name = Area.objects.create(code=area.area_code, name="Lĩnh vực thử").name
    page = client_for(people.standing).get(_url("documents:outline_edit", "quarterly"))
    html = page.content.decode()
    section = OutlineSection.objects.get(outline__kind="quarterly", code="san-pham")
    assert section.blocks and "products.by_area" in section.blocks
    summary = html[html.index('data-testid="outline-san-pham"') :].split("</summary>")[0]
    assert "Sản phẩm theo lĩnh vực: đăng ký, đã hoàn thành, kinh phí" in summary
    assert "products.by_area" not in summary
    summary = html[html.index(f'data-testid="outline-{area.code}"') :].split("</summary>")[0]
    assert f">{name}</span>" in summary and f">{area.area_code}</span>" not in summary


def test_editing_the_outline(people: People) -> None:
    client = client_for(people.standing)
    url = _url("documents:outline_edit", "quarterly")
    original = [s.code for s in _quarterly()]
    fields = {"title": "12. Sản phẩm, kết quả nổi bật", "level": 2, "blocks": ["communes"]}
    response = client.post(url, {"action": "add", "after": "hop-tac", **fields})
    assert response.status_code == 302
    codes = [s.code for s in _quarterly()]
    added = codes[codes.index("hop-tac") + 1]
    assert added.startswith("12-san-pham-ket-qua-noi-bat")
    client.post(url, {"action": "up", "code": added})
    assert [s.code for s in _quarterly()].index(added) == codes.index("hop-tac")
    change = {"action": "save", "code": "tai-chinh", "title": "10. Tài chính", "level": 2,
              "blocks": ["area.indicators"], "area_code": ""}  # fmt: skip
    response = client.post(url, change)
    assert response.status_code == 200  # an area's block needs the section's area
    assert "Nội dung theo lĩnh vực cần chọn lĩnh vực của mục." in response.content.decode()
    client.post(url, {"action": "delete", "code": added})
    assert added not in [s.code for s in _quarterly()]
    assert OutlineSection.history.filter(code=added).count() == 3  # type: ignore[attr-defined]
    client.post(url, {"action": "reset"})
    assert [s.code for s in _quarterly()] == original


# --- a report's history ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "status"),
    [("standing", 200), ("province_viewer", 200), ("reporter", 404), ("dept_reporter", 404)],
)
def test_the_history_page_matrix(people: People, quarter: Period, person: str, status: int) -> None:
    url = _url("documents:history", "quarterly", "2025-Q3")
    assert client_for(getattr(people, person)).get(url).status_code == status


def test_a_units_history_is_seen_by_the_unit(people: People, tree: Tree, quarter: Period) -> None:
    url = _url("documents:history", "unit", "2025-Q3")
    assert client_for(people.reporter).get(url + "?unit=16681").status_code == 200
    assert client_for(people.reporter).get(url + "?unit=16690").status_code == 404
    assert client_for(people.standing).get(url + "?unit=NOPE").status_code == 404
    assert client_for(people.standing).get(url.replace("unit", "nope")).status_code == 404


def test_the_history_lists_every_version_and_edit_in_bounded_queries(
    people: People,
    tree: Tree,
    quarter: Period,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    def generate() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            services.request_report(
                actor=people.standing, kind=Kind.QUARTERLY, period=quarter,
                unit=tree.province, fmt="docx",
            )  # fmt: skip

    generate()
    _save(people.standing, "Bản một.")
    client = client_for(people.standing)
    url = _url("documents:history", "quarterly", "2025-Q3")
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    queries = len(few.captured_queries)  # read now: the query log is a bounded queue
    for n in range(2, 5):
        generate()
        _save(people.standing, f"Bản {n}.", version=n - 1)
    with django_assert_max_num_queries(queries):
        html = client.get(url).content.decode()
    assert html.count('data-testid="event-version"') == 4
    assert html.count('data-testid="event-prose"') == 4
    assert "Bản số 4" in html and "Bản 3." in html  # an edit shows what it replaced
    assert GeneratedReport.objects.count() == 4


def test_anonymous_users_log_in_first(db: None) -> None:
    for url in (
        _url("documents:composer", "quarterly", "2025-Q3"),
        _url("documents:history", "quarterly", "2025-Q3"),
        _url("documents:outlines"),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_reports_page_opens_the_composer(people: People, quarter: Period) -> None:
    client = client_for(people.standing)
    html = client.get(_url("documents:index")).content.decode()
    assert 'data-testid="compose-form"' in html and 'value="2025-Q3"' in html
    opened = client.get(_url("documents:compose_open"), {"kind": "quarterly", "period": "2025-Q3"})
    assert opened["Location"] == _url("documents:composer", "quarterly", "2025-Q3")
    wrong = client.get(_url("documents:compose_open"), {"kind": "monthly", "period": "2025-Q3"})
    assert wrong["Location"] == _url("documents:index")
    page = client_for(people.reporter).get(_url("documents:index")).content.decode()
    assert 'data-testid="compose-form"' not in page  # a unit's reporter composes nothing


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("standing", 200),
        ("province_viewer", 200),  # a leader: 404 before, as no unit reports for the period
        ("communes_admin", 404),
        ("reporter", 404),
        ("dept_reporter", 404),
    ],
)
def test_the_provinces_own_period_is_read_by_its_leaders(
    people: People, person: str, status: int
) -> None:
    at = datetime(2026, 6, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    reporting_services.create_period(
        actor=people.standing, code="2026-H1", kind=PeriodKind.HALF, title="6 tháng đầu năm 2026",
        starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30), opens_at=at, due_at=at, units=[],
    )  # fmt: skip
    client = client_for(getattr(people, person))
    assert client.get(_url("documents:composer", "half", "2026-H1")).status_code == status
    assert client.get(_url("documents:history", "half", "2026-H1")).status_code == status
    listed = client.get(reverse("reporting:period_list")).content.decode()
    assert ("6 tháng đầu năm 2026" in listed) is (status == 200)
