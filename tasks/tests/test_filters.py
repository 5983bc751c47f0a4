"""One task filter: what a figure's link writes (`TaskFilter.to_query`) is what the task list
reads back (`TaskFilterForm.task_filter`), whatever the filter."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import Http404, QueryDict
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from org import access
from org.models import UnitType
from org.tests.conftest import People, Tree
from tasks.forms import TaskFilterForm
from tasks.models import Area, Source
from tasks.queries import TaskFilter

DAY = date(2025, 9, 30)
days = st.integers(0, 400).map(lambda n: date(2025, 1, 1) + timedelta(days=n))


@pytest.fixture
def codes(db: None) -> None:
    Source.objects.create(code="NQ57-TINH", name="Nhiệm vụ cụ thể hóa NQ57")
    Area.objects.create(code="HT", name="Hạ tầng công nghệ")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from([None, "province", "dept", "communes", "commune"]),
    st.sampled_from([None, "agencies", "communes"]),
    st.sampled_from([None, UnitType.WARD, UnitType.DEPARTMENT]),
    st.sampled_from([None, "NQ57-TINH"]),
    st.sampled_from([None, "HT"]),
    st.one_of(st.none(), st.integers(2000, 2100)),
    st.one_of(st.none(), days),
    days,
)
def test_the_list_reads_back_the_filter_a_link_writes(
    people: People, tree: Tree, codes: None, unit, bloc, unit_type, source, area, year, due_by,
    as_of: date,
) -> None:  # fmt: skip
    written = TaskFilter(
        source=source, year=year, area=area, unit=unit and getattr(tree, unit), subtree=True,
        unit_type=unit_type, bloc=bloc and getattr(tree, bloc), due_by=due_by,
    )  # fmt: skip
    query = QueryDict(written.to_query(as_of=as_of, state="overdue"))
    form = TaskFilterForm(query, units=access.units_visible_to(people.standing))
    assert form.task_filter() == written and form.as_of_date() == as_of
    assert query["state"] == "overdue"


def test_a_link_names_the_list_and_overrides_a_value(tree: Tree) -> None:
    url = TaskFilter(unit=tree.province, source="NQ71").url(as_of=DAY, unit="16681", sort="code")
    parts = urlsplit(url)
    assert parts.path == reverse("tasks:task_list")
    assert parse_qs(parts.query) == {
        "as_of": ["30/09/2025"], "unit": ["16681"], "source": ["NQ71"], "sort": ["code"],
    }  # fmt: skip


def test_a_unit_out_of_sight_reads_as_missing(people: People, tree: Tree, codes: None) -> None:
    query = QueryDict(TaskFilter(unit=tree.dept).to_query())
    with pytest.raises(Http404):
        TaskFilterForm(query, units=access.units_visible_to(people.reporter)).task_filter()
