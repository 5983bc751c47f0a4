"""The English catalogue is complete: every Vietnamese message has a reviewed English text (none
untranslated, none left as msgmerge's fuzzy guess), each keeps its message's named placeholders,
and pages asked for in English read in English."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from org.tests.conftest import People
from org.tests.test_views import client_for
from tasks import services
from tasks.tests.test_views import Work, new_task

ENGLISH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
KEYWORD = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')


def entries(path: Path) -> list[dict[str, str]]:
    """The catalogue's live entries as {keyword: text}; continuation lines are joined and
    escapes left as written (enough to compare placeholders)."""
    found: list[dict[str, str]] = []
    current: dict[str, str] = {}
    keyword = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#~") or not line.strip():
            if current:
                found.append(current)
            current, keyword = {}, ""
            continue
        if match := KEYWORD.match(line):
            keyword = match.group(1)
            current[keyword] = match.group(2)
        elif line.startswith('"') and keyword:
            current[keyword] += line[1:-1]
    if current:
        found.append(current)
    return [e for e in found if e.get("msgid")]  # the header has an empty msgid


def needing_work(flag: str) -> list[str]:
    """The msgids msgattrib selects with `flag` (untranslated or fuzzy), obsolete ones left out."""
    # GNU gettext is required: `make messages` (compilemessages) cannot run without it either.
    assert shutil.which("msgattrib"), (
        "GNU gettext's msgattrib is required (apt-get install gettext)"
    )
    result = subprocess.run(
        ["msgattrib", flag, "--no-obsolete", "--no-wrap", str(ENGLISH)],
        capture_output=True,
        text=True,
        check=True,
    )
    return re.findall(r'^msgid "(.+)"$', result.stdout, re.MULTILINE)


@pytest.mark.parametrize("flag", ["--untranslated", "--only-fuzzy"])
def test_every_english_message_is_translated_and_reviewed(flag: str) -> None:
    assert needing_work(flag) == []


def test_english_texts_keep_the_placeholders_of_their_message() -> None:
    wrong = []
    for entry in entries(ENGLISH):
        expected = set(PLACEHOLDER.findall(entry["msgid"] + entry.get("msgid_plural", "")))
        for keyword, text in entry.items():
            if keyword.startswith("msgstr") and set(PLACEHOLDER.findall(text)) != expected:
                wrong.append((entry["msgid"], keyword, text))
    assert wrong == []
    assert len(entries(ENGLISH)) > 2000  # the parser read the whole catalogue


def test_the_programme_and_extension_pages_read_in_english(people: People, work: Work) -> None:
    task = new_task(
        people,
        "T-GH",
        people.dept_reporter.unit,
        work.source,
        work.area,
        deadline=date(2025, 12, 31),
    )
    services.request_extension(
        actor=people.dept_reporter,
        task=task,
        requested_deadline=date(2026, 3, 31),
        reason="Chờ kinh phí",
    )
    client = client_for(people.standing)
    client.cookies["django_language"] = "en"
    pages = {
        reverse("programme:source_list"): ("Task sources", "Add a source", "Document title"),
        reverse("tasks:extension_list"): (
            "Task deadline extension requests",
            "Awaiting a decision",
            "Approve the extension",
        ),
    }
    for path, words in pages.items():
        page = client.get(path).content.decode()
        missing = [word for word in words if word not in page]
        assert missing == [], path
        assert "Nguồn giao nhiệm vụ" not in page and "Chờ quyết định" not in page, path
