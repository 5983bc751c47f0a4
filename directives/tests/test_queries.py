"""Who reads which document, and the counts the province report quotes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from directives.queries import directive_counts, directives_visible_to, issued, list_url
from directives.tests.conftest import Committee, register
from org.tests.conftest import People, Tree


@pytest.fixture
def documents(people: People, tree: Tree, committee: Committee) -> dict[str, Any]:
    return {
        "bcd-q2": register(people, committee.steering, "1-KH/BCĐ", date(2025, 6, 30)),
        "bcd-q3": register(people, committee.steering, "2-KH/BCĐ", date(2025, 7, 1)),
        "office-q3": register(people, committee.office, "3-CV/TGV", date(2025, 9, 30)),
        "bcd-q4": register(people, committee.steering, "4-TB/BCĐ", date(2025, 10, 1)),
        "dept": register(people, tree.dept, "5/SKHCN", date(2025, 8, 1)),
        "province": register(people, tree.province, "6-CT/TU", date(2025, 2, 1)),
        "neighbour": register(people, tree.other_commune, "7/UBND", date(2025, 8, 1)),
        "neighbour-linked": register(
            people, tree.other_commune, "8/UBND", date(2025, 8, 2), tasks=[committee.dept_task]
        ),
    }


def _numbers(qs: Any) -> set[str]:
    return set(qs.values_list("number", flat=True))


def test_counts_for_the_quarter_and_cumulative(
    committee: Committee, documents: dict[str, Any], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        counts = directive_counts(
            unit=committee.steering, start=date(2025, 7, 1), end=date(2025, 9, 30)
        )
    assert counts == (2, 3)  # the office's document counts under its committee; Q4 does not
    assert directive_counts(
        unit=committee.office, start=date(2025, 7, 1), end=date(2025, 9, 30)
    ) == (1, 1)


def test_issued_is_the_subtree_within_the_dates(
    tree: Tree, committee: Committee, documents: dict[str, Any]
) -> None:
    q3 = issued(unit=committee.steering, start=date(2025, 7, 1), end=date(2025, 9, 30))
    assert _numbers(q3) == {"2-KH/BCĐ", "3-CV/TGV"}
    since_ever = issued(unit=tree.province, start=None, end=date(2025, 9, 30))
    assert len(_numbers(since_ever)) == 7  # all but the Q4 one
    assert _numbers(issued(unit=tree.agencies, start=None, end=date(2025, 9, 30))) == {"5/SKHCN"}


def test_list_url_carries_the_unit_and_dates(committee: Committee) -> None:
    url = list_url(unit=committee.steering, start=date(2025, 7, 1), end=date(2025, 9, 30))
    assert url == "/directives/?unit=BCD&to=30%2F09%2F2025&from=01%2F07%2F2025"
    assert list_url(unit=committee.steering, start=None, end=date(2025, 9, 30)) == (
        "/directives/?unit=BCD&to=30%2F09%2F2025"
    )


def test_who_reads_what(people: People, documents: dict[str, Any]) -> None:
    everything = set(_numbers(directives_visible_to(people.standing)))
    assert len(everything) == 8
    assert _numbers(directives_visible_to(people.province_viewer)) == everything
    # A commune reads the committee's documents, its superiors' and its own, not a neighbour's.
    assert _numbers(directives_visible_to(people.reporter)) == {
        "1-KH/BCĐ", "2-KH/BCĐ", "3-CV/TGV", "4-TB/BCĐ", "6-CT/TU",
    }  # fmt: skip
    # The department also reads the neighbour's document that steers the department's task.
    assert "8/UBND" in _numbers(directives_visible_to(people.dept_reporter))
    assert "7/UBND" not in _numbers(directives_visible_to(people.dept_reporter))
    assert not directives_visible_to(AnonymousUser()).exists()
    people.standing.is_active = False
    assert not directives_visible_to(people.standing).exists()
