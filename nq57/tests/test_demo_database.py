"""The session's demo database (conftest `demo_data`, nq57.testing.DemoDatabase): what one test
changes in the demo no other test sees, and a test that does not ask for the demo has its own
database. pytest-django runs the transactional tests after the others, in this order."""

from __future__ import annotations

import pytest

from org.models import Unit

pytestmark = pytest.mark.clock("2026-01-05T09:00")  # after the demo's Q4/2025 events
CHANGED = "Đổi trong một phép thử"


def test_a_test_changes_the_demo(db: None, demo_data: None) -> None:
    assert Unit.objects.count() == 163
    Unit.objects.filter(code="40").update(name=CHANGED)


def test_the_next_sees_the_demo_as_loaded(db: None, demo_data: None) -> None:
    assert Unit.objects.count() == 163
    assert not Unit.objects.filter(name=CHANGED).exists()


def test_a_test_without_the_demo_has_its_own_database(db: None) -> None:
    assert not Unit.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_changes_the_demo(demo_data: None) -> None:
    Unit.objects.filter(code="40").update(name=CHANGED)  # committed, then the tables are flushed


@pytest.mark.django_db(transaction=True)
def test_the_next_transactional_test_sees_the_demo_as_loaded(demo_data: None) -> None:
    assert Unit.objects.count() == 163
    assert not Unit.objects.filter(name=CHANGED).exists()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_without_the_demo_has_its_own_database() -> None:
    assert not Unit.objects.exists()


def test_the_demo_output_is_load_demos(demo_output: str) -> None:
    assert "183 tasks created" in demo_output
