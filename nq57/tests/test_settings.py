"""Settings fail loudly; Vietnamese formats are the default."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats

from nq57.env import env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import nq57.settings"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key() -> None:
    result = load_settings(DEBUG="0")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
    assert load_settings(DEBUG="0", SECRET_KEY="x" * 50).returncode == 0


def test_bad_values_stop_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG")
    monkeypatch.setenv("NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("NUMBER", 1)


def test_vietnamese_formats() -> None:
    assert formats.date_format(date(2025, 10, 2), "SHORT_DATE_FORMAT") == "02/10/2025"
    assert formats.number_format(229413, force_grouping=True) == "229.413"
    assert formats.number_format(87.3, decimal_pos=1) == "87,3"
