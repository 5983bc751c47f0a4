"""Each role's home is its work: the standing office's queues with counts that open the lists
behind them, a leader's headline figures and lists, a head's reports to approve, a reporter's
returned reports with their comment first."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from reporting import services
from reporting.models import UnitReport
from reporting.tests import test_views as base

pytestmark = pytest.mark.django_db

period = base.period  # 2025-Q3 for 16681, 16690 and SKHCN, due 05/10/2025 17:00
HOME = reverse("home")


def home(user: object) -> str:
    response = client_for(user).get(HOME)  # type: ignore[arg-type]
    assert response.status_code == 200
    return response.content.decode()


def count(content: str, key: str) -> tuple[str, str]:
    """(the figure, the link) of a count on the page."""
    found = re.search(rf'href="([^"]+)" data-testid="count-{key}"><span[^>]*>(\d+)</span>', content)
    assert found, key
    return found.group(2), found.group(1).replace("&amp;", "&")


def test_office_home_counts_what_waits_for_it_and_opens_the_lists(
    people: People, tree: Tree, period: object
) -> None:
    ward = services.start_report(actor=people.reporter, unit=tree.commune, period=period)
    ward = services.submit_report(actor=people.reporter, report=ward)
    services.approve_report(actor=people.head, report=ward)  # waits for the office
    other = services.start_report(
        actor=people.other_reporter, unit=tree.other_commune, period=period
    )
    content = home(people.standing)
    assert 'data-testid="office-work"' in content and "Quý III/2025" in content
    board = reverse("reporting:board", args=["2025-Q3"])
    assert count(content, "to_receive") == ("1", f"{board}?state=approved")
    assert count(content, "returned") == ("0", f"{board}?state=returned")
    assert count(content, "overdue") == ("0", f"{board}?overdue=on")  # still before the due time
    assert count(content, "corrections") == ("0", reverse("reporting:correction_list"))
    assert count(content, "extensions") == ("0", reverse("tasks:extension_list"))
    # after the due time: 16690 (a draft) and SKHCN (nothing) are overdue; the list says so too
    with time_machine.travel(datetime(2025, 10, 6, 9, tzinfo=base.TZ), tick=False):
        later = home(people.standing)
        listed = client_for(people.standing).get(f"{board}?overdue=on").content.decode()
    assert count(later, "overdue")[0] == "2"
    assert sorted(re.findall(r'data-testid="board-row-(\w+)"', listed)) == ["16690", "SKHCN"]
    assert other.state == "draft"


def test_a_reporter_sees_a_returned_report_first_with_its_comment(
    people: People, tree: Tree, period: object
) -> None:
    report = services.start_report(actor=people.reporter, unit=tree.commune, period=period)
    report = services.submit_report(actor=people.reporter, report=report)
    services.return_report(
        actor=people.head, report=report, comment="Bổ sung số tổ công nghệ số cộng đồng"
    )
    content = home(people.reporter)
    returned = content.index('data-testid="returned"')
    assert returned < content.index('data-testid="owed"')
    assert "Bổ sung số tổ công nghệ số cộng đồng" in content
    assert 'data-testid="owed-item-returned"' in content and "Bị trả lại" in content
    assert 'data-testid="owed-item-overdue"' not in content


def test_a_head_sees_the_reports_to_approve(people: People, tree: Tree, period: object) -> None:
    report = services.start_report(actor=people.reporter, unit=tree.commune, period=period)
    services.submit_report(actor=people.reporter, report=report)
    content = home(people.head)
    assert 'data-testid="approvals"' in content
    assert "Chờ duyệt: Quý III/2025" in content
    assert reverse("reporting:report", args=["2025-Q3", "16681"]) in content


def test_a_leader_reads_the_headline_figures_and_the_lists(people: People) -> None:
    content = home(people.province_viewer)
    assert 'data-testid="leader"' in content
    assert 'data-testid="to-dashboard"' in content
    for key in ("total", "completed", "on_time", "not_on_time", "at_risk"):
        assert f'data-testid="count-{key}"' in content
    assert "Đang thực hiện trong hạn" in content  # labels say what they count
    assert 'data-testid="list-not_on_time"' in content and 'data-testid="list-at_risk"' in content
    assert not UnitReport.objects.exists()
