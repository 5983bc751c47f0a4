"""Issue 17, part IV: the units' proposals to the province's own bodies go to a follow-up list,
not to the report to the centre. The standing office records each one's state (open / being
handled / done) with who handles it and a note; the list page is read by whoever sees the
province (works / outsider 404 / read-only 403, nothing changed on a refusal); the one-page brief
names the proposals still open at its date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.composer import build_content
from documents.content import Kind
from documents.models import FollowUpState, ProposalFollowUp
from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from periods.models import Period
from reporting import services as reporting
from reporting.models import Section, SectionKind
from reporting.services import SectionInput

pytestmark = pytest.mark.usefixtures("profiles")
LOCAL = "Đề nghị Sở Tài chính bố trí kinh phí nâng cấp đường truyền cho xã."
CENTRAL = "Đề nghị Bộ Khoa học và Công nghệ sớm ban hành hướng dẫn."
LIST = reverse("documents:proposals")


def _received(people: People, tree: Tree, period: Period) -> dict[str, Section]:
    """Commune 16681's report for the period, with one proposal to a provincial body and one
    to a ministry, received by the standing office."""
    report = reporting.start_report(actor=people.reporter, unit=tree.commune, period=period)
    report = reporting.save_report(
        actor=people.reporter, report=report, version=report.version,
        sections=[SectionInput(kind=SectionKind.PROPOSALS, text=t) for t in (LOCAL, CENTRAL)],
    )  # fmt: skip
    report = reporting.submit_report(actor=people.reporter, report=report)
    report = reporting.approve_report(actor=people.head, report=report)
    reporting.receive_report(actor=people.standing, report=report)
    return {s.text: s for s in Section.objects.filter(report=report)}


@pytest.fixture
def sections(people: People, tree: Tree, month: Period) -> dict[str, Section]:
    return _received(people, tree, month)


def _state() -> list[tuple[str, str, str]]:
    return list(ProposalFollowUp.objects.values_list("state", "handler", "note"))


def test_a_proposal_is_followed_up_to_done_and_every_step_kept(
    people: People, sections: dict[str, Section]
) -> None:
    local = sections[LOCAL]
    services.follow_up_proposal(
        actor=people.standing, section=local, state=FollowUpState.HANDLING,
        handler="Sở Tài chính",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.follow_up_proposal(actor=people.standing, section=local, state="done")
    assert refused.value.message_dict == {"handler": ["Ghi rõ cơ quan, người xử lý đề xuất."]}
    with pytest.raises(ValidationError) as refused:
        services.follow_up_proposal(
            actor=people.standing, section=local, state="done", handler="Sở Tài chính"
        )
    assert "note" in refused.value.message_dict
    services.follow_up_proposal(
        actor=people.standing, section=local, state="done", handler="Sở Tài chính",
        note="Đã bố trí tại Quyết định 123/QĐ-UBND.",
    )  # fmt: skip
    assert _state() == [("done", "Sở Tài chính", "Đã bố trí tại Quyết định 123/QĐ-UBND.")]
    history = ProposalFollowUp.history.order_by("history_date")  # type: ignore[attr-defined]
    assert [(h.state, h.history_user) for h in history] == [
        ("handling", people.standing),
        ("done", people.standing),
    ]


def test_only_the_standing_office_follows_up_and_only_provincial_proposals(
    people: People, sections: dict[str, Section]
) -> None:
    with pytest.raises(PermissionDenied):
        services.follow_up_proposal(
            actor=people.province_viewer, section=sections[LOCAL], state="handling", handler="X"
        )
    with pytest.raises(ValidationError):  # a recommendation to a ministry goes in the report
        services.follow_up_proposal(
            actor=people.standing, section=sections[CENTRAL], state="handling", handler="X"
        )
    assert _state() == []


@pytest.mark.parametrize(
    ("person", "status", "editable"),
    [
        ("standing", 200, True),
        ("sysadmin", 200, True),
        ("province_viewer", 200, False),  # leaders read the list
        ("communes_admin", 404, False),
        ("reporter", 404, False),
        ("head", 404, False),
        ("dept_reporter", 404, False),
    ],
)
def test_the_list_page_matrix(
    people: People, sections: dict[str, Section], person: str, status: int, editable: bool,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    client = client_for(getattr(people, person))
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert LOCAL in html and CENTRAL not in html
        assert html.count('data-testid="proposal-item"') == 1
        assert ('action="/documents/proposals/' in html) is editable


@pytest.mark.parametrize(("person", "status"), [("province_viewer", 403), ("reporter", 404)])
def test_posting_is_refused_to_others_and_changes_nothing(
    people: People, sections: dict[str, Section], person: str, status: int
) -> None:
    url = reverse("documents:proposal_follow_up", args=[sections[LOCAL].pk])
    data = {"state": "handling", "handler": "Sở Tài chính"}
    assert client_for(getattr(people, person)).post(url, data).status_code == status
    assert _state() == []


def test_the_page_updates_and_filters(people: People, sections: dict[str, Section]) -> None:
    client = client_for(people.standing)
    url = reverse("documents:proposal_follow_up", args=[sections[LOCAL].pk])
    data = {"state": "done", "handler": "Sở Tài chính", "note": "Đã bố trí.", "next": LIST}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == LIST
    assert _state() == [("done", "Sở Tài chính", "Đã bố trí.")]
    assert LOCAL not in client.get(LIST).content.decode()  # open ones only, by default
    done = client.get(LIST, {"state": "done"}).content.decode()
    assert LOCAL in done and "Đã bố trí." in done
    assert client.get(LIST, {"state": "nonsense"}).status_code == 404
    # a bad state is refused with a message, nothing changed
    client.post(url, {"state": "nonsense"})
    assert _state() == [("done", "Sở Tài chính", "Đã bố trí.")]


def test_the_brief_names_the_proposals_open_at_its_date(
    people: People, tree: Tree, month: Period, sections: dict[str, Section]
) -> None:
    def brief(as_of: date) -> dict[str, Any]:
        content = build_content(
            kind=Kind.BRIEF, period=month, unit=tree.province, as_of=as_of, prose={}
        )
        return {p.key: p for p in content.statements()} | {"body": [p.text for p in content.body]}

    today = timezone.localdate()
    before = brief(today)
    assert before["brief.proposals"].figure("provincial") == "01"
    still = before["brief.proposals"]
    assert still.text == (
        "Trong tháng 9/2025, các đơn vị có 02 đề xuất, kiến nghị: 01 đề xuất với các cơ quan cấp "
        "tỉnh, 01 kiến nghị với cơ quan Trung ương; còn 01 đề xuất với các cơ quan cấp tỉnh chưa "
        "xử lý xong (0 đang xử lý):"
    )
    assert f"- {LOCAL.rstrip('.')} (Đơn vị 16681; chưa xử lý)." in before["body"]
    assert still.links[0].url == "/documents/proposals/?state=open"
    services.follow_up_proposal(
        actor=people.standing, section=sections[LOCAL], state="handling", handler="Sở Tài chính"
    )
    handling = brief(today)
    assert handling["brief.proposals"].figure("handling") == "01"
    assert f"- {LOCAL.rstrip('.')} (Đơn vị 16681; đang xử lý: Sở Tài chính)." in (handling["body"])
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        services.follow_up_proposal(
            actor=people.standing, section=sections[LOCAL], state="done",
            handler="Sở Tài chính", note="Đã bố trí.",
        )  # fmt: skip
        later = timezone.localdate()
    assert brief(later)["brief.proposals"].figure("open") == "0"
    # A brief dated before the proposal was settled still lists it (as of its date).
    assert brief(today)["brief.proposals"].figure("open") == "01"
