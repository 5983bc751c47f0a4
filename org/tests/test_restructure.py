"""Units over time: the merge of three communes into one on 01/07/2025 (figures before the date
count as they did, after it under the successor), splits, closes, moves, renames — each dated and
recorded — and the signal the apps above listen to."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from indicators import services as indicator_services
from indicators.models import ValueType
from indicators.queries import indicator_value
from org import services
from org.models import ChangeKind, Role, Unit, UnitChange, UnitType, User
from org.services import NewUnit
from org.signals import units_restructured
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory, make_unit
from periods.models import Period, PeriodKind
from reporting import services as reporting_services

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ON = date(2025, 7, 1)
REASON = "Nghị quyết 1678/NQ-UBTVQH15 sắp xếp đơn vị hành chính cấp xã"


@pytest.fixture
def three(tree: Tree) -> list[Unit]:
    """Three communes of the old map, each with its reporter."""
    units = [
        make_unit(tree.communes, code, UnitType.COMMUNE, name=f"Xã {code}")
        for code in ("X1", "X2", "X3")
    ]
    for unit in units:
        UserFactory(username=f"bc.{unit.code}", unit=unit, role=Role.REPORTER)
    return units


def _period(people: People, code: str, units: list[Unit]) -> Period:
    first, last = {"2025-Q2": (date(2025, 4, 1), date(2025, 6, 30)),
                   "2025-Q3": (date(2025, 7, 1), date(2025, 9, 30))}[code]  # fmt: skip
    return reporting_services.create_period(
        actor=people.standing, code=code, kind=PeriodKind.QUARTER, title=code,
        starts_on=first, ends_on=last, opens_at=datetime(2025, 6, 20, tzinfo=TZ),
        due_at=datetime(2025, 10, 5, 17, tzinfo=TZ), units=units,
    )  # fmt: skip


def _reporter(unit: Unit) -> User | None:
    reporters = User.objects.filter(unit=unit, role=Role.REPORTER, username__startswith="bc.")
    return reporters.order_by("username").first()


def test_a_merge_of_three_communes_keeps_the_past_and_moves_the_future(
    people: People, tree: Tree, three: list[Unit]
) -> None:
    """Acceptance (issue 13): merged on 01/07/2025, the figures of the second quarter count as
    they did — the three communes, summed up the tree — and those of the third under the
    successor; the roll-up honours each unit's active_from / active_to."""
    element = indicator_services.create_element(
        actor=people.standing, code="HS", name="Hồ sơ trực tuyến", value_type=ValueType.COUNT,
        period_kind=PeriodKind.QUARTER, unit_types=[UnitType.COMMUNE],
    )  # fmt: skip
    indicator = indicator_services.create_indicator(
        actor=people.standing, code="CT_HS", name="Hồ sơ", formula="HS",
        period_kind=PeriodKind.QUARTER, legal_source="Kế hoạch 02",
    )  # fmt: skip
    q2 = _period(people, "2025-Q2", three)
    q3 = _period(people, "2025-Q3", three)  # made before the merge was recorded
    for unit, value in zip(three, (10, 20, 30), strict=True):
        indicator_services.record_value(
            actor=_reporter(unit), unit=unit, period=q2, element=element, value=value
        )
    before = indicator_value(indicator, q2, tree.province)
    assert (before.value, before.coverage.reported, before.coverage.required) == (60, 3, 3)

    change = services.merge_units(
        actor=people.standing, predecessors=three, on=ON, reason=REASON,
        successor=NewUnit("XM", "Xã Hợp Nhất", UnitType.COMMUNE, tree.communes),
    )  # fmt: skip
    merged = Unit.objects.get(code="XM")
    assert (merged.active_from, change.unit, change.kind) == (ON, merged, ChangeKind.MERGE)

    # the past as it was: the three communes, three of three reported, and the bloc too
    after = indicator_value(indicator, q2, tree.province)
    assert (after.value, after.coverage) == (before.value, before.coverage)
    assert indicator_value(indicator, q2, tree.communes).value == 60
    assert indicator_value(indicator, q2, merged, subtree=False).value is None
    # the future under the successor: its people (the old communes' reporters) report for it
    reporter = _reporter(merged)
    indicator_services.record_value(
        actor=reporter, unit=merged, period=q3, element=element, value=Decimal(75)
    )
    third = indicator_value(indicator, q3, tree.province)
    # one commune reports the third quarter: the successor, not the three that ended on 30/06
    assert (third.value, third.coverage.reported, third.coverage.required) == (75, 1, 1)
    with pytest.raises(ValidationError):  # a predecessor reports nothing after its last day
        indicator_services.record_value(
            actor=people.standing,
            unit=Unit.objects.get(code="X1"),
            period=q3,
            element=element,
            value=1,
        )
    with pytest.raises(ValidationError):  # the successor nothing before its first
        indicator_services.record_value(
            actor=people.standing, unit=merged, period=q2, element=element, value=1
        )
    # the running period now asks the successor, not the communes that ended on 30/06
    assert set(q3.required_units.all()) == {merged}
    assert set(q2.required_units.all()) == set(three)


