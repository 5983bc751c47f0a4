"""Validation rules: one violation and one pass per kind, check_period's queries, record_values
all-or-nothing, and `manage.py check_data --json`."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators import services
from indicators.models import (
    ConfirmedWarning,
    DataElement,
    DataValue,
    RuleKind,
    Severity,
    ValidationRule,
    ValueType,
)
from indicators.tests.conftest import element
from indicators.validation import EntryRejected, Violation, check_entry, check_period
from org.models import UnitType
from org.tests.conftest import People, Tree
from periods.models import Period

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def elements(people: People) -> dict[str, DataElement]:
    codes = {"HS_TONG": ValueType.COUNT, "HS_TT": ValueType.COUNT, "HS_TRUC": ValueType.COUNT}
    codes |= {"DV_MOI": ValueType.COUNT, "DV_TONG": ValueType.COUNT}
    codes |= {"TL_THE": ValueType.PERCENT}
    return {code: element(people, code, kind) for code, kind in codes.items()}


def rule(kind: str, severity: str = Severity.ERROR, **fields: Any) -> ValidationRule:
    parts = fields.pop("parts", [])
    made = ValidationRule(code=f"R_{kind}", kind=kind, severity=severity, **fields)
    made.full_clean()
    made.save()
    made.parts.set(parts)
    return made


def store(people: People, tree: Tree, period: Period, **values: int | str) -> None:
    for code, value in values.items():
        services.record_value(
            actor=people.reporter,
            unit=tree.commune,
            period=period,
            element=DataElement.objects.get(code=code),
            value=D(value),
        )


def entry(tree: Tree, period: Period, **values: int | str | None) -> list[Violation]:
    given = {code: None if v is None else D(v) for code, v in values.items()}
    return check_entry(unit=tree.commune, period=period, values=given)


def test_parts_sum(tree: Tree, q3: Period, elements: dict[str, DataElement]) -> None:
    e = elements
    rule(RuleKind.PARTS_SUM, total=e["HS_TONG"], parts=[e["HS_TT"], e["HS_TRUC"]])
    [found] = entry(tree, q3, HS_TONG=110, HS_TT=70, HS_TRUC=50)
    assert found == Violation(
        rule="R_parts_sum",
        severity="error",
        unit_code="16681",
        element_code="HS_TONG",
        message="HS_TONG: Tổng các phần (120) khác tổng số (110).",
    )
    assert entry(tree, q3, HS_TONG=120, HS_TT=70, HS_TRUC=50) == []
    assert entry(tree, q3, HS_TONG=110, HS_TT=70) == []  # a part missing: not judged


def test_ratio_matches(tree: Tree, q3: Period, elements: dict[str, DataElement]) -> None:
    e = elements
    rule(
        RuleKind.RATIO_MATCHES, element=e["TL_THE"], numerator=e["DV_MOI"], denominator=e["DV_TONG"]
    )
    # 181.580 / 207.954 = 87,3172…%: 87,3 is within rounding, 90 is not
    assert entry(tree, q3, TL_THE="87.3", DV_MOI=181580, DV_TONG=207954) == []
    [found] = entry(tree, q3, TL_THE=90, DV_MOI=181580, DV_TONG=207954)
    assert "(90%)" in found.message and "181.580 / 207.954 = 87,32%" in found.message
    assert entry(tree, q3, TL_THE=90, DV_MOI=0, DV_TONG=0) == []  # no denominator


def test_range(tree: Tree, q3: Period, elements: dict[str, DataElement]) -> None:
    rule(RuleKind.RANGE, element=elements["HS_TONG"], min_value=D(1), max_value=D(1000))
    [found] = entry(tree, q3, HS_TONG=5000)
    assert found.message == "HS_TONG: giá trị (5.000) ngoài khoảng cho phép (1 – 1.000)."
    assert entry(tree, q3, HS_TONG=1000) == []


def test_jump_from_the_previous_period(
    tree: Tree, people: People, q2: Period, q3: Period, elements: dict[str, DataElement]
) -> None:
    rule(RuleKind.JUMP, Severity.WARNING, element=elements["HS_TONG"], threshold=D(50))
    store(people, tree, q2, HS_TONG=100)
    [found] = entry(tree, q3, HS_TONG=160)
    assert found.severity == "warning" and "60%" in found.message and "100 → 160" in found.message
    assert entry(tree, q3, HS_TONG=150) == []
    assert entry(tree, q2, HS_TONG=1) == []  # no earlier period


def test_required(tree: Tree, people: People, q3: Period, elements: dict[str, DataElement]) -> None:
    rule(RuleKind.REQUIRED, element=elements["HS_TONG"], message="Chưa nhập tổng số hồ sơ.")
    [found] = entry(tree, q3)
    assert found.message == "Chưa nhập tổng số hồ sơ."  # the rule's own message
    store(people, tree, q3, HS_TONG=5)
    assert entry(tree, q3) == []  # stored value counts
    assert len(entry(tree, q3, HS_TONG=None)) == 1  # the given value wins


def test_rule_needs_its_fields(elements: dict[str, DataElement]) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="cần trường này"):
        rule(RuleKind.PARTS_SUM)
    with pytest.raises(ValidationError, match="nhỏ nhất hoặc lớn nhất"):
        rule(RuleKind.RANGE, element=elements["HS_TONG"])


def test_rules_apply_only_to_units_reporting_the_element(
    tree: Tree, people: People, q3: Period
) -> None:
    dept_only = element(people, "SO_CB", unit_types=(UnitType.DEPARTMENT,))
    rule(RuleKind.REQUIRED, element=dept_only)
    assert entry(tree, q3) == []
    assert len(check_entry(unit=tree.dept, period=q3, values={})) == 1


def _setup_period(tree: Tree, people: People, q3: Period, q2: Period) -> None:
    e = {el.code: el for el in DataElement.objects.all()}
    rule(RuleKind.PARTS_SUM, total=e["HS_TONG"], parts=[e["HS_TT"], e["HS_TRUC"]])
    rule(RuleKind.REQUIRED, Severity.WARNING, element=e["DV_TONG"])
    rule(RuleKind.JUMP, element=e["HS_TONG"], threshold=D(10))
    store(people, tree, q2, HS_TONG=100)
    store(people, tree, q3, HS_TONG=110, HS_TT=70, HS_TRUC=50)


def test_check_period(
    tree: Tree, people: People, q2: Period, q3: Period, elements: dict[str, DataElement]
) -> None:
    _setup_period(tree, people, q3, q2)
    q3.required_units.set([tree.commune, tree.other_commune, tree.dept])
    found = check_period(q3)
    assert [(v.unit_code, v.rule) for v in found] == [
        ("16681", "R_parts_sum"),
        ("16681", "R_required"),
        ("16690", "R_required"),
    ]  # the department reports none of these; a 10% jump is not beyond 10%


def test_check_period_query_count_is_fixed(
    tree: Tree, people: People, q2: Period, q3: Period, elements: dict[str, DataElement]
) -> None:
    _setup_period(tree, people, q3, q2)
    q3.required_units.set([tree.commune])
    with CaptureQueriesContext(connection) as few:
        check_period(q3)
    q3.required_units.set([tree.commune, tree.other_commune, tree.dept])
    rule(RuleKind.RANGE, element=elements["HS_TT"], max_value=D(10))
    store(people, tree, q2, HS_TT=5)
    with CaptureQueriesContext(connection) as many:
        assert len(check_period(q3)) == 4
    assert len(few) == len(many) == 9  # with the owners of the main elements, the rules. units


def test_record_values_is_all_or_nothing(
    tree: Tree, people: People, q3: Period, elements: dict[str, DataElement]
) -> None:
    e = elements
    rule(RuleKind.PARTS_SUM, total=e["HS_TONG"], parts=[e["HS_TT"], e["HS_TRUC"]])
    values = {"HS_TONG": D(110), "HS_TT": D(70), "HS_TRUC": D(50)}
    with pytest.raises(EntryRejected) as caught:
        services.record_values(actor=people.reporter, unit=tree.commune, period=q3, values=values)
    assert [v.rule for v in caught.value.violations] == ["R_parts_sum"]
    assert not caught.value.needs_confirmation
    assert not DataValue.objects.exists()
    # a type error in one value (negative count) also saves none of them
    with pytest.raises(Exception, match="số nguyên không âm"):
        services.record_values(
            actor=people.reporter,
            unit=tree.commune,
            period=q3,
            values={"HS_TONG": D(120), "HS_TT": D(70), "HS_TRUC": D(50), "DV_MOI": D(-1)},
        )
    assert not DataValue.objects.exists()
    values["HS_TONG"] = D(120)
    assert (
        services.record_values(actor=people.reporter, unit=tree.commune, period=q3, values=values)
        == []
    )
    assert DataValue.objects.count() == 3


def test_warnings_need_to_be_accepted(
    tree: Tree, people: People, q3: Period, elements: dict[str, DataElement]
) -> None:
    rule(RuleKind.RANGE, Severity.WARNING, element=elements["HS_TONG"], max_value=D(100))
    kwargs: dict[str, Any] = {
        "actor": people.reporter,
        "unit": tree.commune,
        "period": q3,
        "values": {"HS_TONG": D(500)},
    }
    with pytest.raises(EntryRejected) as caught:
        services.record_values(**kwargs)
    assert caught.value.needs_confirmation and not DataValue.objects.exists()
    with pytest.raises(ValidationError) as no_comment:  # confirmed, but without saying why
        services.record_values(accept_warnings=True, comment="  ", **kwargs)
    assert "comment" in no_comment.value.message_dict
    assert not DataValue.objects.exists() and not ConfirmedWarning.objects.exists()
    [warning] = services.record_values(
        accept_warnings=True, comment="Có đợt tiếp nhận lớn cuối quý", **kwargs
    )
    assert warning.severity == "warning"
    stored = DataValue.objects.get()
    assert stored.value == 500
    confirmation = ConfirmedWarning.objects.get()
    assert (confirmation.unit, confirmation.period, confirmation.element) == (
        tree.commune,
        q3,
        elements["HS_TONG"],
    )
    assert confirmation.confirmed_by == people.reporter
    assert confirmation.comment == "Có đợt tiếp nhận lớn cuối quý"
    assert confirmation.message == warning.message and confirmation.fingerprint == "HS_TONG=500"
    # the figure's own history row carries the comment as its reason, at the same moment
    [row] = stored.history.all()
    assert row.history_change_reason == "Có đợt tiếp nhận lớn cuối quý"
    assert row.history_date == confirmation.confirmed_at == stored.entered_at


def test_record_values_checks_rights_and_codes(
    tree: Tree, people: People, q3: Period, elements: dict[str, DataElement]
) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.http import Http404

    with pytest.raises(Http404):
        services.record_values(
            actor=people.other_reporter, unit=tree.commune, period=q3, values={"HS_TONG": D(1)}
        )
    with pytest.raises(PermissionDenied):
        services.record_values(
            actor=people.head, unit=tree.commune, period=q3, values={"HS_TONG": D(1)}
        )
    with pytest.raises(ValidationError, match="Mã số liệu không có: NOPE"):
        services.record_values(
            actor=people.reporter, unit=tree.commune, period=q3, values={"NOPE": D(1)}
        )
    assert not DataValue.objects.exists()


def test_check_data_json(
    tree: Tree, people: People, q2: Period, q3: Period, elements: dict[str, DataElement]
) -> None:
    _setup_period(tree, people, q3, q2)
    q3.required_units.set([tree.commune, tree.other_commune])
    out = StringIO()
    call_command("check_data", "--period", "2025-Q3", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert isinstance(rows, list) and len(rows) == 3
    keys = {"rule", "unit", "element", "severity", "message", "confirmed"}
    assert all(set(r) == keys for r in rows)
    assert rows[0] == {
        "rule": "R_parts_sum",
        "unit": "16681",
        "element": "HS_TONG",
        "severity": "error",
        "message": "HS_TONG: Tổng các phần (120) khác tổng số (110).",
        "confirmed": None,
    }
