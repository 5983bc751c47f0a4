"""The sheets of the programme workbook (reporting.workbook), in the order they are applied: each
says its columns, writes its rows and applies one row through the services that own it, only
when the row says something different from what is stored."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.utils import get_column_letter

from indicators import services as indicator_services
from indicators.models import (
    DataElement,
    Direction,
    Evaluation,
    Indicator,
    IndicatorSet,
    RuleKind,
    Severity,
    Target,
    ValidationRule,
    ValueType,
)
from nq57.xlsx import date_text
from org.models import REPORTING_TYPES, Unit, UnitType
from periods.models import Frequency, PeriodKind
from reporting import schedules
from reporting.models import ReportForm, Schedule, SectionKind
from reporting.workbook_cells import (
    CREATED,
    LISTS,
    NO,
    TIME_FORMAT,
    UPDATED,
    YES,
    AssigneeCount,
    Cells,
    Context,
    Dropdown,
    Sheet,
    Units,
    current_assignees,
    describe_assignees,
    find,
    find_many,
    joined,
    labels,
    number_cell,
    or_default,
    parse_assignees,
    same,
    yes_no,
)
from tasks import services as task_services
from tasks.models import Area, ProgrammeGroup, Source, Task

# Column names shared by several sheets.
C_CODE, C_NAME, C_ORDER = "Mã", "Tên", "Thứ tự"
C_TYPES, C_WITHIN, C_FROM, C_TO = "Loại đơn vị", "Thuộc nhánh", "Áp dụng từ", "Áp dụng đến"


class SourceSheet(Sheet):
    name = "Nguồn"
    model = Source
    C_NUMBER, C_ISSUED, C_ISSUER = "Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành"
    headers = (C_CODE, C_NAME, C_NUMBER, C_ISSUED, C_ISSUER)
    key = (C_CODE,)
    field_columns = {"code": C_CODE, "name": C_NAME, "number": C_NUMBER, "issued_on": C_ISSUED}
    help = {C_ISSUED: gettext_noop("Nhiệm vụ của nguồn được tính từ ngày này (dd/mm/yyyy).")}

    def rows(self, units: Units) -> Iterator[list[Any]]:
        for s in Source.objects.order_by("code"):
            yield [s.code, s.name, s.number, date_text(s.issued_on), s.issuer]

    def apply(self, ctx: Context, cells: Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        wanted: dict[str, Any] = {
            "name": cells.text(C_NAME, required=True),
            "number": cells.text(self.C_NUMBER),
            "issued_on": cells.date(self.C_ISSUED),
            "issuer": cells.text(self.C_ISSUER),
        }
        self.done(cells)
        existing = Source.objects.filter(code=code).first()
        if existing is not None and same(existing, wanted):
            return None
        task_services.save_source(actor=ctx.actor, source=existing, code=code, **wanted)
        return UPDATED if existing else CREATED


class AreaSheet(Sheet):
    name = "Lĩnh vực"
    model = Area
    headers = (C_CODE, C_NAME, C_ORDER)
    key = (C_CODE,)
    field_columns = {"code": C_CODE, "name": C_NAME, "order": C_ORDER}
    help = {C_ORDER: gettext_noop("Thứ tự phần trong báo cáo của tỉnh.")}

    def rows(self, units: Units) -> Iterator[list[Any]]:
        for a in Area.objects.order_by("order", "code"):
            yield [a.code, a.name, a.order]

    def apply(self, ctx: Context, cells: Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        wanted: dict[str, Any] = {
            "name": cells.text(C_NAME, required=True),
            "order": cells.integer(C_ORDER, 0, 32767) or 0,
        }
        self.done(cells)
        existing = Area.objects.filter(code=code).first()
        if existing is not None and same(existing, wanted):
            return None
        task_services.save_area(actor=ctx.actor, area=existing, code=code, **wanted)
        return UPDATED if existing else CREATED


class GroupSheet(Sheet):
    name = "Nhóm nhiệm vụ"
    model = ProgrammeGroup
    C_SOURCES, C_THIS_YEAR = "Nguồn", "Chỉ nhiệm vụ của năm số liệu"
    headers = (C_CODE, C_NAME, C_ORDER, C_SOURCES, C_THIS_YEAR)
    key = (C_CODE,)
    field_columns = {"code": C_CODE, "name": C_NAME, "order": C_ORDER, "sources": C_SOURCES}
    help = {
        C_NAME: gettext_noop("“{year}” được thay bằng năm của ngày số liệu."),
        C_SOURCES: gettext_noop("Mã các nguồn, cách nhau bởi dấu phẩy."),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        for g in ProgrammeGroup.objects.prefetch_related("sources").order_by("order", "code"):
            sources = sorted(s.code for s in g.sources.all())
            yield [g.code, g.name, g.order, joined(sources), yes_no(g.this_year_only)]

    def dropdowns(self) -> list[Dropdown]:
        return [Dropdown(self.C_THIS_YEAR, LISTS, ListsSheet.letter(ListsSheet.YES_NO))]

    def apply(self, ctx: Context, cells: Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        wanted: dict[str, Any] = {
            "name": cells.text(C_NAME, required=True),
            "order": cells.integer(C_ORDER, 0, 32767) or 0,
            "sources": set(find_many(cells, self.C_SOURCES, Source, _("nguồn"))),
            "this_year_only": cells.boolean(self.C_THIS_YEAR, False),
        }
        self.done(cells)
        existing = ProgrammeGroup.objects.filter(code=code).first()
        if existing is not None and same(existing, wanted):
            return None
        wanted["sources"] = sorted(wanted["sources"], key=lambda s: s.code)
        task_services.save_programme_group(actor=ctx.actor, code=code, **wanted)
        return UPDATED if existing else CREATED


class TaskSheet(Sheet):
    name = "Nhiệm vụ"
    model = Task
    C_TITLE, C_SOURCE, C_AREA, C_YEAR = "Tên nhiệm vụ", "Nguồn", "Lĩnh vực", "Năm"
    C_START, C_DEADLINE, C_PRODUCT, C_DESCRIPTION = "Ngày bắt đầu", "Thời hạn", "Sản phẩm", "Mô tả"
    C_LEAD, C_COORD, C_ASSIGNEES = "Đơn vị chủ trì", "Đơn vị phối hợp", "Đơn vị thực hiện"
    C_PERSON, C_REASON = "Người chịu trách nhiệm", "Lý do thay đổi đơn vị thực hiện"
    headers = (
        C_CODE, C_TITLE, C_SOURCE, C_AREA, C_YEAR, C_START, C_DEADLINE, C_PRODUCT,
        C_DESCRIPTION, C_PERSON, C_LEAD, C_COORD, C_ASSIGNEES, C_REASON,
    )  # fmt: skip
    optional = (C_PERSON, C_REASON)
    key = (C_CODE,)
    field_columns = {
        "code": C_CODE, "title": C_TITLE, "year": C_YEAR, "start_date": C_START,
        "deadline": C_DEADLINE, "expected_product": C_PRODUCT, "description": C_DESCRIPTION,
        "responsible_person": C_PERSON, "lead_unit": C_LEAD,
    }  # fmt: skip
    help = {
        C_DEADLINE: gettext_noop("Để trống: nhiệm vụ thường xuyên."),
        C_PERSON: gettext_noop(
            "Họ tên, chức vụ của người chịu trách nhiệm chính. Thay đổi ở nhiệm vụ đã có được "
            "ghi vào lịch sử thay đổi của nhiệm vụ, áp dụng từ ngày nhập tệp; tệp không có cột "
            "này vẫn nhập được, người chịu trách nhiệm giữ nguyên."
        ),
        C_COORD: gettext_noop("Mã các đơn vị, cách nhau bởi dấu phẩy."),
        C_ASSIGNEES: gettext_noop(
            "Để trống: giao cho đơn vị chủ trì. Hoặc mã các đơn vị (cách nhau bởi dấu phẩy); "
            "“loại:xa, loại:phuong”: mọi xã, phường đang hoạt động; “nhánh:<mã đơn vị>”: mọi "
            "đơn vị báo cáo thuộc đơn vị đó; “nhóm:<tên nhóm đơn vị>” (trang “Nhóm đơn vị”): "
            "các đơn vị của nhóm đang hoạt động vào ngày nhập tệp, tên nhóm ghi đến dấu phẩy "
            "kế tiếp. Có thể ghi nhiều cách cùng lúc. Với nhiệm vụ đã "
            "có, danh sách khác với hiện tại thì các đơn vị mới được giao từ ngày nhập tệp, các "
            "đơn vị không còn trong danh sách thôi thực hiện sau ngày nhập tệp (lịch sử cập nhật "
            "của họ được giữ); khi đó phải ghi cột “Lý do thay đổi đơn vị thực hiện”."
        ),
        C_REASON: gettext_noop(
            "Bắt buộc khi đổi đơn vị thực hiện của nhiệm vụ đã có: lý do giao thêm, thôi giao, "
            "ghi vào nhật ký giao việc của nhiệm vụ. Tệp tải về để trống cột này; tệp không có "
            "cột này vẫn nhập được."
        ),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        tasks = Task.objects.select_related("source", "area", "lead_unit").prefetch_related(
            "coordinating_units", "assignments"
        )
        for t in tasks.order_by("code"):
            yield [
                t.code, t.title, t.source.code, t.area.code, t.year, date_text(t.start_date),
                date_text(t.deadline), t.expected_product, t.description,
                t.responsible_person, t.lead_unit.code,
                joined(sorted(u.code for u in t.coordinating_units.all())),
                describe_assignees(current_assignees(t, units), t.lead_unit, units), "",
            ]  # fmt: skip

    def dropdowns(self) -> list[Dropdown]:
        return [
            Dropdown(self.C_SOURCE, SourceSheet.name, "A"),
            Dropdown(self.C_AREA, AreaSheet.name, "A"),
            Dropdown(self.C_LEAD, LISTS, ListsSheet.letter(ListsSheet.UNIT_CODES)),
        ]

    def apply(self, ctx: Context, cells: Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        wanted: dict[str, Any] = {
            "title": cells.text(self.C_TITLE, required=True),
            "source": find(cells, self.C_SOURCE, Source, _("nguồn")),
            "area": find(cells, self.C_AREA, Area, _("lĩnh vực")),
            "lead_unit": ctx.units.find(cells, self.C_LEAD, required=True),
            "year": cells.integer(self.C_YEAR, 2000, 2100, required=True),
            "start_date": cells.date(self.C_START),
            "deadline": cells.date(self.C_DEADLINE),
            "expected_product": cells.text(self.C_PRODUCT),
            "description": cells.text(self.C_DESCRIPTION),
            "coordinating_units": set(ctx.units.find_many(cells, self.C_COORD)),
        }
        if cells.has(self.C_PERSON):  # a file without the column leaves the person as is
            wanted["responsible_person"] = cells.text(self.C_PERSON)
        assignees, problems = parse_assignees(cells.text(self.C_ASSIGNEES), ctx.units)
        for problem in problems:
            cells.fail(self.C_ASSIGNEES, problem)
        reason = cells.text(self.C_REASON)
        self.done(cells)
        wanted["coordinating_units"] = sorted(wanted["coordinating_units"], key=lambda u: u.code)
        existing = (
            Task.objects.filter(code=code)
            .select_related("source", "area", "lead_unit")
            .prefetch_related("coordinating_units", "assignments")
            .first()
        )
        if existing is None:
            task_services.create_task(actor=ctx.actor, code=code, assignees=assignees, **wanted)
            return CREATED
        listed = assignees or [wanted["lead_unit"]]  # an empty cell: the lead unit alone
        current = current_assignees(existing, ctx.units)
        holding, kept = {u.pk for u in current}, {u.pk for u in listed}
        added = [u for u in listed if u.pk not in holding]
        removed = [u for u in current if u.pk not in kept]
        if (added or removed) and not reason:
            message = _(
                "Đơn vị thực hiện thay đổi (giao thêm %(added)s, thôi giao %(removed)s đơn vị): "
                "phải ghi lý do."
            )
            cells.fail(self.C_REASON, message % {"added": len(added), "removed": len(removed)})
            self.done(cells)
        changed = task_services.update_task(actor=ctx.actor, task=existing, **wanted)
        if added or removed:
            self._reassign(ctx, cells, existing, added, removed, reason)
            changed = True
        return UPDATED if changed else None

    def _reassign(
        self,
        ctx: Context,
        cells: Cells,
        task: Task,
        added: list[Unit],
        removed: list[Unit],
        reason: str,
    ) -> None:
        """Change who carries out a task already given as its assign page does: the new units
        carry it from the import day, the others up to that day (their last, the page's
        default), both logged with the row's reason. A refusal (a sealed or closed period, a
        unit closed that day, an update dated later) is named on the row's cells."""
        today = timezone.localdate()
        try:
            if added:
                task_services.assign_units(
                    actor=ctx.actor, task=task, units=added, active_from=today, reason=reason
                )
            if removed:
                task_services.end_assignments(
                    actor=ctx.actor, task=task, units=removed, ended_on=today, reason=reason
                )
        except ValidationError as exc:
            found = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            for name, messages in found.items():
                for message in messages:
                    cells.fail(self.C_REASON if name == "reason" else self.C_ASSIGNEES, message)
            self.done(cells)
        ctx.assignees.append(AssigneeCount(task.code, len(added), len(removed)))


