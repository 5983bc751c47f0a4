"""Every write of the documents app: requesting a report (the job row, queued after commit),
running it (called by the background job), and the issuer settings of each kind of report."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from documents import jobs
from documents.build import build
from documents.content import KIND_LABELS, Kind, ReportContent
from documents.models import (
    STALE_RUNNING,
    DocumentProfile,
    Format,
    GeneratedReport,
    JobStatus,
    Style,
)
from documents.pdf import PdfFailed, PdfUnavailable, pdf_available
from org import access
from org.access import Action
from org.models import REPORTING_TYPES, Unit, UnitType, User
from periods.models import Period, PeriodKind
from periods.queries import periods_visible_to

logger = logging.getLogger(__name__)

# The province's own reports, issued for the whole tree by the standing office.
PROVINCE_KINDS = frozenset({Kind.QUARTERLY, Kind.MONTHLY})
# The period each province kind reports on; a unit's own report may be for any period.
PERIOD_KINDS = {Kind.QUARTERLY: PeriodKind.QUARTER, Kind.MONTHLY: PeriodKind.MONTH}
# The issuer settings a person edits, in the order the form shows them.
PROFILE_FIELDS = (
    "style",
    "issuer_parent",
    "issuer",
    "number",
    "place",
    "signer_capacity",
    "signer_title",
    "signer_name",
    "recipients",
    "basis",
)

# Locality names lose their rank on the place line: "Tỉnh Nghệ An" → "Nghệ An".
_RANKS = ("Tỉnh ", "Thành phố ", "Xã ", "Phường ")
_COMMUNE_TYPES = (UnitType.COMMUNE, UnitType.WARD)


def province_root() -> Unit:
    """The unit whose report the province's kinds are: the top of the tree."""
    root: Unit | None = Unit.objects.get_first_root_node()
    if root is None:
        raise Http404
    return root


def _kind(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError as exc:
        raise ValidationError({"kind": _("Loại báo cáo không hợp lệ.")}) from exc


# --- issuer settings -------------------------------------------------------------------------


def _locality(name: str) -> str:
    for rank in _RANKS:
        if name.startswith(rank):
            return name.removeprefix(rank)
    return name


@dataclass(frozen=True)
class _UnitStyle:
    """How a kind of unit issues its own report: format, the authority above its name, the
    report's number, and who signs (capacity line and title) when the unit names no head."""

    style: str = Style.STATE
    parent: str = ""  # "{province}" stands for the province's name in capitals
    number: str = "Số:      /BC-{symbol}"
    capacity: str = ""
    title: str = ""


UNIT_STYLES: dict[str, _UnitStyle] = {
    # A board of the Party committee is headed, not led collectively: its head signs as such.
    UnitType.PARTY_AGENCY: _UnitStyle(
        Style.PARTY, "TỈNH ỦY {province}", "Số      -BC/{symbol}", title="TRƯỞNG BAN"
    ),
    UnitType.DEPARTMENT: _UnitStyle(parent="UBND TỈNH {province}", title="GIÁM ĐỐC"),
    UnitType.COMMUNE: _UnitStyle(
        number="Số:      /BC-UBND", capacity="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH"
    ),
    UnitType.WARD: _UnitStyle(
        number="Số:      /BC-UBND", capacity="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH"
    ),
}


def _default_title(unit: Unit, kind: _UnitStyle) -> str:
    """The title the unit's head signs under: "CHÁNH VĂN PHÒNG" for an office, else the type's."""
    if unit.name.startswith("Văn phòng"):
        return "CHÁNH VĂN PHÒNG"
    return kind.title


def derived_profile(unit: Unit) -> DocumentProfile:
    """A unit's own letterhead when nobody stored one, from UNIT_STYLES by its type: Party
    agencies in the Party's format under the provincial Party committee, communes and wards as
    their People's Committee, departments under the provincial People's Committee, other units
    in the administrative format alone. The symbol is the unit's code (BTC-TU → BTCTU)."""
    province = _locality(province_root().name)
    kind = UNIT_STYLES.get(unit.unit_type, _UnitStyle())
    issuer = unit.name.upper()
    place = province
    if unit.unit_type == UnitType.PARTY_AGENCY:
        issuer = issuer.removesuffix(" TỈNH ỦY")
    elif unit.unit_type in _COMMUNE_TYPES:
        issuer, place = f"ỦY BAN NHÂN DÂN {issuer}", _locality(unit.name)
    return DocumentProfile(
        kind=Kind.UNIT,
        unit=unit,
        style=kind.style,
        issuer_parent=kind.parent.format(province=province.upper()),
        issuer=issuer,
        number=kind.number.format(symbol=unit.code.replace("-", "").upper()),
        place=place,
        signer_capacity=kind.capacity,
        signer_title=unit.head_title.upper() or _default_title(unit, kind),
        signer_name=unit.head_name,
        recipients="\n".join([_("Cơ quan thường trực Ban Chỉ đạo tỉnh;"), _("Lưu: VT.")]),
    )


def stored_profile(kind: Kind, unit: Unit | None = None) -> DocumentProfile | None:
    """A unit's own report is looked up by its unit; the province's kinds have one each."""
    profiles = DocumentProfile.objects.filter(kind=kind)
    if kind == Kind.UNIT:
        return profiles.filter(unit=unit).first()
    return profiles.filter(unit__isnull=True).first()


def profile_for(kind: Kind, unit: Unit) -> DocumentProfile:
    """The settings a report of `kind` for `unit` is issued with. The province's kinds must have
    been set up by the standing office (their issuer and signer are not guessed)."""
    profile = stored_profile(kind, unit)
    if profile is not None:
        return profile
    if kind == Kind.UNIT:
        return derived_profile(unit)
    message = _("Chưa nhập thông tin ban hành (cơ quan, số, người ký) cho “%(kind)s”.")
    raise ValidationError(message % {"kind": KIND_LABELS[kind]})


def _profile_target(kind: Kind, unit: Unit | None) -> Unit:
    """The unit whose MANAGE_PROGRAMME right a profile's change needs."""
    if kind == Kind.UNIT:
        if unit is None:
            raise ValidationError({"unit": _("Chọn đơn vị của báo cáo.")})
        return unit
    if unit is not None:
        raise ValidationError({"unit": _("Báo cáo quý và báo cáo tháng là của toàn tỉnh.")})
    return province_root()


@transaction.atomic
def save_profile(
    *, actor: User, kind: str, unit: Unit | None = None, **fields: Any
) -> DocumentProfile:
    """Create or change the issuer settings of `kind` (of `unit` for a unit's own report).
    `recipients` may be a text (one per line) or a sequence of lines."""
    checked = _kind(kind)
    access.authorize(actor, Action.MANAGE_PROGRAMME, _profile_target(checked, unit))
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"save_profile: unknown fields {sorted(unknown)}")
    if not isinstance(fields.get("recipients", ""), str):
        fields["recipients"] = "\n".join(fields["recipients"])
    stored = stored_profile(checked, unit)
    profile = (
        DocumentProfile.objects.select_for_update().get(pk=stored.pk)
        if stored is not None
        else DocumentProfile(kind=checked, unit=unit)
    )
    for name, value in fields.items():
        setattr(profile, name, value.strip() if isinstance(value, str) else value)
    profile.full_clean()
    profile._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():  # a savepoint: the clash below leaves the transaction usable
            profile.save()
    except IntegrityError as exc:
        # Someone saved the same kind's (or unit's) settings between our read and our write.
        message = _("Thông tin ban hành này vừa được người khác lưu; hãy mở lại trang và sửa.")
        raise ValidationError(message) from exc
    return profile


