"""Checked on entry and before sending, and readable afterwards: the history page of a unit's
figures (who, when, before, after, reason; nothing deleted), stale figures, confirmed warnings
that stay confirmed only on the same figures, the period check shown before generating a report
and the confirmed warnings on a generated report's traceability page."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.content import Kind
from documents.models import Format, GeneratedReport
from indicators import services
from indicators.models import ConfirmedWarning, DataElement, RuleKind, Severity
from indicators.queries import confirmed_warnings, is_stale, last_updates, stale_figures
from indicators.tests.conftest import element
from indicators.validation import period_check
from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from periods.models import Period, PeriodKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossiers(people: People, tree: Tree, q3: Period) -> DataElement:
    """16681's online dossiers, with a warning above 100: 90, then 95, then 130 confirmed."""
    online = element(people, "HS_TT")
    services.create_rule(
        actor=people.standing, code="R_MAX", name="Không quá 100", kind=RuleKind.RANGE,
        severity=Severity.WARNING, element=online, max_value=D(100),
    )  # fmt: skip
    q3.required_units.set([tree.commune, tree.other_commune])
    for value in (90, 95):
        services.record_values(
            actor=people.reporter, unit=tree.commune, period=q3, values={"HS_TT": D(value)}
        )
    services.record_values(
        actor=people.reporter, unit=tree.commune, period=q3, values={"HS_TT": D(130)},
        accept_warnings=True, comment="Đợt cao điểm cấp đổi giấy tờ",
    )  # fmt: skip
    services.record_values(
        actor=people.other_reporter, unit=tree.other_commune, period=q3, values={"HS_TT": D(7)}
    )
    return online


def history_url(unit: str, **params: str) -> str:
    return reverse("indicators:unit_history", args=[unit]) + (
        "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
    )