def test_a_merge_closes_the_predecessors_and_carries_their_people(
    people: People, tree: Tree, three: list[Unit]
) -> None:
    viewer = UserFactory(username="theo-doi", unit=tree.province, role=Role.VIEWER, scope=three[0])
    locked = UserFactory(username="da-khoa", unit=three[1], role=Role.REPORTER, is_active=False)
    change = services.merge_units(
        actor=people.standing, predecessors=three, successor=tree.commune, on=ON, reason=REASON
    )
    for unit in Unit.objects.filter(code__in=["X1", "X2", "X3"]):
        assert (unit.active_to, unit.merged_into, unit.is_active) == (
            date(2025, 6, 30), tree.commune, False
        )  # fmt: skip
    carried = User.objects.filter(username__in=["bc.X1", "bc.X2", "bc.X3"])
    assert {(u.unit, u.is_active) for u in carried} == {(tree.commune, True)}
    assert User.objects.get(pk=viewer.pk).scope == tree.commune
    assert User.objects.get(pk=locked.pk).unit == three[1]  # a locked account stays behind
    account = User.objects.get(username="bc.X1")
    assert account.history.first().history_user == people.standing
    assert (change.reason, change.actor, change.effective_on) == (REASON, people.standing, ON)
    assert sorted((link.predecessor.code, link.successor.code) for link in change.links.all()) == [
        ("X1", "16681"), ("X2", "16681"), ("X3", "16681"),
    ]  # fmt: skip


def test_the_signal_is_part_of_the_merge(people: People, tree: Tree, three: list[Unit]) -> None:
    """Sent inside the transaction with the moves, the date, the actor and the reason; a receiver
    that fails undoes the whole merge."""
    heard: list[dict] = []

    def listen(sender: object, **kwargs: object) -> None:
        heard.append(kwargs | {"atomic": connection.in_atomic_block})

    def refuse(sender: object, **kwargs: object) -> None:
        raise ValidationError("Nhiệm vụ không chuyển được.")

    units_restructured.connect(listen)
    try:
        change = services.merge_units(
            actor=people.standing, predecessors=three[:2], successor=three[2], on=ON,
            reason=REASON,
        )  # fmt: skip
    finally:
        units_restructured.disconnect(listen)
    (message,) = heard
    assert message["change"] == change and message["on"] == ON and message["atomic"]
    assert message["moves"] == ((three[0], three[2]), (three[1], three[2]))
    assert message["actor"] == people.standing and message["reason"] == REASON

    units_restructured.connect(refuse)
    try:
        with pytest.raises(ValidationError):
            services.merge_units(
                actor=people.standing, predecessors=[three[2]], on=ON, reason=REASON,
                successor=NewUnit("XN", "Xã Mới", UnitType.COMMUNE, tree.communes),
            )  # fmt: skip
    finally:
        units_restructured.disconnect(refuse)
    assert Unit.objects.get(code="X3").is_active and not Unit.objects.filter(code="XN").exists()
    assert User.objects.get(username="bc.X3").unit.code == "X3"
    assert UnitChange.objects.filter(kind=ChangeKind.MERGE).count() == 1


