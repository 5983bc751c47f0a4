"""The board on a phone: the standing office's work first. Rows are grouped late, returned,
waiting for its receipt (open), then still with the units and received (folded behind their
count unless the list is filtered), each group with its count."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine

from org.models import Role
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory
from org.tests.test_views import client_for
from reporting import services
from reporting.models import Period
from reporting.tests.test_views import TZ, as_user, board_url, period  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def groups(content: str) -> list[tuple[str, bool, int, list[str]]]:
    """Each group on the page: key, open, its count, its rows' units."""
    found = []
    for key, attrs, body in re.findall(
        r'<details class="board-group[^"]*" data-testid="board-group-(\w+)"( open)?>'
        r"(.*?)</details>",
        content,
        re.S,
    ):
        count = re.search(r'data-testid="group-count">(\d+)<', body)
        assert count
        rows = re.findall(r'data-testid="board-row-(\w+)"', body)
        assert int(count.group(1)) == len(rows)
        found.append((key, bool(attrs), len(rows), rows))
    return found


def test_the_office_sees_its_work_first(
    people: People,
    tree: Tree,
    period: Period,  # noqa: F811  (fixture)
) -> None:
    ward = services.start_report(actor=people.reporter, unit=tree.commune, period=period)
    ward = services.submit_report(actor=people.reporter, report=ward)
    services.approve_report(actor=people.head, report=ward)  # waits for the office
    other = services.start_report(
        actor=people.other_reporter, unit=tree.other_commune, period=period
    )
    other = services.submit_report(actor=people.other_reporter, report=other)
    head = UserFactory(username="ldx2", unit=tree.other_commune, role=Role.UNIT_HEAD)
    services.return_report(actor=head, report=other, comment="Thiếu số liệu")
    office = client_for(people.standing)
    before = groups(office.get(board_url()).content.decode())
    assert before == [
        ("returned", True, 1, ["16690"]),
        ("to_receive", True, 1, ["16681"]),
        ("in_progress", False, 1, ["SKHCN"]),  # not started, still on time: folded
    ]
    with time_machine.travel(datetime(2025, 10, 6, 9, tzinfo=TZ), tick=False):
        office = client_for(people.standing)  # a session of that day
        after = groups(office.get(board_url()).content.decode())
        filtered = groups(office.get(board_url() + "?state=not_started").content.decode())
    # past the due time the agency that never started is late, first; the ward returned after
    # a submission on time is not late
    assert after == [
        ("overdue", True, 1, ["SKHCN"]),
        ("returned", True, 1, ["16690"]),
        ("to_receive", True, 1, ["16681"]),
    ]
    assert filtered == [("overdue", True, 1, ["SKHCN"])]
    services.receive_report(actor=people.standing, report=ward)
    office = client_for(people.standing)
    received = groups(office.get(board_url()).content.decode())
    assert received[-1] == ("received", False, 1, ["16681"])
    unfolded = groups(office.get(board_url() + "?q=16681").content.decode())
    assert unfolded == [("received", True, 1, ["16681"])]  # a filtered list is short: open
