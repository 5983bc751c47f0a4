"""Every scoring page over HTTP, by role and unit: a draft is the standing office's and the unit's
own (its head, its reporter); a published month is seen by whoever sees the unit (leaders their
subtree); an outsider gets 404, a read-only role 403; denied writes change nothing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from org.models import User
from org.tests.conftest import People
from org.tests.test_views import client_for
from scoring import services
from scoring.models import Adjustment, Contest, Line, Round, RoundState, Scorecard
from scoring.tests.conftest import MONTH, SCORING_TIME, Month


@pytest.fixture
def scored(month: Month, people: People) -> Iterator[Round]:
    with time_machine.travel(SCORING_TIME, tick=False):
        yield services.run_round(actor=people.standing, month=MONTH)


def who(people: People, month: Month, name: str) -> User:
    extra = {"head_b": month.heads["b"], "head_c": month.heads["c"]}
    return extra.get(name) or getattr(people, name)


def card_url(unit: str, page: str = "scorecard") -> str:
    return reverse(f"scoring:{page}", args=["2025-09", unit])


# (person, unit, status while a draft, status once published)
SCORECARD = [
    ("standing", "16690", 200, 200),
    ("head", "16681", 200, 200),
    ("reporter", "16681", 200, 200),
    ("head", "16690", 404, 404),
    ("head_b", "16690", 200, 200),
    ("province_viewer", "16690", 404, 200),
    ("communes_admin", "16700", 404, 200),
    ("dept_reporter", "16681", 404, 404),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("person", "unit", "draft", "published"), SCORECARD)
def test_scorecard_page(
    scored: Round, month: Month, people: People, person: str, unit: str, draft: int, published: int
) -> None:
    client = client_for(who(people, month, person))
    assert client.get(card_url(unit)).status_code == draft
    Round.objects.filter(pk=scored.pk).update(state=RoundState.PUBLISHED)
    assert client.get(card_url(unit)).status_code == published


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("person", "unit", "status"),
    [
        ("head", "16681", 200),
        ("standing", "16700", 200),
        ("province_viewer", "16681", 404),
        ("head", "16690", 404),
        ("dept_reporter", "16681", 404),
    ],
)
def test_what_if_is_the_units_own(
    scored: Round, people: People, person: str, unit: str, status: int
) -> None:
    Round.objects.filter(pk=scored.pk).update(state=RoundState.PUBLISHED)
    assert client_for(getattr(people, person)).get(card_url(unit, "what_if")).status_code == status


def test_the_scorecard_explains_every_point(scored: Round, people: People) -> None:
    content = client_for(people.head).get(card_url("16681")).content.decode()
    assert '<span class="display-6 fw-semibold" data-testid="total">98</span>' in content
    assert "Đủ điểm “Hoàn thành xuất sắc nhiệm vụ”" in content  # the cap, shown
    assert content.count('data-testid="line-') == 7
    assert 'href="/tasks/T1/"' in content and 'href="/reports/2025-09/16681/"' in content
    assert "2 × 2 (tối đa 3)" in content  # the capped bonus
    assert 'data-testid="contest-form"' in content and 'data-testid="adjust-form"' not in content
    shared = client_for(people.standing).get(card_url("16700")).content.decode()
    assert 'data-testid="shared-out"' in shared and 'data-testid="adjust-form"' in shared


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("person", "rows"),
    [("standing", 3), ("head", 1), ("province_viewer", 0), ("communes_admin", 0)],
)
def test_rank_tables_show_what_each_may_read(
    scored: Round, people: People, person: str, rows: int
) -> None:
    content = client_for(getattr(people, person)).get(reverse("scoring:round", args=["2025-09"]))
    assert content.content.decode().count('data-testid="rank-row"') == rows


@pytest.mark.django_db
def test_published_ranks_for_a_leader_of_the_subtree(scored: Round, people: People) -> None:
    Round.objects.filter(pk=scored.pk).update(state=RoundState.PUBLISHED)
    content = client_for(people.communes_admin).get(reverse("scoring:round", args=["2025-09"]))
    text = content.content.decode()
    assert text.count('data-testid="rank-row"') == 3
    assert "Hoàn thành xuất sắc nhiệm vụ: 0" in text and "Hoàn thành tốt nhiệm vụ: 1" in text


@pytest.mark.django_db
def test_exports_hold_what_the_reader_may_read(scored: Round, people: People) -> None:
    def rows(user: User) -> list[tuple[Any, ...]]:
        response = client_for(user).get(reverse("scoring:export_xlsx", args=["2025-09"]))
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        return list(book.worksheets[0].iter_rows(values_only=True))

    office = rows(people.standing)
    assert office[0][:3] == ("Hạng", "Mã đơn vị", "Đơn vị") and office[0][-3:-1] == (
        "Tổng điểm",
        "Xếp loại",
    )
    assert [r[1] for r in office[1:]] == ["16681", "16690", "16700"]
    assert office[3][7] == "Không áp dụng"  # C's milestones
    assert [r[1] for r in rows(people.head)[1:]] == ["16681"]
    response = client_for(people.standing).get(reverse("scoring:export_docx", args=["2025-09"]))
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kết quả chấm điểm người đứng đầu" in text and "tháng 9/2025" in text
    assert document.tables[1].rows[1].cells[1].text == "Đơn vị 16681"
    assert document.tables[1].rows[1].cells[3].text == "Hoàn thành tốt nhiệm vụ *"


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["head", "province_viewer", "reporter"])
def test_scheme_pages_are_the_standing_offices(month: Month, people: People, person: str) -> None:
    client, office = client_for(getattr(people, person)), client_for(people.standing)
    for url in (
        reverse("scoring:schemes"),
        reverse("scoring:scheme", args=[month.scheme.pk]),
        reverse("scoring:scheme_create"),
        reverse("scoring:criterion_create", args=[month.scheme.pk]),
    ):
        assert client.get(url).status_code == 403
        assert office.get(url).status_code == 200
    response = client.post(reverse("scoring:scheme_create"), {"kind": "agency", "name": "X"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_office_defines_a_scheme_by_pages(people: People) -> None:
    client = client_for(people.standing)
    response = client.post(
        reverse("scoring:scheme_create"),
        {
            "kind": "agency",
            "valid_from": "01/2026",
            "name": "Sở, ngành 2026",
            "total_points": "100",
            "excellent_from": "90",
            "good_from": "70",
            "done_from": "50",
            "excellent_cap_percent": "20",
            "cutoff_day": "14",
            "contest_days": "3",
        },
    )
    scheme = services.Scheme.objects.get()
    assert response.status_code == 302 and scheme.cutoff_day == 14
    url = reverse("scoring:criterion_create", args=[scheme.pk])
    response = client.post(
        url,
        {
            "order": "1",
            "code": "NV",
            "name": "Nhiệm vụ",
            "fact": "tasks_on_time",
            "method": "bands",
            "max_points": "100",
            "bands": "100:100; 90:80",
            "per_item": "0",
            "per_day": "0",
            "per_missed": "0",
        },
    )
    assert response.status_code == 302
    assert scheme.criteria.get().bands == [["100", "100"], ["90", "80"]]
    bad = client.post(
        url,
        {
            "order": "2",
            "code": "X",
            "name": "X",
            "fact": "reports",
            "method": "bands",
            "max_points": "10",
            "bands": "abc",
            "per_item": "0",
            "per_day": "0",
            "per_missed": "0",
        },
    )
    assert bad.status_code == 200 and "phải viết dạng tỷ lệ:điểm" in bad.content.decode()


def _contest(client: Any, unit: str, line: Line) -> Any:
    url = reverse("scoring:contest", args=["2025-09", unit, line.pk])
    return client.post(url, {"text": "Giải trình"})


@pytest.mark.django_db
def test_contest_and_adjust_by_role(scored: Round, month: Month, people: People) -> None:
    line_b = Line.objects.get(scorecard__unit__code="16690", code="BC")
    assert _contest(client_for(people.head), "16690", line_b).status_code == 404
    assert _contest(client_for(month.reporters["b"]), "16690", line_b).status_code == 403
    assert _contest(client_for(people.province_viewer), "16690", line_b).status_code == 404
    assert not Contest.objects.exists()
    assert _contest(client_for(month.heads["b"]), "16690", line_b).status_code == 302
    contest = Contest.objects.get()
    adjust = reverse("scoring:adjust", args=["2025-09", "16690", line_b.pk])
    answer = reverse("scoring:answer", args=[contest.pk])
    for user in (month.heads["b"], people.province_viewer, people.communes_admin):
        client = client_for(user)
        assert client.post(adjust, {"points": "20", "reason": "Tự điều chỉnh"}).status_code == 403
        assert client.post(answer, {"answer": "Tự trả lời", "points": "20"}).status_code == 403
        assert client.get(adjust).status_code in (403, 405)
    assert Line.objects.get(pk=line_b.pk).points == 8 and not Adjustment.objects.exists()
    office = client_for(people.standing)
    office.post(adjust, {"points": "20", "reason": ""})  # refused: no reason
    assert Line.objects.get(pk=line_b.pk).points == 8
    office.post(answer, {"answer": "Đúng hạn theo iOffice", "points": "20"})
    assert Line.objects.get(pk=line_b.pk).points == 20
    assert Scorecard.objects.get(unit__code="16690").total == Decimal("65.5")
    page = client_for(month.heads["b"]).get(card_url("16690")).content.decode()
    assert 'data-testid="contest"' in page and "Đúng hạn theo iOffice" in page
    assert 'data-testid="adjustment"' in page and "Điều chỉnh 8 → 20" in page


@pytest.mark.django_db
def test_publish_and_run_are_the_offices(scored: Round, people: People) -> None:
    publish = reverse("scoring:publish", args=["2025-09"])
    for user in (people.head, people.province_viewer, people.reporter):
        assert client_for(user).post(publish).status_code == 403
        response = client_for(user).post(reverse("scoring:run"), {"month": "09/2025"})
        assert response.status_code == 403
    assert Round.objects.get().state == RoundState.DRAFT
    with time_machine.travel(SCORING_TIME, tick=False):
        assert client_for(people.standing).post(publish).status_code == 302
        assert Round.objects.get().state == RoundState.PUBLISHED
        client_for(people.standing).post(reverse("scoring:run"), {"month": "09/2025"})
    assert Round.objects.get().published_at is not None


@pytest.mark.django_db
def test_the_office_runs_the_month_from_the_page(month: Month, people: People) -> None:
    with time_machine.travel(SCORING_TIME, tick=False):
        response = client_for(people.standing).post(reverse("scoring:run"), {"month": "09/2025"})
    assert response.status_code == 302 and response.url == "/scoring/2025-09/"
    assert Scorecard.objects.count() == 3  # the job ran (in-process in tests)
    bad = client_for(people.standing).post(reverse("scoring:run"), {"month": "2025/9"})
    assert bad.status_code == 302 and Round.objects.count() == 1


@pytest.mark.django_db
def test_before_the_round_the_unit_sees_its_card_computed(month: Month, people: People) -> None:
    with time_machine.travel(SCORING_TIME, tick=False):
        content = client_for(people.head).get(card_url("16681")).content.decode()
        assert "Tạm tính, chưa chấm chính thức" in content and "98" in content
        assert client_for(people.province_viewer).get(card_url("16681")).status_code == 404
        missing = client_for(people.province_viewer).get(reverse("scoring:round", args=["2025-09"]))
    assert 'data-testid="round-missing"' in missing.content.decode()


@pytest.mark.django_db
def test_wrong_methods_and_months(scored: Round, people: People) -> None:
    client = client_for(people.standing)
    assert client.get(reverse("scoring:publish", args=["2025-09"])).status_code == 405
    assert client.get(reverse("scoring:run")).status_code == 405
    assert client.get("/scoring/2025-13/16681/").status_code == 404
    assert client.get("/scoring/abc/").status_code == 404


@pytest.mark.django_db
def test_page_queries_are_bounded(
    scored: Round, month: Month, people: People, django_assert_max_num_queries: Any
) -> None:
    """The same number whatever the number of units: the round is read in a few queries."""
    office = client_for(people.standing)
    with django_assert_max_num_queries(14):
        assert office.get(reverse("scoring:round", args=["2025-09"])).status_code == 200
    with django_assert_max_num_queries(20):
        assert office.get(card_url("16690")).status_code == 200
    with django_assert_max_num_queries(12):
        assert office.get(reverse("scoring:export_xlsx", args=["2025-09"])).status_code == 200