# --- requesting and running a report ---------------------------------------------------------


def check_period(kind: Kind, period: Period) -> None:
    wanted = PERIOD_KINDS.get(kind)
    if wanted is not None and period.kind != wanted:
        messages = {
            Kind.QUARTERLY: _("Báo cáo quý phải chọn kỳ theo quý (ví dụ 2025-Q3)."),
            Kind.MONTHLY: _("Báo cáo tháng phải chọn kỳ theo tháng (ví dụ 2025-09)."),
        }
        raise ValidationError({"period": messages[kind]})


def data_date(period: Period, as_of: date | None) -> date:
    """The date of the data: by default the period's last day, or today while it runs."""
    today = timezone.localdate()
    if today < period.starts_on:
        raise ValidationError({"period": _("Kỳ báo cáo chưa bắt đầu.")})
    if as_of is None:
        return min(period.ends_on, today)
    if as_of > today:
        raise ValidationError({"as_of": _("Ngày số liệu không được sau hôm nay.")})
    if as_of < period.starts_on:
        first = date_format(period.starts_on, "SHORT_DATE_FORMAT")
        message = _("Ngày số liệu phải từ ngày bắt đầu kỳ (%(first)s) trở đi.")
        raise ValidationError({"as_of": message % {"first": first}})
    return as_of


def _check_unit(kind: Kind, unit: Unit) -> None:
    if kind in PROVINCE_KINDS and not unit.is_root():
        raise ValidationError({"unit": _("Báo cáo quý và báo cáo tháng là của toàn tỉnh.")})
    if kind == Kind.UNIT and unit.unit_type not in REPORTING_TYPES:
        message = _("%(unit)s không phải đơn vị báo cáo nên không có báo cáo của đơn vị.")
        raise ValidationError({"unit": message % {"unit": unit.name}})


def check_format(fmt: str) -> None:
    if fmt not in Format.values:
        raise ValidationError({"fmt": _("Định dạng tệp không hợp lệ.")})
    if fmt == Format.PDF and not pdf_available():
        raise ValidationError({"fmt": str(PdfUnavailable())})


