"""The demo indicators reproduce the Q3/2025 report's figures, through the queries and the CLI.

Loading takes seconds, so one test loads once and checks everything through helpers."""

from __future__ import annotations

import io
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from indicators import services
from indicators.models import (
    DataElement,
    DataValue,
    Evaluation,
    Indicator,
    Target,
    ValidationRule,
    ValueType,
)
from indicators.queries import indicator_overview, indicator_value
from org.models import Unit, User
from periods.models import Period

# The demo's Q4/2025 events must not lie in the future of the test's clock.
pytestmark = pytest.mark.clock("2026-01-05T09:00")


def rounded(value: Decimal | None, places: str) -> Decimal | None:
    return None if value is None else value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def cli() -> dict[str, dict[str, Any]]:
    out = io.StringIO()
    call_command("indicator_values", "--period", "2025-Q3", "--json", stdout=out)
    return {row["code"]: row for row in json.loads(out.getvalue())}


# code -> (value as the report writes it, numerator, denominator, rounding, coverage)
SEED = {
    "CSDL_THEDV": ("87.3", 181580, 207954, "0.1", (1, 1)),  # owned by BTC-TU alone
    "NTS_TT_XA": ("74.13", 136784, 184523, "0.01", (130, 130)),
    # the seed's counts (the report's 77,96% does not follow from them)
    "NTS_TT_TINH": ("75.58", 173399, 229413, "0.01", (146, 146)),
    "NTS_BADT": ("100", 53, 53, "1", None),
    "CSDL_DDTC_CA": ("100", 439, 439, "1", (1, 1)),
    "CSDL_DD_NN": ("100", 251, 251, "1", (1, 1)),
    "HT_KH02": ("100", 130, 130, "1", (130, 130)),
    "NNL_BDHVS": ("85.38", 111, 130, "0.01", (130, 130)),
    "CDDH_XA_BCD": ("95", 124, 130, "1", (130, 130)),
}
# code -> value without a ratio
PLAIN = {
    "HT_4G": "99.74",  # the latest month, 2025-09
    "HT_5G": "20",
    "HT_BT_TINH": "50",
    "ANM_SOC": "5946",
    "HTKH_TCKHCN": "71",  # 28 public + 43 non-public
    "HTKH_VILAS": "74",
    "CSDL_DDTC_DN": "10890",
    "NTS_KQDT": "84.68",
    "NTS_SOHOA": "81.75",
    "NTS_TAISD": "160532",
    "NTS_KPT": "205",
}


def achievement(period: Period, root: Unit) -> dict[str, tuple[int, int]]:
    """Met or exceeded, of each set's indicators (the report's "đạt và vượt 39/65...")."""
    return dict(indicator_overview(period, root, sets=("2025-2045", "2025")).achievement)


def check_seed_figures(period: Period, root: Unit) -> None:
    rows = cli()
    assert len(rows) == Indicator.objects.count() == 69
    for code, (shown, num, den, places, coverage) in SEED.items():
        result = indicator_value(Indicator.objects.get(code=code), period, root)
        assert rounded(result.value, places) == Decimal(shown), code
        assert (result.numerator, result.denominator) == (num, den), code
        row = rows[code]
        assert rounded(Decimal(str(row["value"])), places) == Decimal(shown), code
        assert (row["numerator"], row["denominator"]) == (num, den), code
        if coverage is not None:
            assert (result.coverage.reported, result.coverage.required) == coverage, code
            assert row["coverage"] == {"reported": coverage[0], "required": coverage[1]}, code
    assert rows["CSDL_THEDV"]["value"] == 87.3174  # four decimals in the JSON
    assert rows["NTS_TT_XA"]["value"] == 74.1284
    for code, shown in PLAIN.items():
        assert Decimal(str(rows[code]["value"])) == Decimal(shown), code
    assert rows["HT_5G"]["achieved"] == "not_met"  # target 50% for 2025
    assert (rows["HT_XH_KH02"]["value"], rows["HT_XH_KH02"]["achieved"]) == (4, "met")  # rank


def check_single_owners(period: Period, root: Unit) -> None:
    """A province-wide figure owned by one unit: only that unit must (and may) report it."""
    for code in ("HT_4G", "HT_5G", "CSDL_THEDV", "NTS_BADT", "NTS_KQDT", "HTKH_VILAS"):
        result = indicator_value(Indicator.objects.get(code=code), period, root)
        assert (result.coverage.reported, result.coverage.required) == (1, 1), code
    owners = DataElement.objects.get(code="PS_4G").reporting_units.all()
    assert [u.code for u in owners] == ["SKHCN"]
    assert [u.code for u in DataElement.objects.get(code="DV_THE").reporting_units.all()] == [
        "BTC-TU"
    ]
    assert not DataElement.objects.get(code="XA_HS_TT").reporting_units.exists()
    # another department may not report the science department's figure
    finance = Unit.objects.get(code="STC")
    reporter = User.objects.get(username="bc.stc")
    with pytest.raises(ValidationError):
        services.record_value(
            actor=reporter,
            unit=finance,
            period=Period.objects.get(code="2025-09"),
            element=DataElement.objects.get(code="PS_4G"),
            value=Decimal(99),
        )
    assert not DataValue.objects.filter(element__code="PS_4G", unit=finance).exists()


