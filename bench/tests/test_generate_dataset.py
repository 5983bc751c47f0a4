"""The national benchmark dataset generator, at a small size (SQLite and PostgreSQL alike)."""

import hashlib
import io
from collections.abc import Callable
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from bench.dataset import END, MONTHLY_ELEMENTS
from indicators.models import DataValue
from org.models import REPORTING_TYPES, Role, Unit, UnitType, User
from periods.models import Period
from reporting.models import UnitReport
from tasks.models import Area, Assignment, Source, StatusEvent, Task
from tasks.queries import TaskFilter, task_stats
from tasks.tests.conftest import copies_match_events

SMALL = {"provinces": 2, "communes": 20, "years": 1}
pytestmark = pytest.mark.django_db


def generate(**options: object) -> None:
    call_command("generate_dataset", **{**SMALL, **options}, stdout=io.StringIO())


def digest() -> str:
    """The data by natural keys (ids may differ between runs on PostgreSQL)."""
    rows = [
        *StatusEvent.objects.order_by(
            "assignment__task__code", "assignment__unit__code", "effective_date", "id"
        ).values_list(
            "assignment__task__code", "assignment__unit__code", "status", "effective_date",
            "progress",
        ),
        *UnitReport.objects.order_by("unit__code", "period__code").values_list(
            "unit__code", "period__code", "state", "first_submitted_at"
        ),
        *DataValue.objects.order_by("unit__code", "period__code", "element__code").values_list(
            "unit__code", "period__code", "element__code", "value"
        ),
        *Task.objects.order_by("code").values_list(
            "code", "lead_unit__code", "start_date", "deadline"
        ),
    ]  # fmt: skip
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_small_dataset_has_the_national_shape() -> None:
    generate()
    roots = list(Unit.objects.get_root_nodes())
    assert [r.unit_type for r in roots] == [UnitType.PROVINCE] * 2
    assert Unit.objects.find_problems() == ([], [], [], [], [])  # paths written by hand are sound
    for unit in Unit.objects.all():
        below = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
        assert unit.numchild == below.count()
    communes = Unit.objects.filter(unit_type__in=[UnitType.COMMUNE, UnitType.WARD])
    assert communes.count() == 20
    # each province: itself, the Steering Committee and its office, 5 blocs, 25 agencies
    assert Unit.objects.count() == 2 * 33 + 20
    assert Task.objects.count() == 2 * 120
    for root in roots:
        own = communes.filter(path__startswith=root.path).count()
        commune_tasks = Task.objects.filter(code__startswith=f"{root.code}-XA")
        assert commune_tasks.count() == 20
        assert all(t.assignments.count() == own for t in commune_tasks)
        assert User.objects.filter(role=Role.VIEWER, scope=root).count() == 1
    assert User.objects.filter(role=Role.SYSADMIN).count() == 1
    assert User.objects.filter(role=Role.REPORTER, unit__in=communes).count() == 4
    assert Period.objects.count() == 12 + 4
    reporting = Unit.objects.filter(unit_type__in=REPORTING_TYPES).count()
    assert reporting == 2 * 25 + 20
    assert 0.9 * 16 * reporting < UnitReport.objects.count() < 16 * reporting
    monthly = DataValue.objects.filter(element__code__in=[m[0] for m in MONTHLY_ELEMENTS])
    assert monthly.count() == len(MONTHLY_ELEMENTS) * reporting * 12  # every unit and month
    assert StatusEvent.objects.count() > 5 * Assignment.objects.count()
    assert copies_match_events()  # written as record_status writes them
    counts = task_stats(as_of=END).counts
    assert counts["total"] == 240
    assert 0 < counts["completed"] < 240 and counts["not_on_time"] > 0
    province = task_stats(as_of=date(2025, 6, 30), flt=TaskFilter(unit=roots[0], subtree=True))
    assert province.counts["total"] == 120


@pytest.mark.django_db(transaction=True)  # --reset flushes: PostgreSQL's TRUNCATE needs commits
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    generate()
    first = digest()
    generate(reset=True)
    assert digest() == first
    generate(reset=True, seed=58)
    assert digest() != first


def test_refuses_a_database_that_has_units() -> None:
    generate()
    before = (Unit.objects.count(), StatusEvent.objects.count())
    with pytest.raises(CommandError, match="--reset"):
        generate()
    assert (Unit.objects.count(), StatusEvent.objects.count()) == before


@pytest.mark.parametrize(
    "make",
    [
        lambda: Source.objects.create(code="S", name="Nguồn có sẵn"),
        lambda: Area.objects.create(code="A", name="Lĩnh vực có sẵn"),
    ],
    ids=["source", "area"],
)
def test_refuses_a_database_with_rows_in_any_generated_table(make: Callable[[], object]) -> None:
    make()  # no unit at all: the refusal is not about units only
    with pytest.raises(CommandError, match="--reset"):
        generate()
    assert not Unit.objects.exists() and not Task.objects.exists()
