"""The set-up pages over HTTP: who may read and who may write (every role; a refused write
changes nothing), what the forms save, the formula editor, the rule's preview, unknown codes
and query counts that do not grow with the number of rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import services
from indicators.models import (
    DataElement,
    DataValue,
    Indicator,
    IndicatorSet,
    RuleKind,
    Severity,
    Target,
    ValidationRule,
)
from indicators.tests.conftest import element, province_sets
from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from periods.models import Period, PeriodKind

pytestmark = pytest.mark.django_db

MANAGERS = ("standing", "sysadmin")
OTHERS = ("province_viewer", "communes_admin", "reporter", "head", "dept_reporter")
EVERYONE = MANAGERS + OTHERS


@pytest.fixture
def programme(people: People, tree: Tree, q3: Period) -> dict[str, Any]:
    """Dossiers of two communes (16681: 120 = 70 + 40 + 10 missing; 16690: 100 = 60 + 40), an
    indicator on them in the 2025 set, and a parts rule."""
    made = {code: element(people, code) for code in ("HS_TONG", "HS_TT", "HS_TTIEP")}
    for unit, reporter, values in (
        (tree.commune, people.reporter, {"HS_TONG": 120, "HS_TT": 70, "HS_TTIEP": 40}),
        (tree.other_commune, people.other_reporter, {"HS_TONG": 100, "HS_TT": 60, "HS_TTIEP": 40}),
    ):
        for code, value in values.items():
            services.record_value(
                actor=reporter, unit=unit, period=q3, element=made[code], value=value
            )
    q3.required_units.set([tree.commune, tree.other_commune])
    long, year = province_sets(people)
    indicator = services.create_indicator(
        actor=people.standing, code="TL_TT", name="Tỷ lệ hồ sơ trực tuyến",
        formula="ratio(HS_TT, HS_TONG)", period_kind=PeriodKind.QUARTER, legal_source="NĐ 118",
        sets=[year],
    )  # fmt: skip
    rule = services.create_rule(
        actor=people.standing, code="R_CONG", name="Trực tuyến + trực tiếp = tổng",
        kind=RuleKind.PARTS_SUM, total=made["HS_TONG"], parts=[made["HS_TT"], made["HS_TTIEP"]],
    )  # fmt: skip
    return {"elements": made, "indicator": indicator, "rule": rule, "sets": (long, year)}


def url(name: str, *args: Any) -> str:
    return reverse(f"indicators:{name}", args=args)


# Each page everyone reads, with the button only the standing office is offered on it.
READ_PAGES = [
    ("setup", ()),
    ("element_list", ()),
    ("element_detail", ("HS_TONG",)),
    ("catalogue", ()),
    ("set_list", ()),
    ("rule_list", ()),
]
BUTTONS = {
    "element_list": "element-create",
    "element_detail": "element-edit",
    "catalogue": "indicator-create",
    "set_list": "set-create",
    "rule_list": "rule-create",
}
MANAGER_PAGES = [
    ("element_create", ()),
    ("element_edit", ("HS_TONG",)),
    ("indicator_create", ()),
    ("indicator_edit", ("TL_TT",)),
    ("targets", ("TL_TT",)),
    ("set_create", ()),
    ("set_edit", ("2025",)),
    ("rule_create", ()),
    ("rule_edit", ("R_CONG",)),
]


@pytest.mark.parametrize("person", EVERYONE)
@pytest.mark.parametrize(("name", "args"), READ_PAGES)
def test_everyone_signed_in_reads_the_definitions(
    people: People, programme: dict[str, Any], person: str, name: str, args: tuple[str, ...]
) -> None:
    response = client_for(getattr(people, person)).get(url(name, *args))
    assert response.status_code == 200
    if name in BUTTONS:
        button = f'data-testid="{BUTTONS[name]}"' in response.content.decode()
        assert button == (person in MANAGERS)


@pytest.mark.parametrize(("name", "args"), [*READ_PAGES, *MANAGER_PAGES])
def test_anonymous_users_log_in_first(
    programme: dict[str, Any], name: str, args: tuple[str, ...]
) -> None:
    response = Client().get(url(name, *args))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("person", EVERYONE)
@pytest.mark.parametrize(("name", "args"), MANAGER_PAGES)
def test_only_the_standing_office_opens_the_forms(
    people: People, programme: dict[str, Any], person: str, name: str, args: tuple[str, ...]
) -> None:
    response = client_for(getattr(people, person)).get(url(name, *args))
    assert response.status_code == (200 if person in MANAGERS else 403)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("element_detail", ("NOPE",)),
        ("element_edit", ("NOPE",)),
        ("indicator_edit", ("NOPE",)),
        ("targets", ("NOPE",)),
        ("set_edit", ("NOPE",)),
        ("rule_edit", ("NOPE",)),
    ],
)
def test_unknown_codes_are_404(
    people: People, programme: dict[str, Any], name: str, args: tuple[str, ...]
) -> None:
    assert client_for(people.standing).get(url(name, *args)).status_code == 404


def _state() -> tuple[Any, ...]:
    """Everything a set-up page could write, with its history."""
    return (
        list(DataElement.objects.values_list("code", "name", "update_days").order_by("code")),
        list(Indicator.objects.values_list("code", "name", "formula").order_by("code")),
        list(IndicatorSet.objects.values_list("code", "name").order_by("code")),
        list(Target.objects.values_list("indicator__code", "year", "value").order_by("pk")),
        list(ValidationRule.objects.values_list("code", "name", "kind").order_by("code")),
        sorted(IndicatorSet.indicators.through.objects.values_list("pk", flat=True)),
        DataElement.history.count(),  # type: ignore[attr-defined]
        Indicator.history.count(),  # type: ignore[attr-defined]
        ValidationRule.history.count(),  # type: ignore[attr-defined]
    )


ELEMENT = {
    "code": "XA_MOI", "name": "Số điểm hỗ trợ dịch vụ công", "value_type": "count",
    "unit_label": "điểm", "period_kind": "quarter", "update_days": "", "unit_types": ["xa"],
    "within": "", "units": "", "active_from": "01/07/2025", "active_to": "",
}  # fmt: skip
INDICATOR = {
    "code": "TL_TTIEP", "name": "Tỷ lệ hồ sơ trực tiếp", "area": "",
    "formula": "ratio(HS_TTIEP, HS_TONG)", "period_kind": "quarter", "unit_label": "%",
    "direction": "lower", "evaluation": "provisional", "legal_source": "",
    "method_note": "Tạm tính theo hướng dẫn của Sở", "order": "3", "sets": [],
}  # fmt: skip
RULE = {
    "code": "R_TT", "name": "Trực tuyến không quá 100", "kind": "range", "severity": "warning",
    "element": "HS_TT", "min_value": "", "max_value": "65", "message": "", "unit_types": [],
    "within": "", "units": "", "active_from": "", "active_to": "",
}  # fmt: skip
SET = {"code": "2026", "name": "năm 2026", "first_year": "2026", "last_year": "2026", "order": "3"}

WRITES = [
    ("element_create", (), ELEMENT),
    ("element_edit", ("HS_TONG",), ELEMENT | {"name": "Đổi tên"}),
    ("element_delete", ("HS_TONG",), {}),
    ("indicator_create", (), INDICATOR),
    ("indicator_edit", ("TL_TT",), INDICATOR | {"name": "Đổi tên"}),
    ("indicator_delete", ("TL_TT",), {}),
    ("targets", ("TL_TT",), {"year": "2025", "unit_type": "", "value": "80"}),
    ("set_create", (), SET),
    ("set_edit", ("2025",), SET | {"name": "Đổi tên"}),
    ("set_delete", ("2025",), {}),
    ("rule_create", (), RULE),
    ("rule_edit", ("R_CONG",), RULE | {"name": "Đổi tên"}),
    ("rule_delete", ("R_CONG",), {}),
    ("rule_preview", (), RULE),
    ("formula_check", (), {"formula": "HS_TT"}),
]


@pytest.mark.parametrize("person", OTHERS)
@pytest.mark.parametrize(("name", "args", "data"), WRITES)
def test_a_refused_write_changes_nothing(
    people: People,
    programme: dict[str, Any],
    person: str,
    name: str,
    args: tuple[str, ...],
    data: dict[str, Any],
) -> None:
    before = _state()
    response = client_for(getattr(people, person)).post(url(name, *args), data)
    assert response.status_code == 403
    assert _state() == before


def test_the_standing_office_creates_and_changes_an_element(
    people: People, tree: Tree, programme: dict[str, Any]
) -> None:
    client = client_for(people.standing)
    response = client.post(url("element_create"), ELEMENT | {"within": tree.communes.code})
    assert response.status_code == 302
    created = DataElement.objects.get(code="XA_MOI")
    assert (created.unit_types, created.within, created.active_from) == (
        ["xa"],
        tree.communes,
        date(2025, 7, 1),
    )
    assert response["Location"] == url("element_detail", "XA_MOI")
    changed = ELEMENT | {"code": "IGNORED", "name": "Điểm hỗ trợ", "units": "16681, 16690"}
    assert client.post(url("element_edit", "XA_MOI"), changed).status_code == 302
    created.refresh_from_db()
    assert created.code == "XA_MOI" and created.name == "Điểm hỗ trợ"  # the code stays
    assert {u.code for u in created.reporting_units.all()} == {"16681", "16690"}
    bad = client.post(url("element_edit", "XA_MOI"), changed | {"units": "16681, NOPE, KHAC"})
    assert bad.status_code == 200 and "Không có đơn vị mã: NOPE, KHAC." in bad.content.decode()
    refused = client.post(url("element_create"), ELEMENT | {"code": "1SAI"})
    assert "Mã bắt đầu bằng chữ cái" in refused.content.decode()
    assert not DataElement.objects.filter(code="1SAI").exists()


def test_an_element_in_use_shows_why_it_stays(people: People, programme: dict[str, Any]) -> None:
    client = client_for(people.standing)
    away = client.post(url("element_delete", "HS_TONG"), {"back": "https://evil.example/"})
    assert away["Location"] == url("element_list")  # never sent off the site
    back = url("element_detail", "HS_TONG")
    assert client.post(url("element_delete", "HS_TONG"), {"back": back})["Location"] == back
    response = client.post(url("element_delete", "HS_TONG"), follow=True)
    content = response.content.decode()
    assert "Không xóa được số liệu đang được dùng" in content and "TL_TT" in content
    assert DataElement.objects.filter(code="HS_TONG").exists()
    page = client.get(url("element_detail", "HS_TONG")).content.decode()
    assert 'data-testid="element-delete"' not in page  # no button for what cannot go


def test_the_element_page_shows_only_the_units_the_reader_sees(
    people: People, programme: dict[str, Any]
) -> None:
    own = client_for(people.reporter).get(url("element_detail", "HS_TONG")).content.decode()
    assert own.count('data-testid="element-figure"') == 1 and "16681" in own
    office = client_for(people.standing).get(url("element_detail", "HS_TONG")).content.decode()
    assert office.count('data-testid="element-figure"') == 2
    assert client_for(people.dept_reporter).get(url("element_detail", "HS_TONG")).status_code == 200


def test_the_standing_office_sets_up_an_indicator_with_its_sets_and_targets(
    people: People, programme: dict[str, Any]
) -> None:
    client = client_for(people.standing)
    long, _year = programme["sets"]
    data = INDICATOR | {"sets": [str(long.pk)]}
    response = client.post(url("indicator_create"), data)
    assert response.status_code == 302 and response["Location"] == url("targets", "TL_TTIEP")
    created = Indicator.objects.get(code="TL_TTIEP")
    assert list(created.sets.all()) == [long] and created.evaluation == "provisional"
    target = {"year": "2025", "unit_type": "", "value": "20,5"}
    assert client.post(url("targets", "TL_TTIEP"), target).status_code == 302
    assert client.post(url("targets", "TL_TTIEP"), target | {"year": ""}).status_code == 302
    assert sorted((t.year or 0, t.value) for t in Target.objects.filter(indicator=created)) == [
        (0, D("20.5")),
        (2025, D("20.5")),
    ]
    page = client.get(url("targets", "TL_TTIEP")).content.decode()
    assert page.count('data-testid="target-row"') == 2 and "≤ 20,5" in page
    assert "giai đoạn 2025–2045" in page  # the long-term target is the multi-year set's
    one = Target.objects.get(indicator=created, year=2025)
    assert client.post(url("target_delete", "TL_TTIEP", one.pk)).status_code == 302
    assert not Target.objects.filter(pk=one.pk).exists()
    wrong = client.post(url("indicator_create"), INDICATOR | {"code": "X", "method_note": ""})
    assert "Phương pháp tạm thời cần mô tả cách đánh giá." in wrong.content.decode()


def test_the_formula_editor_names_the_problem_and_shows_the_value(
    people: People, programme: dict[str, Any]
) -> None:
    client = client_for(people.standing)

    def check(formula: str) -> str:
        response = client.post(url("formula_check"), {"formula": formula, "period_kind": "quarter"})
        assert response.status_code == 200
        return response.content.decode()

    unclosed = check("ratio(HS_TT, HS_TONG")
    assert "Thiếu dấu “)” cho dấu “(” tại vị trí 6." in unclosed
    assert '<mark class="px-0" aria-label="vị trí lỗi">(</mark>' in unclosed
    assert "Công thức dùng mã số liệu chưa có: HS_TRUCTUYEN." in check("HS_TRUCTUYEN / HS_TONG")
    assert "Hàm không xác định “avg”" in check("avg(HS_TT)")
    good = check("ratio(HS_TT, HS_TONG)")
    assert 'data-testid="formula-ok"' in good
    assert "59,09" in good and "130 / 220" in good  # summed first: (70 + 60) / (120 + 100)
    assert "2/2 đơn vị đã báo cáo" in good and "HS_TONG" in good
    assert check("   ").strip() == ""
    assert not Indicator.objects.filter(code="").exists()
    monthly = {"formula": "HS_TT", "period_kind": "month"}
    other = client.post(url("formula_check"), monthly).content.decode()
    assert 'data-testid="formula-frequency"' in other and "<code>HS_TT</code> (Quý)" in other
    latest = client.post(url("formula_check"), monthly | {"formula": "latest(HS_TT)"})
    assert 'data-testid="formula-frequency"' not in latest.content.decode()
    page = client.get(url("indicator_edit", "TL_TT")).content.decode()
    assert 'hx-post="/indicators/setup/formula/"' in page and "59,09" in page


def test_rule_pages_save_and_preview(people: People, programme: dict[str, Any]) -> None:
    client = client_for(people.standing)
    preview = client.post(url("rule_preview"), RULE, HTTP_HX_REQUEST="true")
    content = preview.content.decode()
    assert 'data-testid="rule-preview-count"' in content
    assert "quy tắc tìm thấy 1 trường hợp" in content  # 16681's 70 online > 65
    assert "HS_TT: giá trị (70) ngoài khoảng cho phép (… – 65)" in content
    assert not ValidationRule.objects.filter(code="R_TT").exists()
    no_code = client.post(url("rule_preview"), RULE | {"code": ""}, HTTP_HX_REQUEST="true")
    assert "quy tắc tìm thấy 1 trường hợp" in no_code.content.decode()
    invalid = client.post(url("rule_preview"), RULE | {"max_value": ""}, HTTP_HX_REQUEST="true")
    assert "Quy tắc chưa hợp lệ" in invalid.content.decode()
    assert "Cần giá trị nhỏ nhất hoặc lớn nhất." in invalid.content.decode()
    full = client.post(url("rule_preview"), RULE)  # without HTMX: the form page with it
    assert 'data-testid="rule-form"' in full.content.decode()
    assert "quy tắc tìm thấy 1 trường hợp" in full.content.decode()
    assert client.post(url("rule_create"), RULE).status_code == 302
    saved = ValidationRule.objects.get(code="R_TT")
    assert (saved.kind, saved.severity, saved.max_value) == (RuleKind.RANGE, Severity.WARNING, 65)
    edit = RULE | {"kind": "jump", "threshold": "20"}
    assert client.post(url("rule_edit", "R_TT"), edit).status_code == 302
    saved.refresh_from_db()
    assert (saved.kind, saved.threshold, saved.max_value) == ("jump", 20, None)
    editing = client.post(
        url("rule_preview"), RULE | {"editing": "R_CONG", "kind": "parts_sum",
                                     "total": "HS_TONG", "parts": "HS_TT, HS_TTIEP"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert "120" in editing.content.decode() and "110" in editing.content.decode()
    fields = client.get(url("rule_fields"), {"kind": "ratio_matches"}).content.decode()
    assert 'name="numerator"' in fields and 'name="denominator"' in fields
    assert 'name="max_value"' not in fields
    page = client.get(url("rule_edit", "R_CONG")).content.decode()
    assert 'name="parts"' in page and "HS_TT, HS_TTIEP" in page and 'name="element"' not in page


def test_sets_pages(people: People, programme: dict[str, Any]) -> None:
    client = client_for(people.standing)
    indicator = programme["indicator"]
    data = SET | {"indicators": [str(indicator.pk)]}
    assert client.post(url("set_create"), data).status_code == 302
    created = IndicatorSet.objects.get(code="2026")
    assert list(created.indicators.all()) == [indicator]
    again = client.post(url("set_create"), data)
    assert "Đã có bộ chỉ tiêu mã này." in again.content.decode()
    years = client.post(url("set_edit", "2026"), data | {"last_year": "2020"})
    assert "Năm cuối không được trước năm đầu." in years.content.decode()
    assert client.post(url("set_delete", "2026"), follow=True).status_code == 200
    assert IndicatorSet.objects.filter(code="2026").exists()  # it has an indicator
    assert client.post(url("set_edit", "2026"), data | {"indicators": []}).status_code == 302
    assert client.post(url("set_delete", "2026")).status_code == 302
    assert not IndicatorSet.objects.filter(code="2026").exists()


@pytest.mark.parametrize(("name", "args"), [("element_list", ()), ("catalogue", ()),
                                            ("rule_list", ()), ("set_list", ()),
                                            ("element_detail", ("HS_TONG",))])  # fmt: skip
def test_query_counts_do_not_grow_with_the_rows(
    people: People, tree: Tree, programme: dict[str, Any], name: str, args: tuple[str, ...]
) -> None:
    client = client_for(people.standing)
    client.get(url(name, *args))  # the session and the first-request caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(name, *args)).status_code == 200
    long, year = programme["sets"]
    for n in range(8):
        made = services.create_element(
            actor=people.standing, code=f"E{n}", name=f"Số liệu {n}", value_type="count",
            period_kind=PeriodKind.QUARTER, reporting_units=[tree.commune, tree.dept],
            within=tree.communes,
        )  # fmt: skip
        indicator = services.create_indicator(
            actor=people.standing, code=f"I{n}", name=f"Chỉ tiêu {n}", formula=f"E{n}",
            period_kind=PeriodKind.QUARTER, legal_source="NQ 57", sets=[long, year],
        )  # fmt: skip
        services.set_target(actor=people.standing, indicator=indicator, value=D(n), year=2025)
        services.create_rule(
            actor=people.standing, code=f"R{n}", kind=RuleKind.PARTS_SUM, total=made,
            parts=[programme["elements"]["HS_TT"]], units=[tree.commune],
        )  # fmt: skip
        services.save_indicator_set(
            actor=people.standing, code=f"S{n}", name=f"Bộ {n}", first_year=2025, last_year=2030
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(name, *args)).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize("method", ["put", "delete"])
def test_wrong_methods(people: People, programme: dict[str, Any], method: str) -> None:
    client = client_for(people.standing)
    for name, args in [*READ_PAGES, *MANAGER_PAGES]:
        assert getattr(client, method)(url(name, *args)).status_code == 405
    assert client.get(url("formula_check")).status_code == 405
    assert client.get(url("rule_preview")).status_code == 405
    assert client.get(url("element_delete", "HS_TONG")).status_code == 405


def test_an_elements_values_are_untouched_by_its_pages(
    people: People, programme: dict[str, Any]
) -> None:
    count = DataValue.objects.count()
    client = client_for(people.standing)
    client.post(url("element_edit", "HS_TONG"), ELEMENT | {"value_type": "decimal"})
    assert DataValue.objects.count() == count
    assert DataElement.objects.get(code="HS_TONG").value_type == "count"  # figures exist
