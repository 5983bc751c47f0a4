"""A small month to score by hand: three communes (16681 A, 16690 B, 16700 C), September 2025,
a scheme with every kind of criterion (data cut-off on the 1st: the calendar month, read as
stored at the end of 30/09/2025). Everything is entered through the services on 26/09/2025;
the tests score the month from 06/10/2025.

What each unit did (the hand computation is in test_acceptance.py):

- tasks (source issued 01/01/2025): T1 due 10/09 to A, B, C — A done 08/09, B done 15/09 (late),
  C not done; T2 due 25/09 to A, B — both done on time; T3 due 20/08 to C — not done.
- reports: the September report (due 25/09 17:00) of A, B, C — A sent 25/09 10:00, B 27/09 09:00,
  C 01/10 08:00 (after the cut-off); a quick report (due 12/09 17:00) of A and B — A sent 12/09
  16:00, B never.
- figures for 2025-09: A HS 100, TT 80; B HS 100, TT 50; C nothing. Indicators: TL_TT =
  ratio(TT, HS) ≥ 60, SO_TT = TT ≥ 20. A rule: HS required (an error).
- products (2025): A's "Một cửa số" with milestones due 15/09 (done 16/09) and 30/09 (done
  25/09), and "Bản đồ số", both delivered and rated "vượt" on 26/09; B's with a milestone due
  20/09 not done; C none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from indicators import services as indicator_services
from indicators.models import DataElement, RuleKind, Severity, ValidationRule, ValueType
from org.models import Role, Unit, UnitType, User
from org.tests.conftest import People, Tree, people, tree  # noqa: F401  (shared fixtures)
from org.tests.factories import UserFactory, make_unit
from periods.models import PeriodKind
from products import services as product_services
from products.models import Product, Rating
from products.services import Delivery, MilestoneInput
from reporting import services as report_services
from scoring import services
from scoring.models import Fact, Method, Scheme, UnitKind
from tasks import services as task_services
from tasks.models import Area, Assignment, Source, Task
from tasks.timeliness import Status

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONTH = date(2025, 9, 1)
ENTERED = datetime(2025, 9, 26, 10, 0, tzinfo=TZ)  # when the fixture's data is entered
SCORING_TIME = datetime(2025, 10, 6, 9, 0, tzinfo=TZ)  # after the cut-off, 30/09/2025


def at(day: str, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tzinfo=TZ)


@dataclass
class Month:
    a: Unit
    b: Unit
    c: Unit
    reporters: dict[str, User]
    heads: dict[str, User]
    scheme: Scheme
    products: dict[str, Product]


# The scheme of the fixture: code, fact, method, max, extra settings.
NV_BANDS = [["100", "30"], ["80", "24"], ["50", "15"]]
CRITERIA = [
    ("NV", Fact.TASKS_ON_TIME, Method.BANDS, 30, {"bands": NV_BANDS}),
    ("QH", Fact.OVERDUE_TASKS, Method.DEDUCT, 20, {"per_item": 2, "per_day": Decimal("0.5")}),
    ("BC", Fact.REPORTS, Method.DEDUCT, 20, {"per_day": Decimal(1), "per_missed": Decimal(10)}),
    ("CT", Fact.INDICATORS, Method.PROPORTIONAL, 10, {}),
    ("SP", Fact.MILESTONES, Method.BANDS, 10, {"bands": [["100", "10"], ["50", "5"]]}),
    ("DL", Fact.VIOLATIONS, Method.DEDUCT, 10, {"per_item": Decimal("2.5")}),
    ("TH", Fact.PRODUCTS_EXCEEDED, Method.BONUS, 3, {"per_item": Decimal(2)}),
]


def make_scheme(actor: User, valid_from: date = date(2025, 1, 1), name: str = "Xã 2025") -> Scheme:
    scheme = services.create_scheme(
        actor=actor, kind=UnitKind.COMMUNE, valid_from=valid_from, name=name
    )
    for order, (code, fact, method, top, extra) in enumerate(CRITERIA):
        services.save_criterion(
            actor=actor,
            scheme=scheme,
            order=order,
            code=code,
            name=f"Tiêu chí {code}",
            fact=fact,
            method=method,
            max_points=Decimal(top),
            **extra,
        )
    return scheme


@pytest.fixture
def month(tree: Tree, people: People) -> Month:  # noqa: F811  (shared fixtures)
    with time_machine.travel(ENTERED, tick=False):
        return _month(tree, people)


def _month(tree: Tree, people: People) -> Month:  # noqa: F811  (shared fixtures)
    office = people.standing
    c = make_unit(tree.communes, "16700", UnitType.COMMUNE, name="Xã C")
    a, b = tree.commune, tree.other_commune
    reporters = {
        "a": people.reporter,
        "b": people.other_reporter,
        "c": UserFactory(username="bc3", unit=c, role=Role.REPORTER),
    }
    heads = {
        "a": people.head,
        "b": UserFactory(username="ldx2", unit=b, role=Role.UNIT_HEAD),
        "c": UserFactory(username="ldx3", unit=c, role=Role.UNIT_HEAD),
    }
    _tasks(office, a, b, c, reporters)
    _figures(office, a, b, c, reporters)
    _reports(office, a, b, c, reporters, heads)
    products = _products(office, a, b, reporters, heads)
    scheme = make_scheme(office)
    return Month(a, b, c, reporters, heads, scheme, products)


def _done(reporter: User, task: Task, unit: Unit, day: str) -> None:
    task_services.record_status(
        actor=reporter,
        assignment=Assignment.objects.get(task=task, unit=unit),
        status=Status.COMPLETED,
        effective_date=date.fromisoformat(day),
        evidence_number="1/BC",
        evidence_date=date.fromisoformat(day),
    )


def _tasks(office: User, a: Unit, b: Unit, c: Unit, reporters: dict[str, User]) -> None:
    source = Source.objects.create(code="KH-XA", name="Kế hoạch", issued_on=date(2025, 1, 1))
    area = Area.objects.create(code="CDS", name="Chuyển đổi số")

    def task(code: str, deadline: date, units: list[Unit]) -> Task:
        return task_services.create_task(
            actor=office,
            lead_unit=units[0],
            assignees=units,
            code=code,
            title=f"Nhiệm vụ {code}",
            source=source,
            area=area,
            year=2025,
            deadline=deadline,
        )

    t1 = task("T1", date(2025, 9, 10), [a, b, c])
    t2 = task("T2", date(2025, 9, 25), [a, b])
    task("T3", date(2025, 8, 20), [c])
    _done(reporters["a"], t1, a, "2025-09-08")
    _done(reporters["b"], t1, b, "2025-09-15")
    _done(reporters["a"], t2, a, "2025-09-20")
    _done(reporters["b"], t2, b, "2025-09-25")


def _figures(office: User, a: Unit, b: Unit, c: Unit, reporters: dict[str, User]) -> None:
    for code in ("HS", "TT"):
        indicator_services.create_element(
            actor=office,
            code=code,
            name=f"Hồ sơ {code}",
            value_type=ValueType.COUNT,
            period_kind=PeriodKind.MONTH,
        )
    for code, formula, target in (("TL_TT", "ratio(TT, HS)", 60), ("SO_TT", "TT", 20)):
        indicator = indicator_services.create_indicator(
            actor=office,
            code=code,
            name=f"Chỉ tiêu {code}",
            formula=formula,
            period_kind=PeriodKind.MONTH,
            legal_source="Kế hoạch",
        )
        indicator_services.set_target(
            actor=office, indicator=indicator, value=Decimal(target), year=2025
        )
    ValidationRule.objects.create(
        code="HS_BAT_BUOC",
        kind=RuleKind.REQUIRED,
        severity=Severity.ERROR,
        element=DataElement.objects.get(code="HS"),
    )


def _reports(
    office: User,
    a: Unit,
    b: Unit,
    c: Unit,
    reporters: dict[str, User],
    heads: dict[str, User],
) -> None:
    september = report_services.create_period(
        actor=office,
        code="2025-09",
        kind=PeriodKind.MONTH,
        title="Tháng 9/2025",
        starts_on=date(2025, 9, 1),
        ends_on=date(2025, 9, 30),
        opens_at=at("2025-09-20", 7),
        due_at=at("2025-09-25", 17),
        units=[a, b, c],
    )
    quick = report_services.create_period(
        actor=office,
        code="NHANH-T9",
        kind=PeriodKind.QUICK,
        title="Báo cáo nhanh",
        starts_on=date(2025, 9, 10),
        ends_on=date(2025, 9, 12),
        opens_at=at("2025-09-10", 7),
        due_at=at("2025-09-12", 17),
        units=[a, b],
    )
    figures = {
        "a": {"HS": Decimal(100), "TT": Decimal(80)},
        "b": {"HS": Decimal(100), "TT": Decimal(50)},
        "c": {},
    }
    sent = {"a": at("2025-09-25", 10), "b": at("2025-09-27", 9), "c": at("2025-10-01", 8)}
    for key, unit in (("a", a), ("b", b), ("c", c)):
        report = report_services.start_report(actor=reporters[key], unit=unit, period=september)
        if figures[key]:
            report_services.record_report_figures(
                actor=reporters[key], report=report, values=figures[key]
            )
        report_services.submit_report(actor=reporters[key], report=report, at=sent[key])
    report = report_services.start_report(actor=reporters["a"], unit=a, period=quick)
    report_services.submit_report(actor=reporters["a"], report=report, at=at("2025-09-12", 16))


def _products(
    office: User, a: Unit, b: Unit, reporters: dict[str, User], heads: dict[str, User]
) -> dict[str, Product]:
    product_services.open_window(
        actor=office, year=2025, opens_on=date(2025, 1, 1), closes_on=date(2025, 12, 31)
    )

    def register(key: str, unit: Unit, title: str, milestones: list[MilestoneInput]) -> Product:
        product = product_services.create_product(
            actor=reporters[key],
            unit=unit,
            year=2025,
            title=title,
            beneficiaries="Người dân",
            expected_result="Giảm thời gian",
            owner_name="Chủ tịch UBND",
            due_on=date(2025, 12, 31),
            budget=Decimal(100_000_000),
            milestones=milestones,
        )
        product_services.submit(actor=reporters[key], product=product)
        product_services.approve(actor=heads[key], product=product)
        return product_services.accept(actor=office, product=product)

    steps = [
        MilestoneInput("Khảo sát", date(2025, 9, 15)),
        MilestoneInput("Triển khai", date(2025, 9, 30)),
    ]
    one = register("a", a, "Một cửa số", steps)
    first, second = one.milestones.all()
    product_services.complete_milestone(
        actor=reporters["a"], milestone=first, done_on=date(2025, 9, 16)
    )
    product_services.complete_milestone(
        actor=reporters["a"], milestone=second, done_on=date(2025, 9, 25)
    )
    two = register("a", a, "Bản đồ số", [])
    for product in (one, two):
        product_services.deliver(
            actor=reporters["a"],
            product=product,
            delivery=Delivery(
                delivered_on=date(2025, 9, 25),
                evidence_number="5/BC",
                evidence_date=date(2025, 9, 25),
            ),
        )
        product_services.evaluate(
            actor=office, product=product, rating=Rating.EXCEEDED, comment="Vượt mục tiêu"
        )
    three = register("b", b, "Camera an ninh", [MilestoneInput("Lắp đặt", date(2025, 9, 20))])
    return {"a1": one, "a2": two, "b": three}
