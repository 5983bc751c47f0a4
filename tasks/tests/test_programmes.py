"""Programme groups are rows the standing office sets up; the dashboard and the reports read
them through `programme_groups`, and a migrated database starts with the four it had as
literals."""

from __future__ import annotations

from datetime import date
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied

from org.tests.conftest import People
from tasks import services
from tasks.models import ProgrammeGroup, Source
from tasks.queries import Programme, programme_groups

pytestmark = pytest.mark.django_db

MIGRATION = import_module("tasks.migrations.0005_programme_group")


@pytest.fixture
def sources() -> dict[str, Source]:
    codes = ("NQ57-TINH", "NQ71", "CDS-DANG")
    return {code: Source.objects.create(code=code, name=f"Nguồn {code}") for code in codes}


@pytest.mark.parametrize("person", ["reporter", "communes_admin", "province_viewer", "head"])
def test_only_the_province_wide_office_sets_up_a_group(
    people: People, sources: dict[str, Source], person: str
) -> None:
    with pytest.raises(PermissionDenied):
        services.save_programme_group(
            actor=getattr(people, person), code="NQ71", name="Nghị quyết 71/NQ-CP",
            sources=[sources["NQ71"]],
        )  # fmt: skip
    assert not ProgrammeGroup.objects.exists()


def test_a_group_is_created_then_changed_in_place(people: People, sources: dict) -> None:
    created = services.save_programme_group(
        actor=people.standing, code="TINH", name="Nhiệm vụ năm {year}",
        sources=[sources["NQ57-TINH"]], order=2, this_year_only=True,
    )  # fmt: skip
    services.save_programme_group(
        actor=people.sysadmin, code="DANG", name="Đảng, Mặt trận", sources=[sources["CDS-DANG"]],
        order=1,
    )  # fmt: skip
    assert programme_groups() == [
        Programme("DANG", "Đảng, Mặt trận", ("CDS-DANG",)),
        Programme("TINH", "Nhiệm vụ năm {year}", ("NQ57-TINH",), this_year_only=True),
    ]
    changed = services.save_programme_group(
        actor=people.standing, code="TINH", name="Nhiệm vụ của tỉnh",
        sources=[sources["NQ57-TINH"], sources["NQ71"]],
    )  # fmt: skip
    assert changed.pk == created.pk and changed.version == created.version + 1
    assert programme_groups()[0] == Programme("TINH", "Nhiệm vụ của tỉnh", ("NQ57-TINH", "NQ71"))


def test_the_migration_creates_the_four_headlines_of_the_sources_there_are(
    sources: dict[str, Source],
) -> None:
    ProgrammeGroup.objects.all().delete()
    sources["CDS-DANG"].delete()
    MIGRATION.create_groups(apps, None)
    assert [(g.code, g.title(date(2025, 9, 30))) for g in ProgrammeGroup.objects.all()] == [
        ("NQ57-TINH", "Nhiệm vụ của tỉnh"),
        ("NQ57-TINH-NAM", "Nhiệm vụ năm 2025"),
        ("NQ71", "Nghị quyết 71/NQ-CP"),
    ]
    assert [g.sources for g in programme_groups()] == [("NQ57-TINH",), ("NQ57-TINH",), ("NQ71",)]