_ELEMENT_SCOPE_HELP = {
    C_TYPES: gettext_noop(
        "Mã các loại đơn vị (xem trang “Danh mục”); để trống: mọi loại đơn vị báo cáo."
    ),
    C_WITHIN: gettext_noop("Mã một đơn vị: chỉ các đơn vị thuộc đơn vị đó; để trống: cả tỉnh."),
}


class ElementSheet(Sheet):
    name = "Số liệu"
    model = DataElement
    C_VALUE_TYPE, C_UNIT_LABEL, C_KIND = "Kiểu số liệu", "Đơn vị tính", "Tần suất báo cáo"
    C_REPORTERS, C_UPDATE = "Đơn vị báo cáo", "Cập nhật ít nhất mỗi (ngày)"
    headers = (
        C_CODE, C_NAME, C_VALUE_TYPE, C_UNIT_LABEL, C_KIND, C_TYPES, C_WITHIN, C_REPORTERS,
        C_FROM, C_TO, C_UPDATE,
    )  # fmt: skip
    key = (C_CODE,)
    field_columns = {
        "code": C_CODE, "name": C_NAME, "value_type": C_VALUE_TYPE, "unit_label": C_UNIT_LABEL,
        "period_kind": C_KIND, "unit_types": C_TYPES, "within": C_WITHIN,
        "reporting_units": C_REPORTERS, "active_from": C_FROM, "active_to": C_TO,
        "update_days": C_UPDATE,
    }  # fmt: skip
    help = {
        C_CODE: gettext_noop(
            "Chữ cái đầu, chỉ gồm chữ, số và dấu gạch dưới; công thức chỉ tiêu dùng mã này."
        ),
        **_ELEMENT_SCOPE_HELP,
        C_REPORTERS: gettext_noop("Mã các đơn vị: khi có, chỉ các đơn vị này báo cáo."),
        C_UPDATE: gettext_noop("Để trống: theo độ dài của kỳ."),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        value_types, kinds = labels(ValueType.choices), labels(PeriodKind.choices)
        elements = DataElement.objects.select_related("within").prefetch_related("reporting_units")
        for e in elements.order_by("code"):
            yield [
                e.code, e.name, value_types[e.value_type], e.unit_label, kinds[e.period_kind],
                joined(e.unit_types), e.within.code if e.within else "",
                joined(sorted(u.code for u in e.reporting_units.all())),
                date_text(e.active_from), date_text(e.active_to), e.update_days or "",
            ]  # fmt: skip

    def dropdowns(self) -> list[Dropdown]:
        return [
            Dropdown(self.C_VALUE_TYPE, LISTS, ListsSheet.letter(ListsSheet.VALUE_TYPES)),
            Dropdown(self.C_KIND, LISTS, ListsSheet.letter(ListsSheet.PERIOD_KINDS)),
            Dropdown(C_WITHIN, LISTS, ListsSheet.letter(ListsSheet.UNIT_CODES)),
        ]

    def apply(self, ctx: Context, cells: Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        wanted: dict[str, Any] = {
            "name": cells.text(C_NAME, required=True),
            "value_type": cells.choice(self.C_VALUE_TYPE, labels(ValueType.choices)),
            "unit_label": cells.text(self.C_UNIT_LABEL),
            "period_kind": cells.choice(self.C_KIND, labels(PeriodKind.choices)),
            "unit_types": cells.unit_types(C_TYPES),
            "within": ctx.units.find(cells, C_WITHIN),
            "reporting_units": set(ctx.units.find_many(cells, self.C_REPORTERS)),
            "active_from": cells.date(C_FROM),
            "active_to": cells.date(C_TO),
            "update_days": cells.integer(self.C_UPDATE, 1, 32767),
        }
        self.done(cells)
        existing = DataElement.objects.filter(code=code).first()
        if existing is not None and same(existing, wanted):
            return None
        if existing is None:
            indicator_services.create_element(actor=ctx.actor, code=code, **wanted)
            return CREATED
        indicator_services.update_element(actor=ctx.actor, element=existing, **wanted)
        return UPDATED


class SetSheet(Sheet):
    name = "Bộ chỉ tiêu"
    model = IndicatorSet
    C_FIRST, C_LAST = "Từ năm", "Đến năm"
    headers = (C_CODE, C_NAME, C_FIRST, C_LAST, C_ORDER)
    key = (C_CODE,)
    field_columns = {
        "code": C_CODE, "name": C_NAME, "first_year": C_FIRST, "last_year": C_LAST,
        "order": C_ORDER,
    }  # fmt: skip
    help = {
        C_NAME: gettext_noop(
            "Cách tỉnh viết tên bộ, ví dụ “giai đoạn 2025–2045”; chỉ tiêu của bộ ghi ở "
            "trang “Chỉ tiêu”."
        )
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        for s in IndicatorSet.objects.order_by("order", "code"):
            yield [s.code, s.name, s.first_year, s.last_year, s.order]

    def apply(self, ctx: Context, cells: Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        wanted: dict[str, Any] = {
            "name": cells.text(C_NAME, required=True),
            "first_year": cells.integer(self.C_FIRST, 2000, 2100, required=True),
            "last_year": cells.integer(self.C_LAST, 2000, 2100, required=True),
            "order": cells.integer(C_ORDER, 0, 32767) or 0,
        }
        self.done(cells)
        existing = IndicatorSet.objects.filter(code=code).first()
        if existing is not None and same(existing, wanted):
            return None
        # Its members are said by the indicators' sheet (`indicators=None` keeps them here).
        indicator_services.save_indicator_set(actor=ctx.actor, code=code, **wanted)
        return UPDATED if existing else CREATED


class IndicatorSheet(Sheet):
    name = "Chỉ tiêu"
    model = Indicator
    C_AREA, C_FORMULA, C_UNIT_LABEL = "Lĩnh vực", "Công thức", "Đơn vị tính"
    C_DIRECTION, C_EVALUATION = "Chiều đánh giá", "Phương pháp đánh giá"
    C_LEGAL, C_METHOD, C_KIND = "Căn cứ pháp lý", "Mô tả phương pháp tạm thời", "Loại kỳ"
    C_SETS = "Bộ chỉ tiêu"
    headers = (
        C_CODE, C_NAME, C_AREA, C_FORMULA, C_UNIT_LABEL, C_DIRECTION, C_EVALUATION, C_LEGAL,
        C_METHOD, C_KIND, C_ORDER, C_SETS,
    )  # fmt: skip
    key = (C_CODE,)
    field_columns = {
        "code": C_CODE, "name": C_NAME, "area": C_AREA, "formula": C_FORMULA,
        "unit_label": C_UNIT_LABEL, "direction": C_DIRECTION, "evaluation": C_EVALUATION,
        "legal_source": C_LEGAL, "method_note": C_METHOD, "period_kind": C_KIND,
        "order": C_ORDER,
    }  # fmt: skip
    help = {
        C_FORMULA: gettext_noop("Biểu thức trên mã số liệu, ví dụ 100 * DVC_TT / TTHC_TONG."),
        C_LEGAL: gettext_noop("Bắt buộc khi phương pháp chính thức."),
        C_METHOD: gettext_noop("Bắt buộc khi phương pháp tạm thời."),
        C_SETS: gettext_noop(
            "Mã các bộ chỉ tiêu (trang “Bộ chỉ tiêu”) có chỉ tiêu này, cách nhau bởi dấu phẩy."
        ),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        directions, evaluations = labels(Direction.choices), labels(Evaluation.choices)
        kinds = labels(PeriodKind.choices)
        indicators = Indicator.objects.select_related("area").prefetch_related("sets")
        for i in indicators.order_by("order", "code"):
            yield [
                i.code, i.name, i.area.code if i.area else "", i.formula, i.unit_label,
                directions[i.direction], evaluations[i.evaluation], i.legal_source,
                i.method_note, kinds[i.period_kind], i.order,
                joined(sorted(s.code for s in i.sets.all())),
            ]  # fmt: skip

    def dropdowns(self) -> list[Dropdown]:
        return [
            Dropdown(self.C_AREA, AreaSheet.name, "A"),
            Dropdown(self.C_DIRECTION, LISTS, ListsSheet.letter(ListsSheet.DIRECTIONS)),
            Dropdown(self.C_EVALUATION, LISTS, ListsSheet.letter(ListsSheet.EVALUATIONS)),
            Dropdown(self.C_KIND, LISTS, ListsSheet.letter(ListsSheet.PERIOD_KINDS)),
        ]

    def apply(self, ctx: Context, cells: Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        wanted: dict[str, Any] = {
            "name": cells.text(C_NAME, required=True),
            "area": find(cells, self.C_AREA, Area, _("lĩnh vực"), required=False),
            "formula": cells.text(self.C_FORMULA, required=True),
            "unit_label": cells.text(self.C_UNIT_LABEL),
            "direction": cells.choice(
                self.C_DIRECTION, labels(Direction.choices), default=Direction.HIGHER
            ),
            "evaluation": cells.choice(
                self.C_EVALUATION, labels(Evaluation.choices), default=Evaluation.OFFICIAL
            ),
            "legal_source": cells.text(self.C_LEGAL),
            "method_note": cells.text(self.C_METHOD),
            "period_kind": cells.choice(self.C_KIND, labels(PeriodKind.choices)),
            "order": cells.integer(C_ORDER, 0, 32767) or 0,
            "sets": set(find_many(cells, self.C_SETS, IndicatorSet, _("bộ chỉ tiêu"))),
        }
        self.done(cells)
        existing = Indicator.objects.filter(code=code).first()
        if existing is not None and same(existing, wanted):
            return None
        if existing is None:
            indicator_services.create_indicator(actor=ctx.actor, code=code, **wanted)
            return CREATED
        indicator_services.update_indicator(actor=ctx.actor, indicator=existing, **wanted)
        return UPDATED


class TargetSheet(Sheet):
    name = "Mục tiêu"
    C_INDICATOR, C_YEAR, C_VALUE = "Chỉ tiêu", "Năm", "Giá trị"
    headers = (C_INDICATOR, C_YEAR, C_TYPES, C_VALUE)
    key = (C_INDICATOR, C_YEAR, C_TYPES)
    field_columns = {"year": C_YEAR, "unit_type": C_TYPES, "value": C_VALUE}
    help = {
        C_INDICATOR: gettext_noop("Mã chỉ tiêu."),
        C_YEAR: gettext_noop("Để trống: mục tiêu giai đoạn 2025–2045."),
        C_TYPES: gettext_noop("Mã một loại đơn vị; để trống: mọi đơn vị."),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        targets = Target.objects.select_related("indicator")
        ordered = sorted(targets, key=lambda t: (t.indicator.code, t.year or 0, t.unit_type))
        for t in ordered:
            yield [t.indicator.code, t.year or "", t.unit_type, number_cell(t.value)]

    def dropdowns(self) -> list[Dropdown]:
        return [
            Dropdown(self.C_INDICATOR, IndicatorSheet.name, "A"),
            Dropdown(C_TYPES, LISTS, ListsSheet.letter(ListsSheet.UNIT_TYPES)),
        ]

    def apply(self, ctx: Context, cells: Cells) -> str | None:
        indicator = find(cells, self.C_INDICATOR, Indicator, _("chỉ tiêu"))
        year = cells.integer(self.C_YEAR, 2000, 2100)
        types = cells.unit_types(C_TYPES)
        if len(types) > 1:
            cells.fail(C_TYPES, _("Mỗi dòng một loại đơn vị."))
        value = cells.decimal(self.C_VALUE, required=True)
        self.done(cells)
        unit_type = types[0] if types else ""
        existing = Target.objects.filter(
            indicator=indicator, year=year, unit_type=unit_type
        ).first()
        if existing is not None and existing.value == value:
            return None
        assert value is not None  # a required cell: done() refused the row otherwise
        indicator_services.set_target(
            actor=ctx.actor, indicator=indicator, value=value, year=year, unit_type=unit_type
        )
        return UPDATED if existing else CREATED


class RuleSheet(Sheet):
    name = "Quy tắc kiểm tra"
    model = ValidationRule
    C_KIND, C_SEVERITY, C_ELEMENT, C_TOTAL = "Loại quy tắc", "Mức độ", "Số liệu", "Tổng số"
    C_PARTS, C_NUMERATOR, C_DENOMINATOR = "Các phần", "Tử số", "Mẫu số"
    C_MIN, C_MAX, C_THRESHOLD, C_MESSAGE = (
        "Giá trị nhỏ nhất",
        "Giá trị lớn nhất",
        "Ngưỡng",
        "Thông báo",
    )
    C_UNITS = "Chỉ các đơn vị"
    headers = (
        C_CODE, C_NAME, C_KIND, C_SEVERITY, C_ELEMENT, C_TOTAL, C_PARTS, C_NUMERATOR,
        C_DENOMINATOR, C_MIN, C_MAX, C_THRESHOLD, C_MESSAGE, C_TYPES, C_WITHIN, C_UNITS,
        C_FROM, C_TO,
    )  # fmt: skip
    key = (C_CODE,)
    field_columns = {
        "code": C_CODE, "name": C_NAME, "kind": C_KIND, "severity": C_SEVERITY,
        "element": C_ELEMENT, "total": C_TOTAL, "parts": C_PARTS, "numerator": C_NUMERATOR,
        "denominator": C_DENOMINATOR, "min_value": C_MIN, "max_value": C_MAX,
        "threshold": C_THRESHOLD, "message": C_MESSAGE, "unit_types": C_TYPES,
        "within": C_WITHIN, "units": C_UNITS, "active_from": C_FROM, "active_to": C_TO,
    }  # fmt: skip
    help = {
        C_KIND: gettext_noop(
            "Các phần cộng lại bằng tổng số: Tổng số, Các phần. Tỷ lệ khớp: Số liệu (tỷ lệ), Tử "
            "số, Mẫu số, Ngưỡng (điểm %). Giá trị trong khoảng: Số liệu, Giá trị nhỏ nhất/lớn "
            "nhất. Thay đổi so với kỳ trước: Số liệu, Ngưỡng (%). Bắt buộc nhập: Số liệu."
        ),
        C_PARTS: gettext_noop("Mã các số liệu, cách nhau bởi dấu phẩy."),
        **_ELEMENT_SCOPE_HELP,
        C_UNITS: gettext_noop("Mã các đơn vị: khi có, quy tắc chỉ áp dụng cho các đơn vị này."),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        kinds, severities = labels(RuleKind.choices), labels(Severity.choices)
        rules = ValidationRule.objects.select_related(
            "element", "total", "numerator", "denominator", "within"
        ).prefetch_related("parts", "units")

        def code(element: DataElement | None) -> str:
            return element.code if element else ""

        for r in rules.order_by("code"):
            yield [
                r.code, r.name, kinds[r.kind], severities[r.severity], code(r.element),
                code(r.total), joined(sorted(p.code for p in r.parts.all())),
                code(r.numerator), code(r.denominator), number_cell(r.min_value),
                number_cell(r.max_value), number_cell(r.threshold), r.message, joined(r.unit_types),
                r.within.code if r.within else "",
                joined(sorted(u.code for u in r.units.all())),
                date_text(r.active_from), date_text(r.active_to),
            ]  # fmt: skip

    def dropdowns(self) -> list[Dropdown]:
        elements = [
            Dropdown(column, ElementSheet.name, "A")
            for column in (self.C_ELEMENT, self.C_TOTAL, self.C_NUMERATOR, self.C_DENOMINATOR)
        ]
        return [
            Dropdown(self.C_KIND, LISTS, ListsSheet.letter(ListsSheet.RULE_KINDS)),
            Dropdown(self.C_SEVERITY, LISTS, ListsSheet.letter(ListsSheet.SEVERITIES)),
            *elements,
            Dropdown(C_WITHIN, LISTS, ListsSheet.letter(ListsSheet.UNIT_CODES)),
        ]

    def apply(self, ctx: Context, cells: Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        kind = cells.choice(self.C_KIND, labels(RuleKind.choices))

        def element(column: str) -> DataElement | None:
            return find(cells, column, DataElement, _("số liệu"), required=False)

        wanted: dict[str, Any] = {
            "kind": kind,
            "severity": cells.choice(
                self.C_SEVERITY, labels(Severity.choices), default=Severity.ERROR
            ),
            "name": cells.text(C_NAME),
            "element": element(self.C_ELEMENT),
            "total": element(self.C_TOTAL),
            "parts": set(find_many(cells, self.C_PARTS, DataElement, _("số liệu"))),
            "numerator": element(self.C_NUMERATOR),
            "denominator": element(self.C_DENOMINATOR),
            "min_value": cells.decimal(self.C_MIN),
            "max_value": cells.decimal(self.C_MAX),
            "threshold": cells.decimal(self.C_THRESHOLD),
            "message": cells.text(self.C_MESSAGE),
            "unit_types": cells.unit_types(C_TYPES),
            "within": ctx.units.find(cells, C_WITHIN),
            "units": set(ctx.units.find_many(cells, self.C_UNITS)),
            "active_from": cells.date(C_FROM),
            "active_to": cells.date(C_TO),
        }
        self.done(cells)
        # What the service keeps of a kind's fields (a range rule has no parts): compare that.
        used = indicator_services.RULE_FIELDS[kind or ""]
        for name in (
            "element",
            "total",
            "numerator",
            "denominator",
            "min_value",
            "max_value",
            "threshold",
        ):
            if name not in used:
                wanted[name] = None
        if "parts" not in used:
            wanted["parts"] = set()
        existing = ValidationRule.objects.filter(code=code).first()
        if existing is not None and same(existing, wanted):
            return None
        if existing is None:
            indicator_services.create_rule(actor=ctx.actor, code=code, **wanted)
            return CREATED
        indicator_services.update_rule(actor=ctx.actor, rule=existing, **wanted)
        return UPDATED


class FormSheet(Sheet):
    name = "Mẫu báo cáo"
    model = ReportForm
    C_KIND, C_SECTIONS, C_EVERY = "Loại kỳ", "Các phần nội dung", "Mọi số liệu của loại kỳ"
    C_ELEMENTS, C_QUESTIONS = "Số liệu", "Câu hỏi"
    headers = (C_CODE, C_NAME, C_KIND, C_SECTIONS, C_EVERY, C_ELEMENTS, C_QUESTIONS)
    key = (C_CODE,)
    field_columns = {
        "code": C_CODE, "name": C_NAME, "kind": C_KIND, "sections": C_SECTIONS,
        "elements": C_ELEMENTS, "questions": C_QUESTIONS,
    }  # fmt: skip
    help = {
        C_CODE: gettext_noop("Chữ in hoa không dấu, chữ số và dấu “-”."),
        C_SECTIONS: gettext_noop("Mã các phần (xem trang “Danh mục”), cách nhau bởi dấu phẩy."),
        C_ELEMENTS: gettext_noop("Khi không hỏi mọi số liệu: mã các số liệu được hỏi."),
        C_QUESTIONS: gettext_noop("Chỉ báo cáo nhanh: mỗi câu hỏi một dòng trong ô."),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        kinds = labels(PeriodKind.choices)
        for f in ReportForm.objects.prefetch_related("elements").order_by("code"):
            yield [
                f.code, f.name, kinds[f.kind], joined(f.sections), yes_no(f.every_element),
                joined(sorted(e.code for e in f.elements.all())), f.questions,
            ]  # fmt: skip

    def dropdowns(self) -> list[Dropdown]:
        return [
            Dropdown(self.C_KIND, LISTS, ListsSheet.letter(ListsSheet.PERIOD_KINDS)),
            Dropdown(self.C_EVERY, LISTS, ListsSheet.letter(ListsSheet.YES_NO)),
        ]

    def apply(self, ctx: Context, cells: Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        sections = cells.codes(self.C_SECTIONS)
        unknown = [s for s in sections if s not in SectionKind.values]
        if unknown:
            message = _("Phần nội dung không có: %(s)s (xem trang “%(lists)s”).")
            cells.fail(self.C_SECTIONS, message % {"s": ", ".join(unknown), "lists": LISTS})
        data = schedules.FormInput(
            code=code,
            name=cells.text(C_NAME, required=True),
            kind=cells.choice(self.C_KIND, labels(PeriodKind.choices)) or "",
            sections=sections,
            every_element=cells.boolean(self.C_EVERY, True),
            elements=find_many(cells, self.C_ELEMENTS, DataElement, _("số liệu")),
            questions=cells.text(self.C_QUESTIONS),
        )
        self.done(cells)
        existing = ReportForm.objects.filter(code=code).first()
        if existing is not None and self._stored(existing) == self._stored(data):
            return None
        schedules.save_report_form(actor=ctx.actor, data=data, form=existing)
        return UPDATED if existing else CREATED

    @staticmethod
    def _stored(form: ReportForm | schedules.FormInput) -> tuple[Any, ...]:
        """What save_report_form stores of a form: its parts in the report's order, its
        questions one a line, its elements only when it does not ask every one."""
        elements = form.elements.all() if isinstance(form, ReportForm) else form.elements
        questions = [q.strip() for q in form.questions.splitlines() if q.strip()]
        return (
            form.name.strip(), form.kind, sorted(form.sections), form.every_element,
            set() if form.every_element else {e.pk for e in elements}, questions,
        )  # fmt: skip


class ScheduleSheet(Sheet):
    name = "Lịch báo cáo"
    model = Schedule
    C_FREQUENCY, C_FORM, C_STARTS, C_ENDS = (
        "Tần suất",
        "Mẫu báo cáo",
        "Bắt đầu từ ngày",
        "Kết thúc ngày",
    )
    C_CUTOFF, C_DUE_DAY, C_DUE_MONTH = (
        "Ngày chốt số liệu",
        "Hạn nộp: ngày trong tháng",
        "Hạn nộp: tháng",
    )
    C_DUE_WORKING, C_DUE_TIME = "Hạn nộp: số ngày làm việc sau ngày chốt", "Giờ hạn nộp"
    C_OPENS, C_CLOSES = "Mở nhận báo cáo trước hạn (ngày)", "Đóng kỳ sau hạn (ngày)"
    C_REPORT_TYPES, C_BLOCS, C_UNITS = "Loại đơn vị phải báo cáo", "Thuộc khối", "Thêm các đơn vị"
    C_ACTIVE = "Đang áp dụng"
    headers = (
        C_CODE, C_NAME, C_FREQUENCY, C_FORM, C_STARTS, C_ENDS, C_CUTOFF, C_DUE_DAY,
        C_DUE_MONTH, C_DUE_WORKING, C_DUE_TIME, C_OPENS, C_CLOSES, C_REPORT_TYPES, C_BLOCS,
        C_UNITS, C_ACTIVE,
    )  # fmt: skip
    key = (C_CODE,)
    field_columns = {
        "code": C_CODE, "name": C_NAME, "frequency": C_FREQUENCY, "form": C_FORM,
        "starts_on": C_STARTS, "ends_on": C_ENDS, "cutoff_day": C_CUTOFF, "due_day": C_DUE_DAY,
        "due_month_offset": C_DUE_MONTH, "due_working_days": C_DUE_WORKING,
        "due_time": C_DUE_TIME, "opens_days_before": C_OPENS, "closes_days_after": C_CLOSES,
        "unit_types": C_REPORT_TYPES, "blocs": C_BLOCS, "units": C_UNITS,
    }  # fmt: skip
    help = {
        C_CODE: gettext_noop(
            "Chữ in hoa không dấu, chữ số và dấu “-”; đứng đầu mã các kỳ được tạo."
        ),
        C_CUTOFF: gettext_noop(
            "1: theo tháng dương lịch; 15: số liệu từ ngày 15 tháng trước đến ngày 14."
        ),
        C_DUE_DAY: gettext_noop(
            "Ghi một trong hai: ngày trong tháng, hoặc số ngày làm việc sau ngày chốt."
        ),
        C_DUE_TIME: gettext_noop("hh:mm, ví dụ 17:00."),
        C_OPENS: gettext_noop("Để trống: 5 ngày."),
        C_REPORT_TYPES: gettext_noop("Mã các loại đơn vị, cách nhau bởi dấu phẩy."),
        C_BLOCS: gettext_noop("Mã các khối: chỉ đơn vị thuộc các khối này."),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        frequencies = labels(Frequency.choices)
        rows = Schedule.objects.select_related("form").prefetch_related("blocs", "units")
        for s in rows.order_by("code"):
            yield [
                s.code, s.name, frequencies[s.frequency], s.form.code, date_text(s.starts_on),
                date_text(s.ends_on), s.cutoff_day, s.due_day or "", s.due_month_offset,
                s.due_working_days or "", s.due_time.strftime(TIME_FORMAT), s.opens_days_before,
                "" if s.closes_days_after is None else s.closes_days_after,
                joined(s.unit_types), joined(sorted(u.code for u in s.blocs.all())),
                joined(sorted(u.code for u in s.units.all())), yes_no(s.active),
            ]  # fmt: skip

    def dropdowns(self) -> list[Dropdown]:
        return [
            Dropdown(self.C_FREQUENCY, LISTS, ListsSheet.letter(ListsSheet.FREQUENCIES)),
            Dropdown(self.C_FORM, FormSheet.name, "A"),
            Dropdown(self.C_ACTIVE, LISTS, ListsSheet.letter(ListsSheet.YES_NO)),
        ]

    def apply(self, ctx: Context, cells: Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        starts_on = cells.date(self.C_STARTS)
        if starts_on is None:
            cells.text(self.C_STARTS, required=True)
        data = schedules.ScheduleInput(
            code=code,
            name=cells.text(C_NAME, required=True),
            frequency=cells.choice(self.C_FREQUENCY, labels(Frequency.choices)) or "",
            form=find(cells, self.C_FORM, ReportForm, _("mẫu báo cáo")),
            starts_on=starts_on or date.min,  # only when the row is refused below
            ends_on=cells.date(self.C_ENDS),
            cutoff_day=cells.integer(self.C_CUTOFF, 1, 28) or 1,
            due_day=cells.integer(self.C_DUE_DAY, 1, 31),
            due_month_offset=cells.integer(self.C_DUE_MONTH, 0, 3) or 0,
            due_working_days=cells.integer(self.C_DUE_WORKING, 1, 60),
            due_time=cells.time(self.C_DUE_TIME) or time(17),
            opens_days_before=or_default(cells.integer(self.C_OPENS, 0, 60), 5),
            closes_days_after=cells.integer(self.C_CLOSES, 0, 32767),
            unit_types=cells.unit_types(self.C_REPORT_TYPES, REPORTING_TYPES),
            blocs=ctx.units.find_many(cells, self.C_BLOCS),
            units=ctx.units.find_many(cells, self.C_UNITS),
        )
        active = cells.boolean(self.C_ACTIVE, True)
        self.done(cells)
        existing = Schedule.objects.filter(code=code).first()
        change = None
        if existing is None or self._stored(existing) != self._stored(data):
            change = UPDATED if existing else CREATED
            existing = schedules.save_schedule(actor=ctx.actor, data=data, schedule=existing)
        if existing.active != active:  # a new schedule starts active
            schedules.set_schedule_active(actor=ctx.actor, schedule=existing, active=active)
            change = change or UPDATED
        return change

    @staticmethod
    def _stored(schedule: Schedule | schedules.ScheduleInput) -> tuple[Any, ...]:
        blocs, units = schedule.blocs, schedule.units
        if isinstance(schedule, Schedule):
            blocs, units = schedule.blocs.all(), schedule.units.all()  # type: ignore[assignment]
        return (
            schedule.name.strip(), schedule.frequency, schedule.form.pk, schedule.starts_on,
            schedule.ends_on, schedule.cutoff_day, schedule.due_day, schedule.due_month_offset,
            schedule.due_working_days, schedule.due_time, schedule.opens_days_before,
            schedule.closes_days_after, sorted(schedule.unit_types),
            {u.pk for u in blocs}, {u.pk for u in units},  # type: ignore[union-attr]
        )  # fmt: skip


class ListsSheet:
    """The lists the dropdowns offer (and the reader looks codes up in): one column each."""

    UNIT_TYPES, UNIT_TYPE_NAMES = "Mã loại đơn vị", "Tên loại đơn vị"
    UNIT_CODES, UNIT_NAMES = "Mã đơn vị", "Tên đơn vị"
    VALUE_TYPES, PERIOD_KINDS = "Kiểu số liệu", "Loại kỳ / tần suất báo cáo"
    DIRECTIONS, EVALUATIONS = "Chiều đánh giá", "Phương pháp đánh giá"
    RULE_KINDS, SEVERITIES = "Loại quy tắc", "Mức độ"
    FREQUENCIES, YES_NO = "Tần suất lịch báo cáo", "Có/không"
    SECTIONS, SECTION_NAMES = "Mã phần nội dung", "Tên phần nội dung"
    HEADERS = (
        UNIT_TYPES, UNIT_TYPE_NAMES, VALUE_TYPES, PERIOD_KINDS, DIRECTIONS, EVALUATIONS,
        RULE_KINDS, SEVERITIES, FREQUENCIES, YES_NO, SECTIONS, SECTION_NAMES, UNIT_CODES,
        UNIT_NAMES,
    )  # fmt: skip

    @classmethod
    def letter(cls, header: str) -> str:
        return get_column_letter(cls.HEADERS.index(header) + 1)

    @classmethod
    def columns(cls, units: Units) -> list[list[Any]]:
        def names(choices: Iterable[tuple[str, Any]]) -> list[str]:
            return list(labels(choices).values())

        return [
            list(UnitType.values), names(UnitType.choices), names(ValueType.choices),
            names(PeriodKind.choices), names(Direction.choices), names(Evaluation.choices),
            names(RuleKind.choices), names(Severity.choices), names(Frequency.choices),
            [YES, NO], list(SectionKind.values), names(SectionKind.choices),
            [u.code for u in units.all], [u.name for u in units.all],
        ]  # fmt: skip


SHEETS: tuple[Sheet, ...] = (
    SourceSheet(),
    AreaSheet(),
    GroupSheet(),
    TaskSheet(),
    ElementSheet(),
    SetSheet(),
    IndicatorSheet(),
    TargetSheet(),
    RuleSheet(),
    FormSheet(),
    ScheduleSheet(),
)
