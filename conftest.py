"""Test-wide rules: a fixed clock, no network (pytest-socket, see pyproject), fast hashing,
background jobs run in-process, e-mail kept in memory, the demo loaded once per session,
property tests without timing checks."""

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from nq57.testing import NOW, DemoDatabase, suite_settings

# Property tests are judged on what they find, never on how fast an example runs: on a shared
# 2-core machine the timing checks failed tests that were right (a flaky test is a bug).
hypothesis_settings.register_profile(
    "nq57", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("nq57")


@pytest.fixture(autouse=True)
def _test_settings(settings: pytest.FixtureRequest) -> None:
    for name, value in suite_settings(settings.STORAGES).items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    """Every test starts, and leaves, in the site's language: a request in English
    (LocaleMiddleware) leaves English active in the thread, and a service called by a later test
    would answer in it."""
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _frozen_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts at NOW, or at the date of its `clock` marker (for example the demo's
    Q4/2025 events need a clock after them)."""
    marker = request.node.get_closest_marker("clock")
    start = datetime.fromisoformat(marker.args[0]).replace(tzinfo=NOW.tzinfo) if marker else NOW
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture
def demo_data() -> None:
    """The whole demo in the test's database: ask for it next to `db` (or `transactional_db`,
    `live_server`), and carry `pytest.mark.clock("2026-01-05T09:00")`, since the demo holds
    Q4/2025 events. It is loaded once per session (see nq57.testing.DemoDatabase) and switched
    in by `_demo_database` before the test's transaction starts; what a test changes is undone
    like any other test's change."""


@pytest.fixture
def demo_output(demo_data: None, _demo: DemoDatabase) -> str:
    """What load_demo printed when the session loaded the demo."""
    return _demo.output


# The session's demo once a test has asked for it (so later tests can be given their own back).
_session_demo: list[DemoDatabase] = []


@pytest.fixture(scope="session")
def _demo(django_db_setup: None, django_db_blocker: object) -> Iterator[DemoDatabase]:
    demo = DemoDatabase()
    _session_demo.append(demo)
    yield demo
    _session_demo.clear()
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        demo.drop()


@pytest.fixture(autouse=True)
def _demo_database(request: pytest.FixtureRequest, django_db_blocker: object) -> Iterator[None]:
    """The demo in place for the tests that ask for `demo_data`, the test's own database for the
    others. Set up before the database fixtures (see pytest_collection_modifyitems), so the
    switch happens outside the test's transaction and is undone after its rollback or flush."""
    wants = "demo_data" in request.fixturenames
    demo = request.getfixturevalue("_demo") if wants else next(iter(_session_demo), None)
    unblocked = django_db_blocker.unblock  # type: ignore[attr-defined]
    if demo is not None:
        with unblocked():
            demo.attach() if wants else demo.detach()
    yield
    if wants and _is_transactional(request):
        with unblocked():
            demo.detach(flushed=True)


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    """As pytest-django decides it: such a test commits, and its tables are flushed after it."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in names
        or "live_server" in names
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`_demo_database` first among each test's function-scoped fixtures, before pytest-django
    opens the test's transaction."""
    for item in items:
        names: list[str] | None = getattr(item, "fixturenames", None)
        info = getattr(item, "_fixtureinfo", None)
        if not names or info is None or "_demo_database" not in names:
            continue
        names.remove("_demo_database")
        first = next(
            (
                i
                for i, name in enumerate(names)
                if (defs := info.name2fixturedefs.get(name)) and defs[-1].scope == "function"
            ),
            len(names),
        )
        names.insert(first, "_demo_database")
