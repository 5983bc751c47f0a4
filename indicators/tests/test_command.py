"""`manage.py indicator_values`: one JSON object per indicator of the period's kind."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from indicators import services
from indicators.models import DataElement
from indicators.tests.conftest import element
from org.tests.conftest import People, Tree
from periods.models import Period, PeriodKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(tree: Tree, people: People, q3: Period) -> None:
    element(people, "DV_MOI")
    element(people, "DV_TONG")
    rate = services.create_indicator(
        actor=people.standing, code="TL_THE", name="Tỷ lệ đảng viên có thẻ mới",
        formula="ratio(DV_MOI, DV_TONG)", period_kind=PeriodKind.QUARTER, unit_label="%",
        legal_source="Nghị quyết 57-NQ/TW", order=1,
    )  # fmt: skip
    services.create_indicator(
        actor=people.standing, code="SO_THE", name="Số đảng viên có thẻ mới",
        formula="sum(DV_MOI)", period_kind=PeriodKind.QUARTER, legal_source="NQ 57", order=2,
    )  # fmt: skip
    services.set_target(actor=people.standing, indicator=rate, value=Decimal(85), year=2025)
    for actor, unit, new, total in (
        (people.reporter, tree.commune, 100_000, 120_000),
        (people.other_reporter, tree.other_commune, 81_580, 87_954),
    ):
        for code, value in (("DV_MOI", new), ("DV_TONG", total)):
            services.record_value(
                actor=actor,
                unit=unit,
                period=q3,
                element=DataElement.objects.get(code=code),
                value=value,
            )


def run(*args: str) -> str:
    out = StringIO()
    call_command("indicator_values", *args, stdout=out)
    return out.getvalue()


def test_json_shape(figures: None) -> None:
    rows = json.loads(run("--period", "2025-Q3", "--json"))
    assert isinstance(rows, list) and [r["code"] for r in rows] == ["TL_THE", "SO_THE"]
    keys = {"code", "value", "numerator", "denominator", "target", "achieved", "coverage"}
    assert all(set(r) == keys for r in rows)
    rate, count = rows
    assert rate["value"] == 87.3174 and round(rate["value"], 1) == 87.3
    assert (rate["numerator"], rate["denominator"]) == (181580, 207954)
    assert (rate["target"], rate["achieved"]) == (85, "met")
    assert rate["coverage"] == {"reported": 2, "required": 2}
    assert count["value"] == 181580 and isinstance(count["value"], float)
    assert (count["numerator"], count["denominator"], count["target"]) == (None, None, None)
    assert count["achieved"] == "no_data"


def test_one_unit(figures: None) -> None:
    rows = json.loads(run("--period", "2025-Q3", "--unit", "16690", "--json"))
    assert rows[0]["value"] == round(81_580 / 87_954 * 100, 4)
    assert rows[0]["coverage"] == {"reported": 1, "required": 1}


def test_plain_output_and_errors(figures: None) -> None:
    assert run("--period", "2025-Q3").splitlines()[0].startswith("TL_THE\t87.3174\t85.0\tmet\t2/2")
    with pytest.raises(CommandError, match="2030-Q1"):
        run("--period", "2030-Q1")
    with pytest.raises(CommandError, match="NOPE"):
        run("--period", "2025-Q3", "--unit", "NOPE")