def test_a_split_makes_new_units_and_gives_the_accounts_to_one(
    people: People, tree: Tree, three: list[Unit]
) -> None:
    services.split_unit(
        actor=people.standing, predecessor=three[0], on=ON, reason=REASON, accounts_to=1,
        successors=[
            NewUnit("X1A", "Xã Bắc", UnitType.COMMUNE, tree.communes),
            NewUnit("X1B", "Xã Nam", UnitType.COMMUNE, tree.communes),
        ],
    )  # fmt: skip
    north, south = Unit.objects.get(code="X1A"), Unit.objects.get(code="X1B")
    assert north.active_from == south.active_from == ON
    assert Unit.objects.get(code="X1").active_to == date(2025, 6, 30)
    assert User.objects.get(username="bc.X1").unit == south
    change = UnitChange.objects.get(kind=ChangeKind.SPLIT)
    assert change.unit.code == "X1"
    assert {link.successor.code for link in change.links.all()} == {"X1A", "X1B"}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"on": date(2025, 12, 1)}, "Ngày hiệu lực không được sau hôm nay"),
        ({"reason": " "}, "Ghi lý do hoặc căn cứ"),
        ({"predecessors": []}, "Chọn các đơn vị được sáp nhập."),
        ({"successor": "X1"}, "Đơn vị nhận phải khác các đơn vị được sáp nhập."),
        ({"successor": "closed"}, "không hoạt động vào ngày hiệu lực"),
        ({"predecessors": ["closed"]}, "đã ngừng hoạt động"),
        ({"on": date(2025, 6, 1), "successor": "late"}, "không hoạt động vào ngày hiệu lực"),
        ({"predecessors": ["communes"]}, "còn đơn vị trực thuộc đang hoạt động"),
        ({"on": date(2025, 3, 1), "predecessors": ["young"]}, "sau ngày đơn vị"),
    ],
)
def test_a_wrong_merge_changes_nothing(
    people: People, tree: Tree, three: list[Unit], call: dict, message: str
) -> None:
    named = {
        "X1": three[0],
        "closed": make_unit(tree.communes, "OLD", active_to=date(2025, 1, 1)),
        "late": make_unit(tree.communes, "LATE", active_from=date(2025, 7, 1)),
        "young": make_unit(tree.communes, "YOUNG", active_from=date(2025, 3, 1)),
        "communes": tree.communes,
    }
    args = {"predecessors": three, "successor": tree.commune, "on": ON, "reason": REASON} | call
    args["predecessors"] = [named.get(u, u) for u in args["predecessors"]]
    args["successor"] = named.get(args["successor"], args["successor"])
    before = list(Unit.objects.values_list("code", "active_to", "merged_into"))
    with pytest.raises(ValidationError, match=message):
        services.merge_units(actor=people.standing, **args)
    assert list(Unit.objects.values_list("code", "active_to", "merged_into")) == before
    assert not UnitChange.objects.filter(kind=ChangeKind.MERGE).exists()


@pytest.mark.parametrize("person", ["reporter", "head", "communes_admin", "province_viewer"])
def test_only_structure_managers_restructure(
    people: People, tree: Tree, three: list[Unit], person: str
) -> None:
    actor = getattr(people, person)
    before = list(Unit.objects.values_list("code", "active_to", "merged_into", "path"))
    with pytest.raises((PermissionDenied, Http404)):
        services.merge_units(
            actor=actor, predecessors=three, successor=tree.commune, on=ON, reason=REASON
        )
    with pytest.raises((PermissionDenied, Http404)):
        services.split_unit(
            actor=actor, predecessor=three[0], on=ON, reason=REASON,
            successors=[NewUnit("A1", "A", UnitType.COMMUNE, tree.communes),
                        NewUnit("A2", "B", UnitType.COMMUNE, tree.communes)],
        )  # fmt: skip
    with pytest.raises((PermissionDenied, Http404)):
        services.close_unit(actor=actor, unit=three[0], active_to=ON, reason=REASON)
    with pytest.raises((PermissionDenied, Http404)):
        services.move_unit(actor=actor, unit=three[0], new_parent=tree.agencies)
    assert list(Unit.objects.values_list("code", "active_to", "merged_into", "path")) == before
    assert not UnitChange.objects.exists()