def _check_request(actor: User, kind: Kind, period: Period, unit: Unit, fmt: str) -> None:
    """Who may ask (404 out of sight, 403 without the right), then what was asked."""
    action = Action.MANAGE_PROGRAMME if kind in PROVINCE_KINDS else Action.REPORT
    access.authorize(actor, action, unit)
    if not periods_visible_to(actor).filter(pk=period.pk).exists():
        raise Http404
    _check_unit(kind, unit)
    check_period(kind, period)
    check_format(fmt)


@transaction.atomic
def request_report(
    *,
    actor: User,
    kind: str,
    period: Period,
    unit: Unit,
    as_of: date | None = None,
    fmt: str,
) -> GeneratedReport:
    """Queue the generation of a report; the job starts once this transaction commits. The
    province's kinds are made by the standing office, a unit's own report by who reports for it."""
    checked = _kind(kind)
    _check_request(actor, checked, period, unit, fmt)
    day = data_date(period, as_of)
    profile_for(checked, unit)  # refuse now, not in the job, when the issuer is not set up
    report = GeneratedReport.objects.create(
        kind=checked, period=period, unit=unit, as_of=day, format=fmt,
        requested_by=actor, requested_at=timezone.now(), stage=_("Đang chờ đến lượt"),
    )  # fmt: skip
    transaction.on_commit(partial(jobs.generate_report.enqueue, report.pk))
    return report


def statements_of(content: ReportContent) -> list[dict[str, Any]]:
    """The computed paragraphs as kept with the file (JSON)."""
    return [
        {
            "key": p.key,
            "text": p.text,
            "footnotes": list(p.footnotes),
            "links": [{"label": link.label, "url": link.url} for link in p.links],
        }
        for p in content.statements()
    ]


def _progress(report_id: int, percent: int, stage: str) -> None:
    # Saved at once (the job runs outside a transaction) so the polling page sees it.
    GeneratedReport.objects.filter(pk=report_id).update(progress=percent, stage=stage)


def _finish(report: GeneratedReport, **fields: Any) -> GeneratedReport:
    now = timezone.now()
    fields.update(finished_at=now, duration=now - (report.started_at or now))
    for name, value in fields.items():
        setattr(report, name, value)
    report.save(update_fields=list(fields))
    return report


def _claim(report_id: int) -> bool:
    """Take a queued report for this run; False when another run took it already."""
    return bool(
        GeneratedReport.objects.filter(pk=report_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=timezone.now(), stage=_("Đang bắt đầu")
        )
    )


def _generate(report: GeneratedReport) -> ReportContent:
    """Build the file and store it on the report (not saved yet); the content is returned."""
    kind = Kind(report.kind)
    letterhead = profile_for(kind, report.unit).letterhead(signed_on=None)
    data, content = build(
        kind=kind, period=report.period, unit=report.unit, as_of=report.as_of,
        fmt=report.format, letterhead=letterhead, progress=partial(_progress, report.pk),
    )  # fmt: skip
    report.file.save(f"{uuid.uuid4().hex}.{report.format}", ContentFile(data), save=False)
    return content


def _failure(exc: Exception) -> str:
    """What the user reads when a run fails: the reason when it is theirs to act on, a generic
    message (and the trace in the log for the administrator) otherwise."""
    if isinstance(exc, PdfUnavailable | PdfFailed):
        return str(exc)
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    logger.error("Generating a report failed", exc_info=exc)
    return _("Lỗi hệ thống khi tạo báo cáo; đã ghi nhật ký để quản trị hệ thống kiểm tra.")


def run_report(report_id: int) -> GeneratedReport:
    """Generate a queued report: running, then done with its file and statements, or failed
    with the reason in Vietnamese. A report already taken by a run is left alone, so a job
    delivered twice does the work once."""
    claimed = _claim(report_id)
    report = GeneratedReport.objects.select_related("period", "unit").get(pk=report_id)
    if not claimed:
        return report
    try:
        content = _generate(report)
    except Exception as exc:  # every failure ends the row: it must never stay "running"
        return _finish(report, status=JobStatus.FAILED, error=_failure(exc), stage="")
    return _finish(
        report, status=JobStatus.DONE, progress=100, stage=_("Đã xong"),
        statements=statements_of(content), file=report.file,
    )  # fmt: skip


def fail_stale_reports(now: datetime) -> int:
    """Mark failed the runs whose worker died (running for longer than any run takes). Safe to
    call on every page view: it changes only rows nobody is working on. Returns how many."""
    return GeneratedReport.objects.filter(
        status=JobStatus.RUNNING, started_at__lt=now - STALE_RUNNING
    ).update(
        status=JobStatus.FAILED,
        stage="",
        finished_at=now,
        error=_("Tiến trình tạo báo cáo đã dừng giữa chừng; hãy bấm “Tạo lại”."),
    )
