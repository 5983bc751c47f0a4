"""Test-wide rules: a fixed clock, no network (pytest-socket, see pyproject), fast hashing,
background jobs run in-process, e-mail kept in memory."""

import io
from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from nq57.testing import DEMO_CLOCK, NOW


@pytest.fixture(autouse=True)
def _test_settings(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _frozen_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts at NOW, or at the date of its `clock` marker (for example the demo's
    Q4/2025 events need a clock after them)."""
    marker = request.node.get_closest_marker("clock")
    start = datetime.fromisoformat(marker.args[0]).replace(tzinfo=NOW.tzinfo) if marker else NOW
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture(scope="module")
def demo_data(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    """The whole demo loaded once for a test module (load_demo takes ~25 s), rolled back after
    it. Each test of the module still runs in its own savepoint (request `db` as usual) and
    should carry `pytest.mark.clock("2026-01-05T09:00")`, since the demo holds Q4/2025 events."""
    unblocked = django_db_blocker.unblock()  # type: ignore[attr-defined]
    with unblocked, time_machine.travel(DEMO_CLOCK, tick=False), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
