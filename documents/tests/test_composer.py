"""The composer's rules that live in one place each: the link from a figure to its task list
(composer.links.task_list_url), and the programme and indicator-set codes the reports speak of
(composer.programmes)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from django.urls import reverse

from documents.composer.links import task_list_url
from org.models import Unit

COMPOSER = Path(__file__).resolve().parent.parent / "composer"


def _sources() -> dict[str, str]:
    return {path.name: path.read_text() for path in COMPOSER.glob("*.py")}


def test_a_task_filter_becomes_a_task_list_url() -> None:
    day, province = date(2025, 9, 30), Unit(code="40")
    url = task_list_url(as_of=day, unit=province, state="on_time", source="NQ57-TINH", year=2025)
    assert url == (
        f"{reverse('tasks:task_list')}?as_of=30%2F09%2F2025&unit=40&source=NQ57-TINH&year=2025"
        "&state=on_time"
    )
    plain = task_list_url(as_of=date(2025, 9, 30), unit=Unit(code="16681"))
    assert plain.endswith("?as_of=30%2F09%2F2025&unit=16681&state=total")


def test_only_the_links_module_writes_a_query_string() -> None:
    writers = [name for name, text in _sources().items() if "urlencode" in text]
    assert writers == ["links.py"]
    # and only task_list_url points at the task list
    assert [name for name, text in _sources().items() if "tasks:task_list" in text] == ["links.py"]


def test_programme_and_indicator_set_codes_are_written_once() -> None:
    codes = ("NQ57-TINH", "NQ71", "CDS-DANG", "KH02-GD1", "BDHVS", "2025-2045")
    for code in codes:
        quoted = re.compile(rf"[\"']{re.escape(code)}[\"']")
        holders = [name for name, text in _sources().items() if quoted.search(text)]
        assert holders == ["programmes.py"], code
