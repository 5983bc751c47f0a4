"""The stored issuer settings as the renderers see them, the rules the database keeps, and how a
generated report is named and shown."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from documents.content import Kind, Letterhead
from documents.models import DocumentProfile, Format, GeneratedReport, Style
from org.tests.conftest import People, Tree
from periods.models import Period


def test_letterhead_carries_every_setting(profiles: dict[Kind, DocumentProfile]) -> None:
    head = profiles[Kind.QUARTERLY].letterhead(signed_on=date(2025, 10, 2))
    assert head == Letterhead(
        style="party",
        issuer="TỈNH ỦY NGHỆ AN",
        number="Số      -BC/TU",
        place="Nghệ An",
        signed_on=date(2025, 10, 2),
        signer_capacity="T/M BAN THƯỜNG VỤ",
        signer_title="PHÓ BÍ THƯ",
        signer_name="Võ Thị Minh Sinh",
        recipients=("Văn phòng Trung ương Đảng,", "Lưu Văn phòng Tỉnh ủy."),
        issuer_parent="",
        basis="",
    )
    assert profiles[Kind.MONTHLY].letterhead(signed_on=None).style == "state"


def _profile(**fields: object) -> DocumentProfile:
    values = {"style": Style.STATE, "issuer": "X", "number": "Số", "place": "Nghệ An", **fields}
    return DocumentProfile(**values)


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": Kind.UNIT},  # a unit's report names its unit
        {"kind": Kind.MONTHLY, "unit": "dept"},  # the province's kinds name none
    ],
)
def test_only_a_units_report_is_issued_per_unit(tree: Tree, fields: dict[str, object]) -> None:
    if fields.get("unit") == "dept":
        fields = {**fields, "unit": tree.dept}
    with pytest.raises(IntegrityError), transaction.atomic():
        _profile(**fields).save()


def test_one_profile_per_kind_and_per_unit(tree: Tree) -> None:
    _profile(kind=Kind.QUARTERLY).save()
    _profile(kind=Kind.UNIT, unit=tree.dept).save()
    _profile(kind=Kind.UNIT, unit=tree.other_dept).save()
    for fields in ({"kind": Kind.QUARTERLY}, {"kind": Kind.UNIT, "unit": tree.dept}):
        with pytest.raises(IntegrityError), transaction.atomic():
            _profile(**fields).save()


def _report(period: Period, unit: object, kind: Kind, **fields: object) -> GeneratedReport:
    return GeneratedReport.objects.create(
        kind=kind, period=period, unit=unit, as_of=date(2025, 9, 30), format=Format.DOCX,
        requested_at=timezone.now(), **fields,
    )  # fmt: skip


def test_names_and_duration(tree: Tree, quarter: Period, month: Period) -> None:
    quarterly = _report(quarter, tree.province, Kind.QUARTERLY, duration=timedelta(seconds=2.44))
    assert quarterly.download_name() == "bao-cao-quy-2025-Q3-2025-09-30.docx"
    assert quarterly.seconds == "2,4"
    unit = _report(month, tree.dept, Kind.UNIT)
    assert unit.download_name() == "bao-cao-skhcn-2025-09-2025-09-30.docx"
    assert unit.seconds == ""
    assert not unit.is_finished


def test_reports_are_visible_with_their_unit(people: People, tree: Tree, quarter: Period) -> None:
    province = _report(quarter, tree.province, Kind.QUARTERLY)
    commune = _report(quarter, tree.commune, Kind.UNIT)
    dept = _report(quarter, tree.dept, Kind.UNIT)
    visible = GeneratedReport.objects.visible_to
    assert set(visible(people.standing)) == {province, commune, dept}
    assert set(visible(people.province_viewer)) == {province, commune, dept}
    assert set(visible(people.communes_admin)) == {commune}
    assert set(visible(people.reporter)) == {commune}
    assert set(visible(people.dept_reporter)) == {dept}


def test_newest_first(tree: Tree, quarter: Period) -> None:
    older = _report(quarter, tree.province, Kind.QUARTERLY)
    newer = _report(quarter, tree.province, Kind.QUARTERLY)
    GeneratedReport.objects.filter(pk=older.pk).update(
        requested_at=datetime(2025, 10, 1, tzinfo=timezone.get_current_timezone())
    )
    assert list(GeneratedReport.objects.all()) == [newer, older]