def test_every_change_is_dated_and_recorded(people: People, tree: Tree) -> None:
    unit = services.create_unit(
        actor=people.standing, parent=tree.communes, code="XN", name="Xã Nam",
        unit_type=UnitType.COMMUNE, active_from=date(2025, 7, 1), reason="Thành lập mới",
    )  # fmt: skip
    services.update_unit(
        actor=people.standing, unit=unit, name="Xã Nam Đàn", effective_on=date(2025, 9, 1),
        reason="Đổi tên theo nghị quyết",
    )  # fmt: skip
    services.update_unit(actor=people.standing, unit=unit, head_name="Ông A")  # not a rename
    services.move_unit(actor=people.standing, unit=unit, new_parent=tree.agencies)
    services.close_unit(
        actor=people.standing, unit=unit, active_to=date(2025, 9, 30), reason="Giải thể"
    )
    rows = list(
        UnitChange.objects.filter(unit=unit)
        .order_by("id")
        .values_list("kind", "effective_on", "before", "after", "reason")
    )
    assert rows == [
        (ChangeKind.CREATE, date(2025, 7, 1), {}, {"parent": "K-XA"}, "Thành lập mới"),
        (ChangeKind.RENAME, date(2025, 9, 1), {"name": "Xã Nam"}, {"name": "Xã Nam Đàn"},
         "Đổi tên theo nghị quyết"),
        (ChangeKind.MOVE, date(2025, 10, 2), {"parent": "K-XA"}, {"parent": "K-CQ"}, ""),
        (ChangeKind.CLOSE, date(2025, 10, 1), {}, {}, "Giải thể"),
    ]  # fmt: skip


def test_the_command_line_records_the_same_changes(
    people: People, tree: Tree, three: list[Unit]
) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command(
        "change_units", "merge", "X1", "X2", "--into", "XM", "--name", "Xã Mới", "--type", "Xã",
        "--parent", "K-XA", "--on", "2025-07-01", "--reason", REASON, stdout=out,
    )  # fmt: skip
    assert out.getvalue().strip() == "Merged X1, X2 into Xã Mới (XM) from 01/07/2025."
    call_command(
        "change_units", "split", "X3", "--into", "X3A=Xã Bắc", "X3B=Xã Nam", "--accounts-to",
        "X3B", "--on", "2025-07-01", "--reason", REASON, stdout=out,
    )  # fmt: skip
    assert User.objects.get(username="bc.X3").unit.code == "X3B"
    call_command("change_units", "rename", "XM", "--name", "Xã Hợp Thành", stdout=out)
    call_command("change_units", "close", "X3A", "--last-day", "2025-09-30", "--reason", "Giải thể",
                 stdout=out)  # fmt: skip
    kinds = list(UnitChange.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [ChangeKind.MERGE, ChangeKind.SPLIT, ChangeKind.RENAME, ChangeKind.CLOSE]
    with pytest.raises(CommandError, match="Ghi lý do"):
        call_command("change_units", "merge", "XM", "--into", "16681", "--on", "2025-07-02",
                     "--reason", " ")  # fmt: skip
    with pytest.raises(CommandError, match="Not allowed"):
        call_command("change_units", "--user", "bc", "close", "XM", "--last-day", "2025-09-30",
                     "--reason", "x")  # fmt: skip
    assert Unit.objects.get(code="XM").is_active
