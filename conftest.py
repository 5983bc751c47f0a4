"""Test-wide rules: a fixed clock, no network (pytest-socket, see pyproject), fast hashing,
background jobs run in-process, e-mail kept in memory."""

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine

from nq57.testing import NOW


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
