"""The set-up services: elements with a scope and dates, the yes/no type, changing and deleting
(refused while in use, history kept with the actor), indicators and their sets, targets, rules
of every kind with their own scope, and a rule's preview that leaves nothing behind."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators import services
from indicators.models import (
    ConfirmedWarning,
    DataElement,
    DataValue,
    Indicator,
    IndicatorSet,
    RuleKind,
    Severity,
    Target,
    ValidationRule,
    ValueType,
)
from indicators.queries import reporters
from indicators.tests.conftest import COMMUNE_TYPES, element, make_period, province_sets
from indicators.validation import check_period
from org.models import UnitType
from org.tests.conftest import People, Tree
from periods.models import Period, PeriodKind

pytestmark = pytest.mark.django_db

OUTSIDERS = ("reporter", "province_viewer", "communes_admin", "head", "dept_reporter")


def _record(people: People, tree: Tree, period: Period, code: str, value: Any) -> DataValue:
    reporter = {tree.commune: people.reporter, tree.other_commune: people.other_reporter}
    return services.record_value(
        actor=reporter[tree.commune], unit=tree.commune, period=period,
        element=DataElement.objects.get(code=code), value=value,
    )  # fmt: skip


def test_an_elements_scope_decides_who_reports_it(people: People, tree: Tree, q3: Period) -> None:
    within = services.create_element(
        actor=people.standing, code="XA_KHOI", name="Chỉ xã thuộc khối", value_type="count",
        period_kind=PeriodKind.QUARTER, unit_types=COMMUNE_TYPES, within=tree.communes,
    )  # fmt: skip
    rule = reporters(within)
    assert rule.include(tree.commune) and not rule.include(tree.dept)
    elsewhere = services.create_element(
        actor=people.standing, code="XA_KHAC", name="Xã thuộc khối khác", value_type="count",
        period_kind=PeriodKind.QUARTER, unit_types=COMMUNE_TYPES, within=tree.agencies,
    )  # fmt: skip
    assert not reporters(elsewhere).include(tree.commune)
    with pytest.raises(ValidationError, match="không báo cáo số liệu XA_KHAC"):
        services.record_value(
            actor=people.reporter, unit=tree.commune, period=q3, element=elsewhere, value=1
        )
    listed = services.create_element(
        actor=people.standing, code="SO_RIENG", name="Một sở", value_type="count",
        period_kind=PeriodKind.QUARTER, reporting_units=[tree.dept], within=tree.communes,
    )  # fmt: skip
    assert reporters(listed).include(tree.dept)  # the list wins over type and subtree
    assert not reporters(listed).include(tree.commune)


def test_an_element_in_force_later_is_not_asked_for_an_earlier_period(
    people: People, tree: Tree, q3: Period
) -> None:
    services.create_element(
        actor=people.standing, code="MOI_2026", name="Từ 2026", value_type="count",
        period_kind=PeriodKind.QUARTER, unit_types=COMMUNE_TYPES, active_from=date(2026, 1, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="không áp dụng cho kỳ này"):
        _record(people, tree, q3, "MOI_2026", 1)
    with pytest.raises(ValidationError, match="Ngày kết thúc trước ngày bắt đầu"):
        services.create_element(
            actor=people.standing, code="SAI", name="Sai", value_type="count",
            period_kind=PeriodKind.QUARTER, active_from=date(2026, 1, 1),
            active_to=date(2025, 1, 1),
        )  # fmt: skip
    assert not DataValue.objects.exists() and not DataElement.objects.filter(code="SAI").exists()


def test_a_yes_no_figure_takes_only_one_or_zero(people: People, tree: Tree, q3: Period) -> None:
    element(people, "CO_KH", ValueType.YES_NO)
    for wrong in (2, D("0.5"), -1):
        with pytest.raises(ValidationError, match="chỉ nhận 1 \\(có\\) hoặc 0 \\(không\\)"):
            _record(people, tree, q3, "CO_KH", wrong)
    assert not DataValue.objects.exists()
    assert _record(people, tree, q3, "CO_KH", 1).value == 1
    assert _record(people, tree, q3, "CO_KH", 0).value == 0


def test_changing_an_element_keeps_its_history_and_its_figures_meaning(
    people: People, tree: Tree, q3: Period
) -> None:
    online = element(people, "HS")
    fields: dict[str, Any] = {
        "name": "Hồ sơ trực tuyến", "value_type": ValueType.COUNT,
        "period_kind": PeriodKind.QUARTER, "unit_label": "hồ sơ", "unit_types": COMMUNE_TYPES,
        "update_days": 30,
    }  # fmt: skip
    services.update_element(actor=people.standing, element=online, **fields)
    online.refresh_from_db()
    assert (online.name, online.update_days, online.code) == ("Hồ sơ trực tuyến", 30, "HS")
    assert online.history.count() == 2  # type: ignore[attr-defined]
    assert {h.history_user for h in online.history.all()} == {people.standing}  # type: ignore[attr-defined]
    _record(people, tree, q3, "HS", 5)
    for change in ({"value_type": ValueType.DECIMAL}, {"period_kind": PeriodKind.MONTH}):
        with pytest.raises(ValidationError) as caught:
            services.update_element(actor=people.standing, element=online, **fields | change)
        assert set(caught.value.message_dict) == set(change)
    online.refresh_from_db()
    assert (online.value_type, online.period_kind) == (ValueType.COUNT, PeriodKind.QUARTER)
    for who in OUTSIDERS:
        with pytest.raises(PermissionDenied):
            services.update_element(
                actor=getattr(people, who), element=online, **fields | {"name": "X"}
            )
    online.refresh_from_db()
    assert online.name == "Hồ sơ trực tuyến"


def test_an_element_in_use_is_never_deleted(people: People, tree: Tree, q3: Period) -> None:
    used_by_value, used_by_formula, used_by_rule, unused = (
        element(people, code) for code in ("A", "B", "C", "D")
    )
    _record(people, tree, q3, "A", 1)
    services.create_indicator(
        actor=people.standing, code="I", name="I", formula="B * 2",
        period_kind=PeriodKind.QUARTER, legal_source="NQ 57",
    )  # fmt: skip
    services.create_rule(
        actor=people.standing, code="R", kind=RuleKind.PARTS_SUM, total=used_by_rule,
        parts=[unused],
    )  # fmt: skip
    for used, why in (
        (used_by_value, "đã có số liệu"),
        (used_by_formula, "chỉ tiêu dùng trong công thức: I"),
        (used_by_rule, "quy tắc kiểm tra: R"),
        (unused, "quy tắc kiểm tra: R"),  # a part of the rule
    ):
        with pytest.raises(ValidationError, match=why):
            services.delete_element(actor=people.standing, element=used)
    assert DataElement.objects.count() == 4
    ValidationRule.objects.all().delete()
    with pytest.raises(PermissionDenied):
        services.delete_element(actor=people.reporter, element=unused)
    services.delete_element(actor=people.standing, element=unused)
    assert not DataElement.objects.filter(code="D").exists()
    deleted = DataElement.history.filter(code="D", history_type="-").get()  # type: ignore[attr-defined]
    assert deleted.history_user == people.standing


def test_an_indicator_changes_sets_and_is_deleted_only_outside_every_set(
    people: People, tree: Tree
) -> None:
    element(people, "HS")
    long, year = province_sets(people)
    indicator = services.create_indicator(
        actor=people.standing, code="I", name="I", formula="HS", period_kind=PeriodKind.QUARTER,
        legal_source="NQ 57", sets=[long],
    )  # fmt: skip
    services.set_target(actor=people.standing, indicator=indicator, value=D(10), year=2025)
    fields: dict[str, Any] = {
        "name": "Chỉ tiêu I", "formula": "HS * 2", "period_kind": PeriodKind.QUARTER,
        "legal_source": "NQ 57",
    }  # fmt: skip
    services.update_indicator(actor=people.standing, indicator=indicator, sets=[year], **fields)
    assert list(indicator.sets.all()) == [year]
    assert IndicatorSet.objects.get(code="2025-2045").indicators.count() == 0
    with pytest.raises(ValidationError) as caught:
        services.update_indicator(
            actor=people.standing, indicator=indicator, **fields | {"formula": "HS +"}
        )
    assert "Công thức kết thúc khi chưa đủ" in caught.value.message_dict["formula"][0]
    indicator.refresh_from_db()
    assert indicator.formula == "HS * 2"
    assert [h.formula for h in indicator.history.order_by("history_date", "history_id")] == [
        "HS",
        "HS * 2",
    ]
    with pytest.raises(ValidationError, match="thuộc bộ chỉ tiêu: năm 2025"):
        services.delete_indicator(actor=people.standing, indicator=indicator)
    services.update_indicator(actor=people.standing, indicator=indicator, sets=[], **fields)
    services.delete_indicator(actor=people.standing, indicator=indicator)
    assert not Indicator.objects.exists() and not Target.objects.exists()
    assert Target.history.filter(history_type="-").count() == 1  # type: ignore[attr-defined]
    kept = services.create_indicator(
        actor=people.standing, code="J", name="J", formula="HS", period_kind=PeriodKind.QUARTER,
        legal_source="NQ 57", sets=[year],
    )  # fmt: skip
    with pytest.raises(ValidationError, match="còn chỉ tiêu"):
        services.delete_indicator_set(actor=people.standing, indicator_set=year)
    services.update_indicator(actor=people.standing, indicator=kept, sets=[], **fields)
    services.delete_indicator_set(actor=people.standing, indicator_set=year)
    assert list(IndicatorSet.objects.values_list("code", flat=True)) == ["2025-2045"]


def test_targets_are_replaced_and_removed_with_their_history(people: People) -> None:
    element(people, "HS")
    indicator = services.create_indicator(
        actor=people.standing, code="I", name="I", formula="HS", period_kind=PeriodKind.QUARTER,
        legal_source="NQ 57",
    )  # fmt: skip
    first = services.set_target(actor=people.standing, indicator=indicator, value=D(10), year=2026)
    again = services.set_target(actor=people.standing, indicator=indicator, value=D(12), year=2026)
    assert first.pk == again.pk and Target.objects.get().value == 12
    assert [h.value for h in again.history.order_by("history_date", "history_id")] == [10, 12]
    with pytest.raises(ValidationError, match="Năm phải từ 2000 đến 2100"):
        services.set_target(actor=people.standing, indicator=indicator, value=D(1), year=1900)
    with pytest.raises(PermissionDenied):
        services.remove_target(actor=people.province_viewer, target=again)
    services.remove_target(actor=people.standing, target=again)
    assert not Target.objects.exists()


@pytest.fixture
def figures(people: People, tree: Tree, q3: Period) -> dict[str, DataElement]:
    """16681: 120 dossiers, 70 online + 40 direct, 60% stated online; 16690: 100 = 60 + 40."""
    made = {code: element(people, code) for code in ("TONG", "TT", "TTIEP", "TONG_THANG")}
    made["TL"] = element(people, "TL", ValueType.PERCENT)
    for unit, reporter, values in (
        (tree.commune, people.reporter, {"TONG": 120, "TT": 70, "TTIEP": 40, "TL": D(60)}),
        (tree.other_commune, people.other_reporter, {"TONG": 100, "TT": 60, "TTIEP": 40}),
    ):
        for code, value in values.items():
            services.record_value(
                actor=reporter, unit=unit, period=q3, element=made[code], value=value
            )
    q3.required_units.set([tree.commune, tree.other_commune])
    return made


def test_every_kind_of_rule_keeps_only_its_own_fields(
    people: People, figures: dict[str, DataElement]
) -> None:
    e = figures
    common = {"min_value": D(1), "max_value": D(2), "threshold": D(3), "numerator": e["TT"]}
    parts = services.create_rule(
        actor=people.standing, code="R_PARTS", kind=RuleKind.PARTS_SUM, total=e["TONG"],
        parts=[e["TT"], e["TTIEP"]], element=e["TL"], **common,
    )  # fmt: skip
    assert (parts.element, parts.numerator, parts.min_value, parts.threshold) == (None,) * 4
    assert set(parts.parts.all()) == {e["TT"], e["TTIEP"]}
    ranged = services.create_rule(
        actor=people.standing, code="R_RANGE", kind=RuleKind.RANGE, element=e["TT"],
        total=e["TONG"], parts=[e["TT"]], **common,
    )  # fmt: skip
    assert (ranged.total, ranged.numerator, ranged.threshold) == (None, None, None)
    assert (ranged.min_value, ranged.max_value) == (1, 2) and not ranged.parts.exists()
    problems = [
        ({"kind": RuleKind.PARTS_SUM, "total": e["TONG"]}, "parts"),
        ({"kind": RuleKind.RANGE, "element": e["TT"]}, "min_value"),
        ({"kind": RuleKind.RANGE, "element": e["TT"], "min_value": D(5), "max_value": D(1)},
         "max_value"),
        ({"kind": RuleKind.JUMP, "element": e["TT"]}, "threshold"),
        ({"kind": RuleKind.REQUIRED}, "element"),
        ({"kind": "nonsense", "element": e["TT"]}, "kind"),
    ]  # fmt: skip
    for fields, field in problems:
        with pytest.raises(ValidationError) as caught:
            services.create_rule(actor=people.standing, code="R_BAD", **fields)
        assert field in caught.value.message_dict, fields
    month = services.create_element(
        actor=people.standing, code="THANG", name="Tháng", value_type="count",
        period_kind=PeriodKind.MONTH,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="cùng tần suất"):
        services.create_rule(
            actor=people.standing, code="R_BAD", kind=RuleKind.PARTS_SUM, total=e["TONG"],
            parts=[month],
        )  # fmt: skip
    assert not ValidationRule.objects.filter(code="R_BAD").exists()
    for who in OUTSIDERS:
        with pytest.raises(PermissionDenied):
            services.create_rule(
                actor=getattr(people, who), code="R_X", kind=RuleKind.REQUIRED, element=e["TT"]
            )
    assert ValidationRule.objects.count() == 2


def test_a_rules_scope_narrows_where_it_looks(
    people: People, tree: Tree, q3: Period, figures: dict[str, DataElement]
) -> None:
    e = figures
    rule = services.create_rule(
        actor=people.standing, code="R_PARTS", kind=RuleKind.PARTS_SUM, total=e["TONG"],
        parts=[e["TT"], e["TTIEP"]],
    )  # fmt: skip
    assert [v.unit_code for v in check_period(q3)] == ["16681"]  # 70 + 40 ≠ 120
    fields: dict[str, Any] = {
        "kind": RuleKind.PARTS_SUM,
        "total": e["TONG"],
        "parts": [e["TT"], e["TTIEP"]],
    }
    for scope, found in (
        ({"units": [tree.other_commune]}, []),
        ({"units": [tree.commune]}, ["16681"]),
        ({"within": tree.agencies}, []),
        ({"within": tree.communes}, ["16681"]),
        ({"unit_types": [UnitType.DEPARTMENT]}, []),
        ({"active_to": date(2025, 6, 30)}, []),  # ended before the quarter
        ({"active_from": date(2025, 9, 30)}, ["16681"]),  # in force on its last day
    ):
        services.update_rule(actor=people.standing, rule=rule, **fields | scope)
        assert [v.unit_code for v in check_period(q3)] == found, scope
    history = rule.history.all()  # type: ignore[attr-defined]
    assert history.count() >= 8 and {h.history_user for h in history} == {people.standing}


def test_a_confirmed_rule_is_never_deleted(
    people: People, tree: Tree, q3: Period, figures: dict[str, DataElement]
) -> None:
    rule = services.create_rule(
        actor=people.standing, code="R_MAX", kind=RuleKind.RANGE, severity=Severity.WARNING,
        element=figures["TT"], max_value=D(50),
    )  # fmt: skip
    services.record_values(
        actor=people.reporter, unit=tree.commune, period=q3, values={"TT": D(71)},
        accept_warnings=True, comment="Đúng: có đợt cao điểm",
    )  # fmt: skip
    assert ConfirmedWarning.objects.get().rule == rule
    with pytest.raises(ValidationError, match="đã có cảnh báo được xác nhận"):
        services.delete_rule(actor=people.standing, rule=rule)
    assert ValidationRule.objects.filter(pk=rule.pk).exists()


def test_the_preview_finds_what_the_rule_would_and_keeps_nothing(
    people: People, tree: Tree, q3: Period, figures: dict[str, DataElement]
) -> None:
    e = figures
    before = ValidationRule.history.count()  # type: ignore[attr-defined]
    found = services.preview_rule(
        actor=people.standing, period=q3, code="R_TL", kind=RuleKind.RATIO_MATCHES,
        element=e["TL"], numerator=e["TT"], denominator=e["TONG"],
    )  # fmt: skip
    [violation] = found
    assert violation.unit_code == "16681"
    assert "(60%)" in violation.message and "70 / 120 = 58,33%" in violation.message
    assert not ValidationRule.objects.exists()
    assert ValidationRule.history.count() == before  # type: ignore[attr-defined]
    existing = services.create_rule(
        actor=people.standing, code="R_TT", kind=RuleKind.RANGE, element=e["TT"], max_value=D(100)
    )
    assert services.preview_rule(
        actor=people.standing, period=q3, rule=existing, kind=RuleKind.RANGE, element=e["TT"],
        max_value=D(65),
    ) != []  # fmt: skip
    existing.refresh_from_db()
    assert existing.max_value == 100  # the change was only tried
    with pytest.raises(PermissionDenied):
        services.preview_rule(
            actor=people.reporter, period=q3, code="R_X", kind=RuleKind.REQUIRED, element=e["TT"]
        )


def test_a_period_of_another_year_is_not_judged_by_a_rule_ended_before(
    people: People, tree: Tree, figures: dict[str, DataElement]
) -> None:
    q2 = make_period("2025-Q2", date(2025, 4, 1), date(2025, 6, 30))
    q2.required_units.set([tree.commune])
    services.create_rule(
        actor=people.standing, code="R_REQ", kind=RuleKind.REQUIRED, element=figures["TT"],
        active_from=date(2025, 7, 1),
    )  # fmt: skip
    assert check_period(q2) == []  # in force from Q3 only, though 16681 has no Q2 figure
