"""Indicator sets are rows the standing office configures (services.save_indicator_set), read
through queries.indicator_sets(); the list page states each set's achievement in their order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from indicators import services
from indicators.models import IndicatorSet
from indicators.queries import indicator_overview, indicator_sets
from indicators.tests.conftest import element, province_sets
from indicators.tests.test_rollup import enter, indicator
from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from periods.models import Period

pytestmark = pytest.mark.django_db


def test_only_the_standing_office_configures_sets(people: People) -> None:
    for actor in (people.reporter, people.province_viewer, people.communes_admin, people.head):
        with pytest.raises(PermissionDenied):
            services.save_indicator_set(
                actor=actor, code="2025", name="năm 2025", first_year=2025, last_year=2025
            )
    assert not IndicatorSet.objects.exists()


def test_a_set_is_created_then_changed_with_its_history(people: People, q3: Period) -> None:
    element(people, "DVC_ONLINE")
    first = indicator(people, "A", "DVC_ONLINE")
    second = indicator(people, "B", "DVC_ONLINE")
    made = services.save_indicator_set(
        actor=people.standing, code="2025-2030", name="giai đoạn 2025–2030",
        first_year=2025, last_year=2030, indicators=[first],
    )  # fmt: skip
    assert made.years == "2025–2030" and list(made.indicators.all()) == [first]
    changed = services.save_indicator_set(
        actor=people.standing, code="2025-2030", name="giai đoạn 2025 – 2030",
        first_year=2025, last_year=2030, order=3, indicators=[second],
    )  # fmt: skip
    assert changed.pk == made.pk and IndicatorSet.objects.count() == 1
    assert (changed.name, changed.order) == ("giai đoạn 2025 – 2030", 3)
    assert list(changed.indicators.all()) == [second]
    kept = services.save_indicator_set(
        actor=people.standing, code="2025-2030", name="giai đoạn 2025–2030",
        first_year=2025, last_year=2030,
    )  # fmt: skip
    assert list(kept.indicators.all()) == [second]  # members left alone when not given
    history = changed.history.order_by("history_id")
    assert history.first().history_type == "+"  # type: ignore[union-attr]
    assert history.filter(history_user=people.standing).exists()
    assert [h.name for h in history if h.history_type == "~"][-1] == "giai đoạn 2025–2030"


def test_years_are_checked(people: People) -> None:
    with pytest.raises(ValidationError) as caught:
        services.save_indicator_set(
            actor=people.standing, code="X", name="X", first_year=2045, last_year=2025
        )
    assert "last_year" in caught.value.message_dict
    assert not IndicatorSet.objects.exists()


def test_sets_are_read_in_their_order_and_joined_by_new_indicators(
    tree: Tree, people: People, q3: Period
) -> None:
    long, year = province_sets(people)
    later = services.save_indicator_set(
        actor=people.standing, code="2026", name="năm 2026", first_year=2026, last_year=2026,
        order=3,
    )  # fmt: skip
    assert list(indicator_sets()) == [long, year, later]
    assert [s.years for s in indicator_sets()] == ["2025–2045", "2025", "2026"]
    element(people, "DVC_ONLINE")
    met = indicator(people, "A", "DVC_ONLINE", sets=(long, later))
    services.set_target(actor=people.standing, indicator=met, value=Decimal(10))
    enter(people, tree.commune, q3, "DVC_ONLINE", 12)
    overview = indicator_overview(q3, tree.province, sets=("2025-2045", "2025", "2026"))
    assert overview.achievement == {"2025-2045": (1, 1), "2025": (0, 0), "2026": (1, 1)}
    content = client_for(people.standing).get(reverse("indicators:list") + "?period=2025-Q3")
    text = content.content.decode()
    assert "đạt và vượt 1/1 chỉ tiêu 2025–2045 (100%); đạt và vượt 0/0 chỉ tiêu 2025 (0%); " in text
    assert "đạt và vượt 1/1 chỉ tiêu 2026 (100%)" in text


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_the_sets_from_the_flags() -> None:
    """Existing databases keep their figures: 0006 creates each set with the indicators that had
    its flag, 0007 drops the flags; backwards the flags come back from the sets."""
    executor = MigrationExecutor(connection)
    before = [("indicators", "0005_indicator_sets")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Indicator = apps.get_model("indicators", "Indicator")
    common = {"formula": "X", "period_kind": "quarter"}
    Indicator.objects.create(code="A", name="A", in_2025_set=True, in_2025_2045_set=True, **common)
    Indicator.objects.create(code="B", name="B", in_2025_2045_set=True, **common)
    Indicator.objects.create(code="C", name="C", **common)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    sets = {s.code: s for s in IndicatorSet.objects.all()}
    assert [s.code for s in indicator_sets()] == ["2025-2045", "2025"]
    assert sorted(i.code for i in sets["2025-2045"].indicators.all()) == ["A", "B"]
    assert [i.code for i in sets["2025"].indicators.all()] == ["A"]
    assert (sets["2025-2045"].name, sets["2025-2045"].years) == ("giai đoạn 2025–2045", "2025–2045")
    assert (sets["2025"].name, sets["2025"].years) == ("năm 2025", "2025")
    assert sets["2025"].history.count() == 1
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Indicator = apps.get_model("indicators", "Indicator")
    flags = Indicator.objects.order_by("code").values_list(
        "code", "in_2025_set", "in_2025_2045_set"
    )
    assert list(flags) == [("A", True, True), ("B", False, True), ("C", False, False)]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