def check_data_entry() -> None:
    party = DataValue.objects.get(element__code="DV_THE")
    assert (party.unit.code, party.entered_by.username) == ("BTC-TU", "bc.btc-tu")
    assert party.history.count() == 1
    hospitals = DataValue.objects.get(element__code="BV_BADT")
    assert (hospitals.unit.code, hospitals.value) == ("SYT", 53)
    communes = DataValue.objects.filter(element__code="XA_HS_TT")
    assert communes.count() == 130
    assert len({v.value for v in communes}) > 20  # spread unevenly, not 130 equal shares
    assert all(v.entered_by.username == f"bc.{v.unit.code.lower()}" for v in communes)
    months = DataValue.objects.filter(element__code="PS_5G").order_by("period__ends_on")
    assert [(v.period.code, v.value) for v in months] == [
        ("2025-07", 10),
        ("2025-08", 15),
        ("2025-09", 20),
    ]
    assert DataElement.objects.get(code="PS_4G").value_type == "percent"


def check_definitions() -> None:
    assert Indicator.objects.filter(sets__code="2025-2045").count() == 65
    assert Indicator.objects.filter(sets__code="2025").count() == 45
    assert Indicator.objects.filter(sets__code="2025").filter(sets__code="2025-2045").count() == 41
    assert not Indicator.objects.filter(area__isnull=True).exists()
    provisional = Indicator.objects.filter(evaluation=Evaluation.PROVISIONAL)
    assert provisional.count() >= 5
    assert all(i.method_note.startswith("Tạm thời") for i in provisional)
    official = Indicator.objects.filter(evaluation=Evaluation.OFFICIAL)
    assert all(i.legal_source for i in official)
    assert "57-NQ/TW" in Indicator.objects.get(code="CSDL_NGANH").legal_source
    horizon = Target.objects.get(indicator__code="HT_5G", year__isnull=True)
    assert horizon.value == 100


def check_rules() -> None:
    """The demo's rule set finds real issues in its figures, through the same command."""
    out = io.StringIO()
    call_command("check_data", "--period", "2025-Q3", "--json", stdout=out)
    found = {(row["unit"], row["rule"], row["severity"]) for row in json.loads(out.getvalue())}
    missing = {
        ("SKHCN", "BB_DN_KS"), ("SKHCN", "BB_DN_UDCNS"), ("SKHCN", "BB_HTTT_CD"),
        ("STC", "BB_CHI_NS"), ("STC", "BB_CHI_KHCN"), ("VP-UBND", "BB_CS_DVC"),
    }  # fmt: skip
    assert found == {(u, r, "warning") for u, r in missing | {("SKHCN", "KH_TRAM_MLL")}}
    out = io.StringIO()
    call_command("check_data", "--period", "2025-09", "--json", stdout=out)
    [jump] = json.loads(out.getvalue())
    assert (jump["unit"], jump["rule"]) == ("SKHCN", "TG_PS_5G")
    assert "thay đổi 33,3% so với kỳ trước (15 → 20)" in jump["message"]
    assert ValidationRule.objects.count() == 13
    flags = DataElement.objects.filter(code__in=["XA_BCD", "XA_BDHVS", "SO_KH", "IOC_VH"])
    assert {e.value_type for e in flags} == {ValueType.YES_NO}


@pytest.mark.django_db
def test_demo_indicators_give_the_q3_report_figures(demo_output: str) -> None:
    assert "Demo indicators: 69 indicators created." in demo_output
    period = Period.objects.get(code="2025-Q3")
    root = Unit.objects.get(code="40")

    # "đạt và vượt 39/65 chỉ tiêu giai đoạn 2025-2045 (60%); 29/45 chỉ tiêu năm 2025 (64%)"
    assert achievement(period, root) == {"2025-2045": (39, 65), "2025": (29, 45)}
    check_seed_figures(period, root)
    check_single_owners(period, root)
    check_data_entry()
    check_definitions()
    check_rules()

    # loading again adds nothing: no element, indicator, target, value or history row
    counts = [
        DataElement.objects.count(),
        Indicator.objects.count(),
        Target.objects.count(),
        DataValue.objects.count(),
        DataValue.history.count(),
        ValidationRule.objects.count(),
    ]
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo indicators: 0 indicators created." in out.getvalue()
    assert [
        DataElement.objects.count(),
        Indicator.objects.count(),
        Target.objects.count(),
        DataValue.objects.count(),
        DataValue.history.count(),
        ValidationRule.objects.count(),
    ] == counts
    assert achievement(period, root)["2025-2045"] == (39, 65)
