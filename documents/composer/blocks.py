"""The computed blocks an outline's section may draw (documents.models.OutlineSection.blocks), by
code: each a function of the report's facts (and of the section's area for an area's blocks)
giving paragraphs, always computed from the data. New kinds of content (products, scores) are
new entries here, named by the outline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from documents.composer import (
    areas,
    brief,
    corrections,
    monthly,
    proposals,
    quarterly,
    results,
    year,
)
from documents.composer.communes import communes
from documents.composer.facts import ReportFacts
from documents.composer.indicator_statements import achievement
from documents.composer.task_statements import (
    completed_lines,
    extended,
    government_group,
    intro,
    party,
    province_groups,
    year_backlog,
)
from documents.content import Paragraph
from tasks.models import Area


@dataclass(frozen=True)
class Block:
    """`absent`: what the report says when the block finds nothing to state ("chưa có …"); a
    section that omits what is empty (OutlineSection.omit_empty) leaves it out."""

    label: str | Promise
    build: Callable[[ReportFacts], list[Paragraph]] | None = None
    build_area: Callable[[ReportFacts, Area], list[Paragraph]] | None = None
    absent: Callable[[ReportFacts], list[Paragraph]] | None = None

    def run(self, facts: ReportFacts, area: Area | None) -> list[Paragraph]:
        """The block's paragraphs; an area's block under a section without an area is empty."""
        if self.build is not None:
            return self.build(facts)
        if self.build_area is not None and area is not None:
            return self.build_area(facts, area)
        return []

    def nothing(self, facts: ReportFacts) -> list[Paragraph]:
        """What the report says when `run` gives nothing."""
        return self.absent(facts) if self.absent is not None else []

    @property
    def needs_area(self) -> bool:
        return self.build_area is not None


def _completed_in_period(facts: ReportFacts) -> list[Paragraph]:
    return completed_lines(facts, "tasks.completed_in_period", facts.completed_in_period)


BLOCKS: dict[str, Block] = {
    "tasks.intro": Block(_("Số nhiệm vụ cụ thể hóa và của năm"), intro),
    "tasks.government": Block(_("Nhóm nhiệm vụ theo Nghị quyết số 71/NQ-CP"), government_group),
    "tasks.province": Block(_("Nhiệm vụ của tỉnh theo tình trạng (tổng số, năm)"), province_groups),
    "tasks.party": Block(_("Chuyển đổi số trong cơ quan Đảng, Mặt trận"), party),
    "tasks.year_backlog": Block(_("Nhiệm vụ của năm chưa hoàn thành, chậm"), year_backlog),
    "tasks.completed_in_period": Block(_("Nhiệm vụ hoàn thành trong kỳ"), _completed_in_period),
    "tasks.extended": Block(
        _("Nhiệm vụ được gia hạn: hoàn thành đúng hạn theo hạn đã gia hạn và theo hạn gốc"),
        extended,
    ),
    "tasks.became_late": Block(_("Nhiệm vụ chuyển sang chậm trong kỳ"), monthly.became_late),
    "communes": Block(_("Xã, phường hoàn thành các chương trình"), communes),
    "indicators.achievement": Block(_("Số chỉ tiêu đạt và vượt"), achievement),
    "indicators.all": Block(_("Tất cả chỉ tiêu có số liệu"), monthly.all_indicators),
    "directives": Block(_("Văn bản chỉ đạo của Ban Chỉ đạo"), quarterly.directives),
    "corrections.previous": Block(_("Điều chỉnh số liệu kỳ trước"), corrections.previous_periods),
    "area.indicators": Block(
        _("Chỉ tiêu của lĩnh vực so với mục tiêu"), build_area=areas.area_indicators
    ),
    "area.completed": Block(
        _("Nhiệm vụ của lĩnh vực hoàn thành trong kỳ"), build_area=areas.area_completed
    ),
    "area.late": Block(_("Nhiệm vụ của lĩnh vực chậm, có lý do"), build_area=areas.area_late),
    # Written by documents.composer.outline, which knows the areas the outline names.
    "area.others": Block(_("Các lĩnh vực chưa có mục trong dàn ý")),
    "problems": Block(_("Khó khăn các đơn vị nêu"), quarterly.problems),
    "next_steps": Block(_("Nhiệm vụ đến hạn kỳ tới"), quarterly.next_steps),
    "proposals.central": Block(
        _("Kiến nghị của đơn vị với Trung ương"), proposals.central_proposals
    ),
    "proposals.provincial": Block(
        _("Số đề xuất với cơ quan cấp tỉnh (Phụ lục 5)"), proposals.provincial_proposals
    ),
    "reports.received": Block(_("Tình hình nộp báo cáo"), monthly.reports_received),
    "year.targets": Block(_("Chỉ tiêu của năm: đạt, chưa đạt, so với năm trước"), year.targets),
    "year.tasks": Block(_("Nhiệm vụ của năm so với năm trước"), year.year_tasks),
    "next_year.tasks": Block(_("Nhiệm vụ năm sau theo chương trình"), year.next_year),
    "products.delivery": Block(
        _("Sản phẩm đăng ký, đã hoàn thành, kết quả đánh giá"),
        results.products,
        absent=results.no_products,
    ),
    "products.by_area": Block(
        _("Sản phẩm theo lĩnh vực: đăng ký, đã hoàn thành, kinh phí"), results.products_by_area
    ),
    "scores.grades": Block(
        _("Xếp loại chấm điểm người đứng đầu của tháng"), results.grades, absent=results.no_grades
    ),
    "brief.results": Block(_("Sản phẩm và xếp loại chấm điểm (một đoạn)"), results.brief_line),
    "brief.red": Block(_("Nhiệm vụ chậm, có nguy cơ chậm và tiến độ"), brief.red),
    "brief.changes": Block(_("Thay đổi từ phiên họp trước"), brief.changes),
    "brief.proposals": Block(_("Đề xuất, kiến nghị trong kỳ"), brief.proposals),
}
