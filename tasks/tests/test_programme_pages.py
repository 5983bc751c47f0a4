"""The programme set-up pages (sources with their files, areas, programme groups): everyone signed
in reads them, only the standing office writes (403 for the others, nothing changed), a row in
use is never deleted (the refusal says how many tasks use it), every change is in its history,
and the lists read a bounded number of queries."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from tasks import services
from tasks.models import Area, ProgrammeGroup, Source, Task
from tasks.tests.test_views import PDF, new_task

READ_ONLY = ["reporter", "head", "province_viewer", "communes_admin", "dept_reporter"]


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def rows(people: People) -> dict[str, Any]:
    """A source and an area used by one task, a group counting it; an unused source and area."""
    source = Source.objects.create(code="NQ57-TINH", name="Nhiệm vụ cụ thể hóa NQ57")
    area = Area.objects.create(code="HT", name="Hạ tầng công nghệ", order=1)
    spare_source = Source.objects.create(code="KH-NHAP", name="Kế hoạch nhập nhầm")
    spare_area = Area.objects.create(code="THUA", name="Lĩnh vực thừa", order=2)
    group = services.save_programme_group(
        actor=people.standing, code="NQ57", name="Nhiệm vụ NQ57", sources=[source]
    )
    empty = services.save_programme_group(
        actor=people.standing, code="TRONG", name="Nhóm trống", sources=[spare_source]
    )
    task = new_task(people, "T-1", people.dept_reporter.unit, source, area)
    return {
        "source": source, "area": area, "spare_source": spare_source,
        "spare_area": spare_area, "group": group, "empty": empty, "task": task,
    }  # fmt: skip


def text_of(response: Any) -> str:
    return response.content.decode()


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["source_list", "area_list", "group_list"])
@pytest.mark.parametrize("person", ["standing", *READ_ONLY])
def test_everyone_signed_in_reads_the_lists(
    people: People, rows: dict[str, Any], name: str, person: str
) -> None:
    response = client_for(getattr(people, person)).get(reverse(f"programme:{name}"))
    assert response.status_code == 200
    content = text_of(response)
    writer = person == "standing"
    assert ('data-testid="delete"' in content) is False  # deleting starts from the edit page
    assert (reverse(f"programme:{name.replace('list', 'create')}") in content) is writer


@pytest.mark.parametrize("name", ["source_list", "area_list", "group_list"])
def test_lists_need_a_sign_in(client: Any, rows: dict[str, Any], name: str) -> None:
    response = client.get(reverse(f"programme:{name}"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_lists_show_how_many_tasks_use_each_row(people: People, rows: dict[str, Any]) -> None:
    client = client_for(people.standing)
    sources = text_of(client.get(reverse("programme:source_list")))
    assert "Nhiệm vụ cụ thể hóa NQ57" in sources and "?source=NQ57-TINH" in sources
    areas = text_of(client.get(reverse("programme:area_list")))
    assert areas.index("Hạ tầng công nghệ") < areas.index("Lĩnh vực thừa")  # the report's order
    assert "1 nhiệm vụ" in areas and "0 nhiệm vụ" in areas
    groups = text_of(client.get(reverse("programme:group_list")))
    assert "Nhiệm vụ NQ57" in groups and "1 nhiệm vụ" in groups


@pytest.mark.parametrize("name", ["source_list", "area_list", "group_list"])
def test_list_queries_do_not_grow_with_rows(
    people: People, rows: dict[str, Any], name: str, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        source = Source.objects.create(code=f"S{n}", name=f"Nguồn {n}")
        Area.objects.create(code=f"A{n}", name=f"Lĩnh vực {n}", order=n)
        services.save_programme_group(
            actor=people.standing, code=f"G{n}", name=f"Nhóm {n}", sources=[source]
        )
    client = client_for(people.standing)
    with django_assert_max_num_queries(10):  # the session, the menu, the rows (and groups' sources)
        assert client.get(reverse(f"programme:{name}")).status_code == 200


# --- writing: who may --------------------------------------------------------------------------


CREATE = {
    "source_create": {"code": "KH-MOI", "name": "Kế hoạch mới", "issued_on": "01/09/2025"},
    "area_create": {"code": "MOI", "name": "Lĩnh vực mới", "order": "3"},
    "group_create": {"code": "MOI", "name": "Nhóm mới năm {year}", "order": "3"},
}
MODELS = {"source_create": Source, "area_create": Area, "group_create": ProgrammeGroup}


@pytest.mark.parametrize("name", list(CREATE))
@pytest.mark.parametrize(("person", "status"), [("standing", 302), ("sysadmin", 302)])
def test_the_standing_office_creates(
    people: People, rows: dict[str, Any], name: str, person: str, status: int
) -> None:
    client = client_for(getattr(people, person))
    assert client.get(reverse(f"programme:{name}")).status_code == 200
    response = client.post(reverse(f"programme:{name}"), CREATE[name])
    assert response.status_code == status
    created = MODELS[name].objects.get(code=CREATE[name]["code"])
    assert created.history.get().history_user == getattr(people, person)


@pytest.mark.parametrize("name", list(CREATE))
@pytest.mark.parametrize("person", READ_ONLY)
def test_others_may_not_create(
    people: People, rows: dict[str, Any], name: str, person: str
) -> None:
    client = client_for(getattr(people, person))
    before = MODELS[name].objects.count()
    assert client.get(reverse(f"programme:{name}")).status_code == 403
    assert client.post(reverse(f"programme:{name}"), CREATE[name]).status_code == 403
    assert MODELS[name].objects.count() == before


EDIT = {
    "source": ("source_edit", {"name": "Tên mới", "number": "12/KH-UBND", "issuer": "UBND tỉnh"}),
    "area": ("area_edit", {"name": "Tên mới", "order": "9"}),
    "group": ("group_edit", {"name": "Tên mới", "order": "9"}),
}


@pytest.mark.parametrize("row", list(EDIT))
def test_the_standing_office_edits_and_history_keeps_the_old_value(
    people: People, rows: dict[str, Any], row: str
) -> None:
    name, data = EDIT[row]
    target = rows[row]
    old = target.name
    if row == "group":
        data = data | {"sources": [rows["source"].pk, rows["spare_source"].pk]}
    response = client_for(people.standing).post(
        reverse(f"programme:{name}", args=[target.code]), data
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.name == "Tên mới"
    assert old in set(target.history.values_list("name", flat=True))
    page = text_of(
        client_for(people.standing).get(reverse(f"programme:{name}", args=[target.code]))
    )
    assert 'data-testid="history"' in page and "Tên mới" in page
    if row == "group":
        assert set(target.sources.values_list("code", flat=True)) == {"NQ57-TINH", "KH-NHAP"}


@pytest.mark.parametrize("row", list(EDIT))
@pytest.mark.parametrize("person", READ_ONLY)
def test_others_may_not_edit(people: People, rows: dict[str, Any], row: str, person: str) -> None:
    name, data = EDIT[row]
    target = rows[row]
    url = reverse(f"programme:{name}", args=[target.code])
    client = client_for(getattr(people, person))
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    target.refresh_from_db()
    assert target.name != "Tên mới"


def test_an_unknown_code_is_404(people: People, rows: dict[str, Any]) -> None:
    client = client_for(people.standing)
    for name in ("source_edit", "area_edit", "group_edit", "source_file"):
        assert client.get(reverse(f"programme:{name}", args=["KHONG-CO"])).status_code == 404


def test_codes_are_unique_and_without_slashes(people: People, rows: dict[str, Any]) -> None:
    client = client_for(people.standing)
    taken = client.post(
        reverse("programme:group_create"), {"code": "NQ57", "name": "x", "order": 0}
    )
    assert "Đã có nhóm nhiệm vụ mã này." in text_of(taken)
    slash = client.post(reverse("programme:area_create"), {"code": "A/B", "name": "x", "order": 0})
    assert "Mã không được để trống, chứa dấu “/” hay khoảng trắng." in text_of(slash)
    twice = client.post(reverse("programme:source_create"), {"code": "NQ57-TINH", "name": "x"})
    assert twice.status_code == 200 and Source.objects.filter(code="NQ57-TINH").count() == 1
    assert ProgrammeGroup.objects.get(code="NQ57").name == "Nhiệm vụ NQ57"


def test_a_source_is_not_issued_in_the_future(people: People, rows: dict[str, Any]) -> None:
    data = {"code": "KH-SAU", "name": "Kế hoạch", "issued_on": "01/01/2030"}
    response = client_for(people.standing).post(reverse("programme:source_create"), data)
    assert "Ngày ban hành không được sau hôm nay." in text_of(response)
    assert not Source.objects.filter(code="KH-SAU").exists()


# --- deleting: never while used ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "name", "message"),
    [
        ("source", "source_delete", "Không xóa được: 1 nhiệm vụ đang dùng nguồn này."),
        ("area", "area_delete", "Không xóa được: 1 nhiệm vụ đang thuộc lĩnh vực này."),
        (
            "group",
            "group_delete",
            "Không xóa được: nhóm đang tính 1 nhiệm vụ; hãy bỏ các nguồn của nhóm trước.",
        ),
    ],
)
def test_a_row_in_use_is_never_deleted(
    people: People, rows: dict[str, Any], row: str, name: str, message: str
) -> None:
    target = rows[row]
    client = client_for(people.standing)
    response = client.post(reverse(f"programme:{name}", args=[target.code]), follow=True)
    assert message in text_of(response)
    assert type(target).objects.filter(pk=target.pk).exists()
    assert Task.objects.filter(code="T-1").exists()


@pytest.mark.parametrize(
    ("row", "name"),
    [("spare_source", "source_delete"), ("spare_area", "area_delete"), ("empty", "group_delete")],
)
def test_an_unused_row_is_deleted_with_its_history_kept(
    people: People, rows: dict[str, Any], row: str, name: str
) -> None:
    target = rows[row]
    model = type(target)
    if row == "empty":  # a group holding a source with no task counts no task
        assert services.group_task_count(target) == 0
    for person in READ_ONLY:
        denied = client_for(getattr(people, person)).post(
            reverse(f"programme:{name}", args=[target.code])
        )
        assert denied.status_code == 403 and model.objects.filter(pk=target.pk).exists()
    response = client_for(people.standing).post(reverse(f"programme:{name}", args=[target.code]))
    assert response.status_code == 302
    assert not model.objects.filter(pk=target.pk).exists()
    last = model.history.filter(code=target.code).first()
    assert last.history_type == "-" and last.history_user == people.standing


def test_an_area_an_indicator_uses_is_not_deleted(people: People, rows: dict[str, Any]) -> None:
    from indicators.models import Indicator

    Indicator.objects.create(code="CT1", name="Chỉ tiêu", area=rows["spare_area"], formula="1")
    response = client_for(people.standing).post(
        reverse("programme:area_delete", args=["THUA"]), follow=True
    )
    assert "Không xóa được: đang được dùng (" in text_of(response)
    assert Area.objects.filter(code="THUA").exists()


# --- the source's file -------------------------------------------------------------------------


def post_file(people: People, name: str, content: bytes, code: str = "KH-TEP") -> Any:
    data = {"code": code, "name": "Kế hoạch có tệp", "upload": SimpleUploadedFile(name, content)}
    return client_for(people.standing).post(reverse("programme:source_create"), data)


def test_a_source_file_is_stored_under_a_generated_name_and_served_to_the_signed_in(
    people: People, rows: dict[str, Any], media: Path, client: Any
) -> None:
    assert post_file(people, "../../ke-hoach.pdf", PDF).status_code == 302
    source = Source.objects.get(code="KH-TEP")
    assert source.original_name == "ke-hoach.pdf" and "ke-hoach" not in source.file.name
    url = reverse("programme:source_file", args=["KH-TEP"])
    for person in ["standing", *READ_ONLY]:
        got = client_for(getattr(people, person)).get(url)
        assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
        assert got["Content-Disposition"].startswith("attachment")
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    assert (
        client_for(people.standing)
        .get(reverse("programme:source_file", args=["NQ57-TINH"]))
        .status_code
        == 404
    )  # no file


@pytest.mark.parametrize(
    ("name", "content"),
    [("x.pdf", b"MZ\x90\x00" + b"\x00" * 64), ("x.exe", PDF), ("x.png", PDF)],
)
def test_a_source_file_must_be_a_real_document(
    people: People, rows: dict[str, Any], media: Path, name: str, content: bytes
) -> None:
    response = post_file(people, name, content)
    assert response.status_code == 200
    assert "Chỉ nhận tệp PDF, DOCX, XLSX, JPG, JPEG, PNG." in text_of(response)
    assert not Source.objects.filter(code="KH-TEP").exists() and not media.exists()


def test_an_oversized_source_file_is_refused(
    people: People, rows: dict[str, Any], media: Path, settings: Any
) -> None:
    settings.MAX_UPLOAD_MB = 1
    response = post_file(people, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert "Tệp lớn hơn 1 MB." in text_of(response)
    assert not Source.objects.filter(code="KH-TEP").exists()


def test_a_replaced_file_stays_in_the_history(
    people: People, rows: dict[str, Any], media: Path
) -> None:
    post_file(people, "a.pdf", PDF)
    first = Source.objects.get(code="KH-TEP").file.name
    data = {"name": "Kế hoạch có tệp", "upload": SimpleUploadedFile("b.pdf", PDF + b"%2")}
    client_for(people.standing).post(reverse("programme:source_edit", args=["KH-TEP"]), data)
    source = Source.objects.get(code="KH-TEP")
    assert source.file.name != first and source.original_name == "b.pdf"
    assert first in set(source.history.values_list("file", flat=True))
    assert (media / first).exists()


# --- the menu ----------------------------------------------------------------------------------


def test_the_menu_offers_the_set_up_to_the_standing_office(people: People, tree: Tree) -> None:
    url = reverse("programme:source_list")
    assert url in text_of(client_for(people.standing).get(reverse("tasks:task_list")))
    assert url not in text_of(client_for(people.reporter).get(reverse("tasks:task_list")))


def test_dates_show_in_vietnamese_format(people: People, rows: dict[str, Any]) -> None:
    Source.objects.filter(code="NQ57-TINH").update(issued_on=date(2025, 2, 3))
    assert "03/02/2025" in text_of(
        client_for(people.reporter).get(reverse("programme:source_list"))
    )


@pytest.mark.clock("2026-01-05T09:00")
def test_the_demo_sets_up_its_sources_and_areas_as_the_standing_office(
    db: None, demo_data: None
) -> None:
    for row in (Source.objects.get(code="NQ57-TINH"), Area.objects.get(code="CDDH")):
        created = row.history.get()
        assert created.history_type == "+" and created.history_user.username == "thuongtruc"
