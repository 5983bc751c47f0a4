"""Shared test constants and the test session's demo database (imported by conftest and tests;
no test code runs in production)."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

# Every test starts at 02/10/2025 09:00, the day the Q3/2025 report was signed.
NOW = datetime(2025, 10, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

# Tests that read the loaded demo run after its Q4/2025 task events (see conftest `demo_data`).
DEMO_CLOCK = datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def suite_settings(storages: dict[str, Any]) -> dict[str, Any]:
    """What every test runs with (conftest `_test_settings`), the demo's one load included:
    fast hashing, background jobs in-process, e-mail kept in memory, plain static files."""
    return {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "STORAGES": {
            **storages,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


class DemoDatabase:
    """The whole demo, loaded once per test session (load_demo takes ~25 s) and put in place of
    the test database for exactly the tests that ask for it (conftest `demo_data`).

    Nothing a test does to the demo reaches another test: a test in a transaction is rolled back
    as usual, and after a transactional test (live_server; Django flushes the tables) the demo is
    detached and the next test that asks gets a fresh copy. On SQLite the copies are whole-file
    copies through SQLite's backup API (in memory, so a live server sharing the in-memory
    connection sees them too); on PostgreSQL the demo is a template database and the tests use a
    copy of it, `CREATE DATABASE ... TEMPLATE`, the connection pointed at it by name."""

    def __init__(self) -> None:
        self.output = ""  # what load_demo printed
        self.attached = False
        self._built = False
        self._stale = False  # PostgreSQL: the working copy was flushed
        self._saved: sqlite3.Connection | None = None  # SQLite: the database before attaching
        self._demo: sqlite3.Connection | None = None  # SQLite: the demo as loaded
        self._test_name: str = connection.settings_dict["NAME"]

    def attach(self) -> None:
        if self.attached:
            return
        if connection.vendor == "sqlite":
            self._saved = self._sqlite_copy()
            if self._built:
                self._sqlite_restore(self._demo)
            else:
                self._load()
                self._demo = self._sqlite_copy()
        else:
            if not self._built:
                self._postgres_build()
            elif self._stale:
                self._postgres_clone(self._template_name, self._work_name)
            self._switch(self._work_name)
        self._built = self.attached = True
        self._stale = False
        _forget_cached_rows()

    def detach(self, *, flushed: bool = False) -> None:
        """Give the tests that did not ask for the demo their database back; `flushed`: the
        test that ran on the demo was transactional, so the demo's copy is spent."""
        if not self.attached:
            return
        if connection.vendor == "sqlite":
            self._sqlite_restore(self._saved)
            self._saved = None
        else:
            self._switch(self._test_name)
            self._stale = self._stale or flushed
        self.attached = False
        _forget_cached_rows()

    def drop(self) -> None:
        """End of the session: before pytest-django destroys the test database."""
        self.detach()
        if connection.vendor != "sqlite" and self._built:
            with connection._nodb_cursor() as cursor:
                for name in (self._work_name, self._template_name):
                    cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")

    def _load(self) -> None:
        """load_demo with the tests' settings, at the demo's clock, committed as it goes (so its
        on-commit work, the return notices, happens as on a real server)."""
        out = io.StringIO()
        overrides = suite_settings(settings.STORAGES)
        with override_settings(**overrides), time_machine.travel(DEMO_CLOCK, tick=False):
            call_command("load_demo", stdout=out)
        self.output = out.getvalue()

    # SQLite

    def _sqlite_copy(self) -> sqlite3.Connection:
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        self._raw().backup(copy)
        return copy

    def _sqlite_restore(self, source: sqlite3.Connection | None) -> None:
        assert source is not None
        source.backup(self._raw())

    def _raw(self) -> sqlite3.Connection:
        assert not connection.in_atomic_block, "the demo is switched in outside transactions"
        connection.ensure_connection()
        raw: sqlite3.Connection = connection.connection
        return raw

    # PostgreSQL

    @property
    def _template_name(self) -> str:
        return f"{self._test_name}_demo"

    @property
    def _work_name(self) -> str:
        return f"{self._test_name}_demo_copy"

    def _postgres_build(self) -> None:
        self._postgres_clone(self._test_name, self._template_name)
        self._switch(self._template_name)
        self._load()
        self._postgres_clone(self._template_name, self._work_name)

    def _postgres_clone(self, source: str, target: str) -> None:
        """A fresh `target` from `source` (PostgreSQL copies the files; nobody may be connected
        to `source`, hence the close first)."""
        connection.close()
        quote: Callable[[str], str] = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")

    def _switch(self, name: str) -> None:
        # The settings dict is shared with the live server's threads, which connect anew for
        # every request.
        connection.close()
        connection.settings_dict["NAME"] = name


def _forget_cached_rows() -> None:
    """Caches that hold rows of the database just replaced (content type ids, the dashboard)."""
    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()
