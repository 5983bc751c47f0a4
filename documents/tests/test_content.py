"""The report content computed from the Nghệ An demo: the Q3/2025 report's statements with the
demo's figures, the monthly brief, a unit's own report, figures moving with the date, and a
bounded number of queries."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.db.models import Count
from django.urls import reverse

from demo.directives import load_directives
from directives.models import Directive
from directives.queries import directive_counts, list_url
from documents.composer import build_content
from documents.composer.proposals import to_central
from documents.content import Kind, Paragraph, ReportContent
from org.models import Unit, User
from org.tests.test_views import client_for
from periods.models import Period
from reporting.models import ReportState, Section, SectionKind

pytestmark = [pytest.mark.clock("2026-01-05T09:00"), pytest.mark.usefixtures("demo_data", "db")]


def _quarterly(as_of: date | None = None) -> ReportContent:
    """The computed report, without the prose the demo entered (test_composer reads that)."""
    return build_content(
        kind=Kind.QUARTERLY,
        period=Period.objects.get(code="2025-Q3"),
        unit=Unit.objects.get(code="40"),
        as_of=as_of,
        prose={},
    )


def _by_key(content: ReportContent) -> dict[str, Paragraph]:
    return {p.key: p for p in content.statements()}


def _texts(content: ReportContent) -> str:
    return "\n".join(p.text for p in content.body)


def test_quarterly_title_subject_and_date() -> None:
    content = _quarterly()
    assert content.title == "BÁO CÁO"
    assert content.subject == (
        "tình hình thực hiện Nghị quyết số 57-NQ/TW\nQuý III/2025 và nhiệm vụ, giải pháp trọng "
        "tâm cuối năm 2025"
    )
    assert content.as_of == date(2025, 9, 30)
    headings = [p.text for p in content.body if p.style == "heading1"]
    assert headings == [
        "I- KẾT QUẢ TRIỂN KHAI ĐẾN HẾT QUÝ III NĂM 2025",
        "II- NHỮNG TỒN TẠI, HẠN CHẾ, ĐIỂM NGHẼN",
        "III- NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM CẦN TẬP TRUNG THỰC HIỆN",
        "IV- ĐỀ XUẤT, KIẾN NGHỊ",
    ]


EXPECTED = {
    "tasks.government.completed_on_time": "+ Nhiệm vụ hoàn thành trong hạn: 10/21.",
    "tasks.government.on_time": "+ Nhiệm vụ đang thực hiện trong hạn: 10/21.",
    "tasks.government.not_on_time": "+ Nhiệm vụ chưa thực hiện trong hạn: 01/21.",
    "tasks.province.completed": "+ Nhiệm vụ đã hoàn thành/tổng số nhiệm vụ: 40/102.",
    "tasks.province.on_time": "+ Nhiệm vụ đang thực hiện trong hạn/tổng số nhiệm vụ: 53/102.",
    "tasks.province.not_on_time": (
        "+ Nhiệm vụ chưa thực hiện trong hạn/tổng số nhiệm vụ: 09/102 nhiệm vụ."
    ),
    "tasks.year.completed": "+ Nhiệm vụ đã hoàn thành/tổng số nhiệm vụ năm 2025: 38/82.",
    "tasks.year.on_time": "+ Nhiệm vụ đang thực hiện trong hạn/tổng số nhiệm vụ năm 2025: 43/82.",
    "tasks.year.not_on_time": (
        "+ Nhiệm vụ chưa thực hiện trong hạn/tổng số nhiệm vụ năm 2025: 01/82 (đang tạm dừng "
        "thực hiện)."
    ),
    # The first numbered point of "Hạn chế, khó khăn" when no prose is written.
    "tasks.year.backlog": (
        "(1) Trong năm 2025 có tổng số 82 nhiệm vụ, hiện có 44 nhiệm vụ (chiếm 54%) chưa và "
        "đang triển khai, trong đó có 08 nhiệm vụ chậm hoặc có nguy cơ chậm tiến độ."
    ),
    "directives.counts": (
        "Trong Quý III/2025, tổng số văn bản lãnh đạo, chỉ đạo, điều hành được Ban Chỉ đạo tỉnh "
        "ban hành là 09 văn bản; lũy kế toàn thời gian là 30 văn bản."
    ),
}
CONTAINED = {
    "tasks.intro": (
        "cụ thể hóa thành 102 nhiệm vụ cụ thể của địa phương, trong đó có 82 nhiệm vụ thực hiện "
        "trong năm 2025."
    ),
    "indicators.achievement": (
        "đạt và vượt 39/65 chỉ tiêu giai đoạn 2025–2045 (60%); đạt và vượt 29/45 chỉ tiêu năm "
        "2025 (64%)"
    ),
    "tasks.party": (
        "07/43 nhiệm vụ đã hoàn thành; 08/43 nhiệm vụ thực hiện thường xuyên; 16/43 nhiệm vụ "
        "đang thực hiện theo tiến độ; 12/43 nhiệm vụ chưa triển khai, dự kiến thực hiện trong "
        "Quý IV"
    ),
    "communes.KH02-GD1": "130/130 xã, phường hoàn thành 16/16 nhiệm vụ",
    "communes.BDHVS": "111/130 xã, phường đã ban hành Kế hoạch bình dân học vụ số (đạt 85,4%)",
    "indicator.CSDL_THEDV": "181.580/207.954 đảng viên (đạt 87,3%)",
}


def test_quarterly_statements_carry_the_demo_figures() -> None:
    statements = _by_key(_quarterly())
    for key, text in EXPECTED.items():
        assert statements[key].text == text, key
    for key, text in CONTAINED.items():
        assert text in statements[key].text, key
    for key in (*EXPECTED, *CONTAINED):
        assert statements[key].links, key


def test_quarterly_footnotes_give_the_tasks_and_their_reasons() -> None:
    statements = _by_key(_quarterly())
    assert statements["tasks.government.not_on_time"].footnotes == (
        "Nhiệm vụ: Xây dựng Đề án thí điểm triển khai bản sao số cho một số thành phố lớn trực "
        "thuộc Trung ương để quản lý, phát triển. Nghệ An không phải thành phố lớn trực thuộc "
        "Trung ương, do đó, đề nghị đưa ra khỏi nhiệm vụ của địa phương.",
    )
    assert statements["tasks.year.not_on_time"].footnotes == (
        "Nhiệm vụ: Đề án Phát triển thành phố Vinh thành trung tâm Y tế chuyên sâu khu vực Bắc "
        "Trung Bộ giai đoạn 2025-2030, tầm nhìn đến năm 2045. Hiện nay không còn cấp hành chính "
        "thành phố Vinh, do đó tạm dừng thực hiện.",
    )
    assert statements["tasks.province.not_on_time"].footnotes == ()


def _numbers(text: str) -> set[int]:
    return {int(n.replace(".", "")) for n in re.findall(r"\d+(?:\.\d{3})*", text)}


def test_every_link_lands_on_what_the_sentence_counts() -> None:
    """Follow every link of every computed statement as the standing office: each page opens,
    and a task list holds as many tasks as a figure of the sentence says."""
    client = client_for(User.objects.get(username="thuongtruc"))
    followed = 0
    for statement in _quarterly().statements():
        for link in statement.links:
            response = client.get(link.url)
            assert response.status_code == 200, (statement.key, link.url)
            if urlsplit(link.url).path == reverse("tasks:task_list"):
                listed = response.context["page"].paginator.count
                assert listed in _numbers(statement.text), (statement.key, link.url, listed)
            followed += 1
    assert followed > 100


def test_links_point_at_the_lists_behind_the_figures() -> None:
    statements = _by_key(_quarterly())
    (link,) = statements["tasks.year.not_on_time"].links
    assert link.url.startswith("/tasks/?")
    for part in ("as_of=30%2F09%2F2025", "source=NQ57-TINH", "year=2025", "state=not_on_time"):
        assert part in link.url
    (detail,) = statements["communes.BDHVS"].links
    assert detail.url == "/tasks/BDHVS-001/?as_of=30%2F09%2F2025"
    urls = [link.url for link in statements["directives.counts"].links]
    assert any("from=01%2F07%2F2025" in url and "unit=BCD" in url for url in urls)
    assert (
        "/indicators/CSDL_THEDV/?period=2025-Q3" in statements["indicator.CSDL_THEDV"].links[0].url
    )


SEED_SECTIONS = [
    "1. Về công tác chỉ đạo, điều hành",
    "2. Về nâng cao nhận thức, quyết tâm chính trị, sự lan tỏa trong toàn xã hội về khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số",
    "3. Về xây dựng, hoàn thiện thể chế, chính sách, quy định về khoa học, công nghệ, đổi mới "
    "sáng tạo và chuyển đổi số",
    "4. Hạ tầng công nghệ, kỹ thuật",
    "5. Nền tảng, ứng dụng số; thủ tục hành chính, dịch vụ công trực tuyến",
    "6. Việc xây dựng, triển khai các cơ sở dữ liệu (CSDL) quốc gia, chuyên ngành, phát triển "
    "dữ liệu",
    "7. An ninh mạng, bảo mật thông tin, an toàn dữ liệu",
    "8. Hạ tầng cơ sở, năng lực cho khoa học, công nghệ, đổi mới sáng tạo",
    "9. Nguồn nhân lực cho khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số",
    "10. Về tài chính, kinh phí",
    "11. Hợp tác quốc tế về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
]
SEED_SUBSECTIONS = [
    "a) Thống kê số nhiệm vụ",
    "b) Hoạt động chỉ đạo, điều hành của Ban Chỉ đạo tỉnh",
    "a) Kết quả đạt được",
    "b) Khó khăn, hạn chế",
    "a) Về nhân lực cho khoa học, công nghệ, đổi mới sáng tạo",
    "b) Về nhân lực cho chuyển đổi số",
]


def test_quarterly_sections_are_the_seeds_and_lead_with_results() -> None:
    """The outline's headings are the Q3/2025 report's word for word; an area's section states
    its indicators against their targets before its tasks, and names five completed tasks,
    leaving the rest to annex 1."""
    content = _quarterly()
    assert [p.text for p in content.body if p.style == "heading2"] == SEED_SECTIONS
    assert [p.text for p in content.body if p.style == "heading3"] == SEED_SUBSECTIONS
    labels = [p.text for p in content.body if p.style == "label"]
    assert labels == ["Nhận xét, đánh giá chung:", "- Kết quả đạt được:", "- Hạn chế, khó khăn"]
    statements = _by_key(content)
    completed = statements["area.CSDL.completed"]
    assert completed.text == (
        "Đã hoàn thành 09 nhiệm vụ trong quý (danh sách đầy đủ tại Phụ lục 1), trong đó:"
    )
    assert completed.figure("count") == "09" and len(completed.tasks) == 9
    named = [key for key in statements if key.startswith("area.CSDL.completed.")]
    assert len(named) == 5
    keys = [p.key for p in content.body]
    first_indicator = keys.index("indicator.CSDL_THEDV")
    assert first_indicator < keys.index("area.CSDL.completed")


def test_compiled_difficulties_and_proposals_are_traceable_to_their_units() -> None:
    received = Section.objects.filter(
        report__period__code="2025-Q3", report__state=ReportState.RECEIVED
    )
    sample = received.filter(kind=SectionKind.DIFFICULTIES, area__code="CSDL")
    units = sorted(sample.values_list("report__unit__name", flat=True))
    statements = _by_key(_quarterly())
    text = sample.first().text  # type: ignore[union-attr]
    (said,) = [p for p in statements.values() if p.text.endswith(". " + text)]
    assert said.key.startswith("problems.") and said.style == "body"
    (footnote,) = said.footnotes
    if len(units) <= 5:
        names = footnote.removeprefix("Theo báo cáo của: ").rstrip(".").split("; ")
        assert sorted(names) == units
    else:
        assert footnote.endswith("(danh sách tại Phụ lục 2).")
    assert sorted(link.label for link in said.links) == units
    assert all("/reports/2025-Q3/" in link.url for link in said.links)
    # part II compiles every difficulty once, numbered; part 1's areas do not repeat them
    problems = [p for p in statements.values() if p.key.startswith("problems.")]
    assert [p.text.split(". ")[0] for p in problems] == [
        str(n) for n in range(1, len(problems) + 1)
    ]
    assert not [key for key in statements if ".difficulties." in key]
    said_units = sum(len(p.links) for p in problems)
    assert said_units == received.filter(kind=SectionKind.DIFFICULTIES).count()
    # a returned report's texts stay out: Sở Công Thương's was returned by the standing office
    assert all(
        "Sở Công Thương" not in p.footnotes[0]
        for p in statements.values()
        if p.footnotes and p.key.startswith(("area.", "proposals."))
    )
    # The units' proposals all address the province's own bodies (its People's Committee,
    # departments, Steering Committee): none goes into the report to the centre (annex 5).
    proposals = received.filter(kind=SectionKind.PROPOSALS)
    assert proposals.exists() and not any(to_central(p.text) for p in proposals)
    assert not [p for p in statements.values() if p.key.startswith("proposals.")]


def test_next_steps_count_the_tasks_under_way_and_name_the_most_urgent() -> None:
    content = _quarterly()
    statements = _by_key(content)
    head = statements["next.due"].text
    assert head.endswith("(danh sách đầy đủ tại Phụ lục 1):")
    assert "nhiệm vụ đang triển khai có thời hạn trong Quý IV/2025" in head
    items = [p for p in content.body if p.key.startswith("next.") and p.key != "next.due"]
    assert len(items) == 10
    assert items[0].text.startswith("1. ") and items[-1].text.startswith("10. ")
    for item in items:
        code = item.key.removeprefix("next.")
        assert item.links[0].url == f"/tasks/{code}/?as_of=30%2F09%2F2025"
    # neither paused (Vinh health task) nor proposed for removal (the digital twin)
    codes = {p.key.removeprefix("next.") for p in items}
    assert not codes & {"NQ57-TINH-082", "NQ71-021"}
    assert "next.NQ57-TINH-001" not in statements  # completed in June


def test_a_later_date_gives_later_figures() -> None:
    statements = _by_key(_quarterly(date(2026, 1, 2)))
    assert statements["tasks.province.not_on_time"].text == (
        "+ Nhiệm vụ chưa thực hiện trong hạn/tổng số nhiệm vụ: 0/102 nhiệm vụ."
    )
    assert statements["tasks.province.not_on_time"].links[0].url.count("as_of=02%2F01%2F2026")
    assert "130/130 xã, phường đã ban hành" in statements["communes.BDHVS"].text
    # "in the quarter" still means the quarter
    assert statements["area.CSDL.completed"].figure("count") == "09"


def test_monthly_brief() -> None:
    period = Period.objects.get(code="2025-09")
    content = build_content(kind=Kind.MONTHLY, period=period, unit=Unit.objects.get(code="40"))
    assert content.subject == "tóm tắt tình hình thực hiện Nghị quyết số 57-NQ/TW tháng 9/2025"
    statements = _by_key(content)
    assert statements["tasks.province.completed"].text.endswith(": 40/102.")
    assert statements["tasks.year.not_on_time"].footnotes[0].startswith("Nhiệm vụ: Đề án Phát")
    assert statements["tasks.completed_in_period"].text.startswith("Đã hoàn thành ")
    assert "trong tháng:" in statements["tasks.completed_in_period"].text
    # the eight 2024 tasks fell overdue on 01/07 and the Vinh one was paused on 15/07: July's
    assert statements["tasks.became_late"].text == (
        "Trong tháng 9/2025 không có nhiệm vụ chuyển sang chưa thực hiện trong hạn."
    )
    july = _by_key(
        build_content(
            kind=Kind.MONTHLY,
            period=Period.objects.get(code="2025-07"),
            unit=Unit.objects.get(code="40"),
        )
    )["tasks.became_late"]
    assert july.text == "Trong tháng 7/2025 có 09 nhiệm vụ chuyển sang chưa thực hiện trong hạn."
    assert len(july.footnotes) == 9
    # no list holds "became late in July": the nine tasks' own pages do
    assert len(july.links) == 9 and all("/?as_of=31%2F07%2F2025" in x.url for x in july.links)
    assert "(quá hạn, thời hạn 30/06/2025)." in july.footnotes[1]
    assert any("thành phố Vinh" in note for note in july.footnotes)
    required = period.required_units.count()
    received = period.reports.filter(state=ReportState.RECEIVED).count()
    assert statements["reports.received"].text == (
        f"Đã tiếp nhận {received}/{required} báo cáo tháng 9/2025."
    )
    assert "Sở Dân tộc và Tôn giáo" in statements["reports.missing"].text
    assert statements["reports.late"].text.startswith("- Nộp muộn (03): ")


def test_unit_report() -> None:
    unit = Unit.objects.get(code="SYT")
    period = Period.objects.get(code="2025-Q3")
    content = build_content(kind=Kind.UNIT, period=period, unit=unit)
    statements = _by_key(content)
    assert statements["unit.tasks.total"].text == "Sở Y tế được giao 07 nhiệm vụ:"
    assert statements["unit.tasks.not_on_time"].text.endswith(": 01/07 (đang tạm dừng thực hiện).")
    assert "thành phố Vinh" in statements["unit.tasks.not_on_time"].footnotes[0]
    assert statements["unit.report.state"].text == (
        "Trạng thái báo cáo: Cơ quan thường trực đã tiếp nhận."
    )
    own = period.reports.get(unit=unit).sections.filter(kind=SectionKind.DIFFICULTIES).get()
    assert statements["unit.report.difficulties.1"].text == f"- {own.text}"
    returned = build_content(kind=Kind.UNIT, period=period, unit=Unit.objects.get(code="SCT"))
    assert _by_key(returned)["unit.report.state"].text == "Trạng thái báo cáo: Bị trả lại."


def test_every_key_is_unique() -> None:
    content = _quarterly()
    keys = [p.key for p in content.statements()]
    assert len(keys) == len(set(keys))
    assert "BÁO CÁO" not in _texts(content)  # the title is the renderer's, not the body's


def test_the_number_of_queries_is_bounded(django_assert_max_num_queries: object) -> None:
    # Nothing here grows with tasks, units or reports: 183 tasks and 160 reports cost the same.
    # Each dataset is read once: the task statistics at the date feed every group and the
    # communes, the indicators' values and both sets' achievement come from one evaluation;
    # the indicator sets covering the year, the programme groups and the outline are configured
    # rows, read once each; the reasons of every task not on time are read once for the
    # footnotes and the areas' lists; the corrections of earlier periods once; the task edits
    # made since the report's date once (tasks.history), and the indicators' definitions as
    # they were then once (indicators.queries.indicators_as_of); the year's products once (the
    # year 2025 has none: no more is read of them) and the month of scores published in the
    # quarter once.
    assert Section.objects.aggregate(n=Count("pk"))["n"] > 400
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        _quarterly()
    province, sct = Unit.objects.get(code="40"), Unit.objects.get(code="SCT")
    month, quarter = Period.objects.get(code="2025-09"), Period.objects.get(code="2025-Q3")
    # 9, the programme groups, the outline, its stored prose, the corrections of earlier periods,
    # and for each of its three task readings the task edits made since its date (tasks.history)
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        build_content(kind=Kind.MONTHLY, period=month, unit=province)
    # 11, and for each of its two task readings the task edits made since its date
    with django_assert_max_num_queries(13):  # type: ignore[operator]
        build_content(kind=Kind.UNIT, period=quarter, unit=sct)


# --- the demo register of directive documents (directives.queries) -------------------------

Q3 = {"start": date(2025, 7, 1), "end": date(2025, 9, 30)}


def test_directives_quarter_and_cumulative_counts() -> None:
    assert directive_counts(unit=Unit.objects.get(code="BCD"), **Q3) == (9, 30)
    assert directive_counts(unit=Unit.objects.get(code="CQTT"), **Q3) == (2, 6)
    assert load_directives(User.objects.get(username="admin")) == 0  # a second run adds none


def test_directives_link_to_the_demo_tasks() -> None:
    late = Directive.objects.get(number="47-CV/BCĐ")
    titles = list(late.tasks.order_by("code").values_list("title", flat=True))
    assert len(titles) == 7 and titles[-1] == "Xây dựng cơ sở dữ liệu khoa học và công nghệ tỉnh"
    assert Directive.objects.get(number="05-TB/BCĐ").tasks.get().code == "NQ57-TINH-042"
    assert Directive.objects.filter(entered_by__username="thuongtruc").count() == 30


def test_the_directives_link_lists_the_nine() -> None:
    link = list_url(unit=Unit.objects.get(code="BCD"), **Q3)
    content = client_for(User.objects.get(username="lanhdao")).get(link).content.decode()
    assert content.count('data-testid="directive-row"') == 9
    assert '<span data-testid="directive-count">9</span>' in content
