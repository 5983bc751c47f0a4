"""The small province of org's tests, with a quarter and a month to report on and the
province's issuer settings (documents.services.save_profile)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from documents import services
from documents.content import Kind
from documents.models import DocumentProfile, Style
from org.tests import conftest as org_conftest
from org.tests.conftest import People, Tree
from periods.models import Period, PeriodKind
from reporting import services as reporting_services

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# The shared fixtures, re-exported (assigned, so the fixtures below may take them as arguments).
people = org_conftest.people
tree = org_conftest.tree


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Generated files go to a temporary folder, not the installation's."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _period(people: People, tree: Tree, code: str, kind: str, start: date, end: date) -> Period:
    return reporting_services.create_period(
        actor=people.standing, code=code, kind=kind, title=f"Kỳ {code}",
        starts_on=start, ends_on=end, opens_at=datetime(2025, 9, 1, tzinfo=TZ),
        due_at=datetime(2025, 10, 5, 17, tzinfo=TZ),
        units=[tree.commune, tree.other_commune, tree.dept],
    )  # fmt: skip


@pytest.fixture
def quarter(people: People, tree: Tree) -> Period:
    return _period(people, tree, "2025-Q3", PeriodKind.QUARTER, date(2025, 7, 1), date(2025, 9, 30))


@pytest.fixture
def month(people: People, tree: Tree) -> Period:
    return _period(people, tree, "2025-09", PeriodKind.MONTH, date(2025, 9, 1), date(2025, 9, 30))


@pytest.fixture
def profiles(people: People, tree: Tree) -> dict[Kind, DocumentProfile]:
    # A transactional test run earlier flushes every table, the outlines documents' migration
    # created included: put the default outline back where a kind has none.
    services.install_default_outlines(actor=people.standing)
    tree.province.name = "Tỉnh Nghệ An"
    tree.province.save()
    common = {"place": "Nghệ An", "signer_title": "PHÓ BÍ THƯ", "signer_name": "Võ Thị Minh Sinh"}
    quarterly = services.save_profile(
        actor=people.standing, kind=Kind.QUARTERLY, style=Style.PARTY,
        issuer="TỈNH ỦY NGHỆ AN", number="Số      -BC/TU", signer_capacity="T/M BAN THƯỜNG VỤ",
        recipients=["Văn phòng Trung ương Đảng,", "Lưu Văn phòng Tỉnh ủy."], **common,
    )  # fmt: skip
    monthly = services.save_profile(
        actor=people.standing, kind=Kind.MONTHLY, style=Style.STATE,
        issuer_parent="UBND TỈNH NGHỆ AN", issuer="BAN CHỈ ĐẠO", number="Số:      /BC-BCĐ",
        **common,
    )  # fmt: skip
    return {Kind.QUARTERLY: quarterly, Kind.MONTHLY: monthly}