def test_the_history_shows_every_change_with_who_before_after_and_why(
    people: People, dossiers: DataElement
) -> None:
    response = client_for(people.reporter).get(history_url("16681"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('data-testid="figure-change"') == 3  # 16690's figure is not 16681's
    changes = content.split('data-testid="figure-change"')[1:]  # newest first
    assert "95 → <strong>130</strong>" in changes[0]
    assert "Lý do: Đợt cao điểm cấp đổi giấy tờ" in changes[0]
    assert "Cảnh báo đã xác nhận: HS_TT: giá trị (130) ngoài khoảng cho phép" in changes[0]
    assert "90 → <strong>95</strong>" in changes[1] and "Lý do" not in changes[1]
    assert "Nhập mới" in changes[2] and "90" in changes[2]
    assert people.reporter.full_name in changes[2]


def test_a_corrections_reason_is_on_the_figures_history(
    people: People, tree: Tree, q3: Period, dossiers: DataElement
) -> None:
    services.record_value(
        actor=people.standing, unit=tree.commune, period=q3, element=dossiers, value=D(128),
        reason="Điều chỉnh theo sổ tiếp nhận",
    )  # fmt: skip
    content = client_for(people.standing).get(history_url("16681")).content.decode()
    newest = content.split('data-testid="figure-change"')[1]
    assert "130 → <strong>128</strong>" in newest
    assert "Lý do: Điều chỉnh theo sổ tiếp nhận" in newest
    assert people.standing.full_name in newest


@pytest.mark.parametrize(
    ("person", "unit", "status"),
    [
        ("reporter", "16681", 200),
        ("head", "16681", 200),
        ("reporter", "16690", 404),
        ("reporter", "SKHCN", 404),
        ("dept_reporter", "16681", 404),
        ("communes_admin", "16690", 200),
        ("communes_admin", "SKHCN", 404),
        ("province_viewer", "16681", 200),
        ("standing", "16690", 200),
        ("standing", "NOPE", 404),
    ],
)
def test_who_reads_a_units_history(
    people: People, dossiers: DataElement, person: str, unit: str, status: int
) -> None:
    assert client_for(getattr(people, person)).get(history_url(unit)).status_code == status


def test_the_history_filters_by_period_and_element_and_costs_a_fixed_number_of_queries(
    people: People, tree: Tree, q3: Period, q2: Period, dossiers: DataElement
) -> None:
    q2.required_units.set([tree.commune])
    other = element(people, "HS_TTIEP")
    client = client_for(people.standing)
    client.get(history_url("16681"))
    with CaptureQueriesContext(connection) as few:
        client.get(history_url("16681"))
    for n in range(6):
        services.record_value(
            actor=people.reporter, unit=tree.commune, period=q2, element=other, value=n
        )
    with CaptureQueriesContext(connection) as many:
        content = client.get(history_url("16681")).content.decode()
    assert content.count('data-testid="figure-change"') == 9 and len(many) == len(few)
    only = client.get(history_url("16681", period="2025-Q2")).content.decode()
    assert only.count('data-testid="figure-change"') == 6
    one = client.get(history_url("16681", element="HS_TT")).content.decode()
    assert one.count('data-testid="figure-change"') == 3
    bad = client.get(history_url("16681", period="NOPE")).content.decode()
    assert bad.count('data-testid="figure-change"') == 9  # a bad filter shows everything


def test_a_figure_not_updated_within_its_interval_is_stale(
    people: People, tree: Tree, q3: Period, dossiers: DataElement
) -> None:
    entered = dossiers.values.get(unit=tree.commune).entered_at
    today = timezone.localdate(entered)
    assert not is_stale(dossiers, entered, today + timedelta(days=92))  # a quarter's length
    assert is_stale(dossiers, entered, today + timedelta(days=93))
    dossiers.update_days = 10
    assert is_stale(dossiers, entered, today + timedelta(days=11))
    assert not is_stale(dossiers, None, today + timedelta(days=1000))  # never reported: missing
    ids = [tree.commune.pk, tree.other_commune.pk]
    assert stale_figures([dossiers], ids, today + timedelta(days=11)) == {
        (tree.commune.pk, dossiers.pk),
        (tree.other_commune.pk, dossiers.pk),
    }
    assert last_updates([dossiers], ids)[(tree.commune.pk, dossiers.pk)] == entered
    # as of a day before anything was entered, there is nothing to be stale
    assert stale_figures([dossiers], ids, today - timedelta(days=1)) == set()


@pytest.mark.clock("2026-03-01T09:00")
def test_stale_figures_are_flagged_on_the_indicator_and_report_pages(
    people: People, tree: Tree, q3: Period
) -> None:
    online = element(people, "HS_TT")
    q3.required_units.set([tree.commune, tree.other_commune])
    services.create_indicator(
        actor=people.standing, code="SO_HS", name="Số hồ sơ", formula="HS_TT",
        period_kind=PeriodKind.QUARTER, legal_source="NĐ 118",
    )  # fmt: skip
    entered = timezone.now() - timedelta(days=120)
    services.record_value(
        actor=people.reporter, unit=tree.commune, period=q3, element=online, value=5, at=entered
    )
    services.record_value(actor=people.other_reporter, unit=tree.other_commune, period=q3,
                          element=online, value=6)  # fmt: skip
    detail = reverse("indicators:detail", args=["SO_HS"]) + "?period=2025-Q3"
    content = client_for(people.standing).get(detail).content.decode()
    rows = content.split('data-testid="unit-row"')[1:]
    assert 'data-testid="stale"' in rows[0] and 'data-testid="stale"' not in rows[1]
    element_page = client_for(people.standing).get(
        reverse("indicators:element_detail", args=["HS_TT"])
    )
    assert element_page.content.decode().count('data-testid="stale"') == 1
    as_of = client_for(people.standing).get(detail + "&as_of=01/12/2025").content.decode()
    assert 'data-testid="stale"' not in as_of  # 60 days old on that day: still live
    from reporting import services as reporting_services

    reporting_services.start_report(actor=people.reporter, unit=tree.commune, period=q3)
    report = reverse("reporting:report", args=["2025-Q3", "16681"])
    assert 'data-testid="stale"' in client_for(people.reporter).get(report).content.decode()


def test_a_confirmed_warning_stays_confirmed_only_on_the_same_figures(
    people: People, tree: Tree, q3: Period, dossiers: DataElement
) -> None:
    [checked] = period_check(q3).checked
    assert not checked.is_open and checked.confirmation is not None
    assert checked.confirmation.comment == "Đợt cao điểm cấp đổi giấy tờ"
    check = period_check(q3)
    assert (check.errors, check.open_warnings, check.confirmed_warnings) == (0, 0, 1)
    services.record_values(
        actor=people.reporter, unit=tree.commune, period=q3, values={"HS_TT": D(131)},
        accept_warnings=True, comment="Thêm một hồ sơ",
    )  # fmt: skip
    assert period_check(q3).checked[0].confirmation.comment == "Thêm một hồ sơ"  # type: ignore[union-attr]
    ConfirmedWarning.objects.filter(comment="Thêm một hồ sơ").delete()  # as if never confirmed
    assert period_check(q3).open_warnings == 1  # 131 is not the 130 confirmed


def test_the_violations_page_tells_open_from_confirmed(
    people: People, tree: Tree, q3: Period, dossiers: DataElement
) -> None:
    services.create_rule(
        actor=people.standing, code="R_BB", kind=RuleKind.REQUIRED, severity=Severity.ERROR,
        element=element(people, "HS_TTIEP"),
    )  # fmt: skip
    page = reverse("indicators:violations") + "?period=2025-Q3"
    content = client_for(people.standing).get(page).content.decode()
    assert (
        "3 vi phạm: 2 lỗi chặn nhập, 0 cảnh báo chưa xác nhận, 1 cảnh báo đã xác nhận." in content
    )
    assert 'data-testid="violation-confirmed"' in content and "Đợt cao điểm" in content
    for person in ("reporter", "province_viewer", "communes_admin"):
        assert client_for(getattr(people, person)).get(page).status_code == 403


def test_the_period_check_is_offered_before_generating_a_report(
    people: People, tree: Tree, q3: Period, dossiers: DataElement
) -> None:
    summary = reverse("indicators:period_check") + "?period=2025-Q3"
    content = client_for(people.standing).get(summary).content.decode()
    assert "0 lỗi, 0 cảnh báo chưa xác nhận, 1 cảnh báo đã xác nhận." in content
    services.record_values(
        actor=people.other_reporter, unit=tree.other_commune, period=q3,
        values={"HS_TT": D(101)}, accept_warnings=True, comment="Đúng",
    )  # fmt: skip
    ConfirmedWarning.objects.filter(unit=tree.other_commune).delete()
    content = client_for(people.standing).get(summary).content.decode()
    assert "0 lỗi, 1 cảnh báo chưa xác nhận, 1 cảnh báo đã xác nhận." in content
    assert 'data-testid="period-check-open"' in content and "16690" in content
    for person in ("reporter", "province_viewer", "head"):
        assert client_for(getattr(people, person)).get(summary).status_code == 403
    index = client_for(people.standing).get(reverse("documents:index")).content.decode()
    assert 'data-testid="period-check-loader"' in index
    assert 'hx-get="/indicators/violations/summary/"' in index
    assert 'hx-include="closest form"' in index  # the request form's period, not another
    mine = client_for(people.reporter).get(reverse("documents:index")).content.decode()
    assert 'data-testid="period-check-loader"' not in mine


def _report(tree: Tree, period: Period, unit: Any, as_of: date) -> GeneratedReport:
    return GeneratedReport.objects.create(
        kind=Kind.UNIT if unit != tree.province else Kind.QUARTERLY, period=period, unit=unit,
        as_of=as_of, format=Format.DOCX, requested_at=timezone.now(),
    )  # fmt: skip


def test_a_reports_traceability_page_names_the_confirmed_warnings(
    people: People, tree: Tree, q3: Period, dossiers: DataElement
) -> None:
    today = timezone.localdate()
    province = _report(tree, q3, tree.province, today)
    content = (
        client_for(people.standing)
        .get(reverse("documents:detail", args=[province.pk]))
        .content.decode()
    )
    assert 'data-testid="confirmed-warning"' in content
    assert "Đợt cao điểm cấp đổi giấy tờ" in content and people.reporter.full_name in content
    before = _report(tree, q3, tree.province, today - timedelta(days=1))
    earlier = client_for(people.standing).get(reverse("documents:detail", args=[before.pk]))
    assert 'data-testid="confirmed-warning"' not in earlier.content.decode()  # not yet then
    other = _report(tree, q3, tree.other_commune, today)
    assert confirmed_warnings(q3, tree.other_commune, today) == []
    page = client_for(people.standing).get(reverse("documents:detail", args=[other.pk]))
    assert 'data-testid="confirmed-warnings"' not in page.content.decode()


def test_check_data_marks_the_confirmed_warnings(people: People, dossiers: DataElement) -> None:
    out = io.StringIO()
    call_command("check_data", "--period", "2025-Q3", "--json", stdout=out)
    [row] = json.loads(out.getvalue())
    assert row["rule"] == "R_MAX" and row["severity"] == "warning"
    assert row["confirmed"]["by"] == people.reporter.username
    assert row["confirmed"]["comment"] == "Đợt cao điểm cấp đổi giấy tờ"
    text = io.StringIO()
    call_command("check_data", "--period", "2025-Q3", stdout=text)
    assert (
        text.getvalue()
        .rstrip()
        .endswith(f"confirmed by {people.reporter.username}: Đợt cao điểm cấp đổi giấy tờ")
    )
