"""Every write of the documents app: requesting a report (the job row, queued after commit; the
run itself is documents.generation's, called by the job), the issuer settings of each kind of
report, the outline of each kind and the standing office's prose of each report."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from documents import jobs
from documents.composer.blocks import BLOCKS
from documents.composer.letterhead import profile_for, province_root, stored_profile
from documents.composer.proposals import to_central
from documents.content import Kind
from documents.models import (
    DocumentProfile,
    FollowUpState,
    Format,
    GeneratedReport,
    Level,
    Outline,
    OutlineSection,
    ProposalFollowUp,
    SectionText,
)
from documents.outline_defaults import OUTLINES
from documents.pdf import PdfUnavailable, pdf_available
from nq57.text import fold
from org import access
from org.access import Action
from org.models import REPORTING_TYPES, Unit, User
from periods.models import Period, PeriodKind
from periods.queries import periods_visible_to
from reporting.models import TEXT_KINDS, ReportState, Section, SectionKind

# The province's own reports, issued for the whole tree by the standing office.
PROVINCE_KINDS = frozenset(
    {Kind.QUARTERLY, Kind.HALF, Kind.NINE_MONTHS, Kind.YEAR, Kind.MONTHLY, Kind.BRIEF}
)
# The period each province kind reports on; a unit's own report may be for any period.
PERIOD_KINDS: dict[Kind, str] = {
    Kind.QUARTERLY: PeriodKind.QUARTER,
    Kind.HALF: PeriodKind.HALF,
    Kind.NINE_MONTHS: PeriodKind.NINE_MONTHS,
    Kind.YEAR: PeriodKind.YEAR,
    Kind.MONTHLY: PeriodKind.MONTH,
    Kind.BRIEF: PeriodKind.MONTH,
}
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
    "date_line",
)


def _kind(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError as exc:
        raise ValidationError({"kind": _("Loại báo cáo không hợp lệ.")}) from exc


# --- issuer settings -------------------------------------------------------------------------


def _profile_target(kind: Kind, unit: Unit | None) -> Unit:
    """The unit whose MANAGE_PROGRAMME right a profile's change needs."""
    if kind == Kind.UNIT:
        if unit is None:
            raise ValidationError({"unit": _("Chọn đơn vị của báo cáo.")})
        return unit
    if unit is not None:
        raise ValidationError({"unit": _("Báo cáo này là của toàn tỉnh.")})
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
            Kind.HALF: _("Báo cáo 6 tháng phải chọn kỳ sáu tháng (ví dụ 2026-H1)."),
            Kind.NINE_MONTHS: _("Báo cáo 9 tháng phải chọn kỳ chín tháng (ví dụ 2026-9M)."),
            Kind.YEAR: _("Báo cáo năm phải chọn kỳ theo năm (ví dụ 2026)."),
            Kind.MONTHLY: _("Báo cáo tháng phải chọn kỳ theo tháng (ví dụ 2025-09)."),
            Kind.BRIEF: _("Báo cáo phục vụ phiên họp phải chọn kỳ theo tháng (ví dụ 2025-09)."),
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
        raise ValidationError({"unit": _("Báo cáo này là của toàn tỉnh.")})
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
    report = _new_version(
        kind=checked, period=period, unit=unit, as_of=day, format=fmt,
        requested_by=actor, requested_at=timezone.now(), stage=_("Đang chờ đến lượt"),
    )  # fmt: skip
    transaction.on_commit(partial(jobs.generate_report.enqueue, report.pk))
    return report


def _new_version(**fields: Any) -> GeneratedReport:
    """The next version of the report (GeneratedReport.save numbers it); two requests at once
    numbered the same clash on the constraint, and the later one is numbered again."""
    for _attempt in range(3):
        try:
            with transaction.atomic():  # a savepoint: a clash leaves the transaction usable
                return GeneratedReport.objects.create(**fields)
        except IntegrityError:
            continue
    raise ValidationError(_("Nhiều yêu cầu tạo báo cáo cùng lúc; hãy thử lại."))


# --- the standing office's prose of a report -------------------------------------------------

# The most a section's prose may hold (a section of the Q3/2025 report is under 3,000).
PROSE_LIMIT = 20_000


def _check_composable(actor: User, kind: Kind, period: Period, unit: Unit) -> None:
    """The province's reports are composed by whoever manages the programme over the whole
    tree (404 out of sight, 403 without the right); a unit's own report has no composer."""
    access.authorize(actor, Action.MANAGE_PROGRAMME, unit)
    if not periods_visible_to(actor).filter(pk=period.pk).exists():
        raise Http404
    if kind not in PROVINCE_KINDS:
        raise ValidationError({"kind": _("Chỉ báo cáo của toàn tỉnh có phần soạn thảo.")})
    _check_unit(kind, unit)
    check_period(kind, period)


def _clean_prose(text: str) -> str:
    """Lines trimmed on the right, Windows line ends made plain, the whole trimmed."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


@transaction.atomic
def save_prose(
    *,
    actor: User,
    kind: str,
    period: Period,
    unit: Unit,
    section: str,
    text: str,
    version: int | None = None,
) -> SectionText:
    """Keep the standing office's prose for a section of a report (the history keeps every
    earlier text). `version`: the one the editor started from; when someone saved since, the
    edit is refused (nothing overwritten) and the editor keeps what was typed."""
    checked = _kind(kind)
    _check_composable(actor, checked, period, unit)
    if not OutlineSection.objects.filter(outline__kind=checked, code=section).exists():
        raise ValidationError({"section": _("Mục này không có trong dàn ý của báo cáo.")})
    cleaned = _clean_prose(text)
    if len(cleaned) > PROSE_LIMIT:
        message = _("Nội dung của một mục dài tối đa %(n)s ký tự.")
        raise ValidationError({"text": message % {"n": f"{PROSE_LIMIT:,}".replace(",", ".")}})
    row = SectionText.objects.select_for_update().filter(
        kind=checked, period=period, unit=unit, section=section
    ).first() or SectionText(kind=checked, period=period, unit=unit, section=section)
    if version is not None and row.version != version:
        who = row.updated_by.full_name if row.updated_by else "—"
        message = _(
            "Mục này vừa được %(who)s sửa lúc %(at)s; nội dung bạn nhập chưa được lưu. Hãy "
            "chép lại phần mình viết, mở lại mục và gộp."
        )
        at = date_format(timezone.localtime(row.updated_at), "SHORT_DATETIME_FORMAT")
        raise ValidationError({"text": message % {"who": who, "at": at}}, code="stale")
    if row.text == cleaned:
        return row
    row.text, row.version = cleaned, row.version + 1
    row.updated_by, row.updated_at = actor, timezone.now()
    row._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():  # a savepoint: a clash leaves the transaction usable
            row.save()
    except IntegrityError as exc:  # someone wrote the section's first text at the same time
        message = _("Mục này vừa được người khác viết; hãy mở lại mục và gộp.")
        raise ValidationError({"text": message}, code="stale") from exc
    return row


def pick_texts(
    *,
    actor: User,
    kind: str,
    period: Period,
    unit: Unit,
    section: str,
    texts: list[str],
    merge: bool,
    version: int | None = None,
    typed: str | None = None,
) -> SectionText:
    """Add what units wrote to a section's prose: each text as an item ("- …"), or all merged
    into one paragraph, after what is `typed` in the editor (else the stored prose). Saved
    through save_prose (same checks, same history)."""
    picked = [t.strip().rstrip(".") for t in texts if t.strip()]
    if not picked:
        raise ValidationError({"texts": _("Chọn ít nhất một ý của đơn vị.")})
    lines = ["; ".join(picked) + "."] if merge else [f"- {t}." for t in picked]
    if typed is None:
        current = SectionText.objects.filter(
            kind=kind, period=period, unit=unit, section=section
        ).first()
        typed = current.text if current else ""
    text = "\n".join([typed.rstrip(), *lines]) if typed.strip() else "\n".join(lines)
    return save_prose(
        actor=actor, kind=kind, period=period, unit=unit, section=section, text=text,
        version=version,
    )  # fmt: skip


# --- the outline of each kind ---------------------------------------------------------------

SECTION_FIELDS = ("title", "level", "blocks", "area_code", "said", "numbered", "omit_empty")


def _outline(actor: User, kind: str) -> Outline:
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    checked = _kind(kind)
    if checked not in PROVINCE_KINDS:
        raise ValidationError({"kind": _("Chỉ báo cáo của toàn tỉnh có dàn ý.")})
    outline, _created = Outline.objects.select_for_update().get_or_create(kind=checked)
    return outline


def _check_section(fields: dict[str, Any]) -> None:
    """The blocks and texts a section names exist; an area's block has an area."""
    errors: dict[str, str] = {}
    unknown = [b for b in fields["blocks"] if b not in BLOCKS]
    if unknown:
        errors["blocks"] = _("Không có khối nội dung: %(codes)s.") % {"codes": ", ".join(unknown)}
    elif not fields["area_code"] and any(BLOCKS[b].needs_area for b in fields["blocks"]):
        errors["area_code"] = _("Nội dung theo lĩnh vực cần chọn lĩnh vực của mục.")
    if set(fields["said"]) - set(TEXT_KINDS):
        errors["said"] = _("Loại ý kiến của đơn vị không hợp lệ.")
    if fields["level"] not in Level.values:
        errors["level"] = _("Cấp của mục không hợp lệ.")
    if errors:
        raise ValidationError(errors)


def _new_code(outline: Outline, title: str) -> str:
    """A code for a new section, from its title, not taken in the outline."""
    stem = slugify(fold(title))[:30].strip("-") or "muc"
    taken = set(outline.sections.values_list("code", flat=True))
    code, n = stem, 2
    while code in taken:
        code, n = f"{stem}-{n}", n + 1
    return code


@transaction.atomic
def save_section(
    *, actor: User, kind: str, code: str | None = None, after: str | None = None, **fields: Any
) -> OutlineSection:
    """Change a section of a kind's outline (`code`), or add one (after the section `after`,
    else at the end). Fields: title, level, blocks, area_code, said, numbered, omit_empty."""
    outline = _outline(actor, kind)
    unknown = set(fields) - set(SECTION_FIELDS)
    if unknown:
        raise TypeError(f"save_section: unknown fields {sorted(unknown)}")
    if code is None:
        section = OutlineSection(outline=outline, code=_new_code(outline, fields.get("title", "")))
        _place(outline, section, after)
    else:
        section = get_section(outline, code)
    for name, value in fields.items():
        setattr(section, name, value.strip() if isinstance(value, str) else value)
    _check_section({name: getattr(section, name) for name in SECTION_FIELDS})
    section.full_clean()
    section._history_user = actor  # type: ignore[attr-defined]
    section.save()
    return section


def get_section(outline: Outline, code: str) -> OutlineSection:
    section = outline.sections.filter(code=code).first()
    if section is None:
        raise Http404
    return section


def _place(outline: Outline, section: OutlineSection, after: str | None) -> None:
    """Put a new section after `after` (or last), the others numbered around it."""
    ordered = list(outline.sections.order_by("order", "id"))
    index = next((i for i, s in enumerate(ordered) if s.code == after), len(ordered) - 1)
    ordered.insert(index + 1, section)
    for n, other in enumerate(ordered, start=1):
        if other is section:
            section.order = n
        elif other.order != n:
            OutlineSection.objects.filter(pk=other.pk).update(order=n)


@transaction.atomic
def move_section(*, actor: User, kind: str, code: str, up: bool) -> None:
    """Swap a section with the one before (up) or after it."""
    outline = _outline(actor, kind)
    ordered = list(outline.sections.order_by("order", "id"))
    index = next((i for i, s in enumerate(ordered) if s.code == code), None)
    if index is None:
        raise Http404
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for n, section in enumerate(ordered, start=1):
        if section.order != n:
            section.order = n
            section._history_user = actor  # type: ignore[attr-defined]
            section.save(update_fields=["order"])


@transaction.atomic
def delete_section(*, actor: User, kind: str, code: str) -> None:
    """Take a section out of the outline (its history keeps it; prose written for it stays
    stored and is shown on the composer page as no longer in the outline)."""
    section = get_section(_outline(actor, kind), code)
    section._history_user = actor  # type: ignore[attr-defined]
    section.delete()


@transaction.atomic
def install_default_outlines(*, actor: User) -> int:
    """Give every province report kind without an outline its default one (documents'
    migration does at installation; a database emptied since — a test's flush — has none).
    Idempotent; returns how many were installed."""
    installed = 0
    for kind in PROVINCE_KINDS:
        if not OutlineSection.objects.filter(outline__kind=kind).exists():
            reset_outline(actor=actor, kind=kind)
            installed += 1
    return installed


@transaction.atomic
def reset_outline(*, actor: User, kind: str) -> Outline:
    """Restore the kind's outline as the installation started with it
    (documents.outline_defaults); the prose written for sections kept by code stays."""
    outline = _outline(actor, kind)
    for section in outline.sections.all():
        section._history_user = actor  # type: ignore[attr-defined]
        section.delete()
    for n, default in enumerate(OUTLINES[Kind(outline.kind)], start=1):
        section = OutlineSection(
            outline=outline, code=default.code, order=n, level=default.level,
            title=default.title, blocks=list(default.blocks), area_code=default.area,
            said=list(default.said), numbered=default.numbered, omit_empty=default.omit_empty,
        )  # fmt: skip
        section._history_user = actor  # type: ignore[attr-defined]
        section.save()
    return outline


# --- the follow-up of proposals to the province's own bodies --------------------------------


@transaction.atomic
def follow_up_proposal(
    *, actor: User, section: Section, state: str, handler: str = "", note: str = ""
) -> ProposalFollowUp:
    """Record where a unit's proposal to the province's own bodies stands (the standing office,
    province-wide): being handled needs who handles it, done needs a note of the outcome. Only a
    proposal of a received report that does not address central bodies is followed up here
    (those go in the report). The history keeps every earlier state."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    if (
        section.kind != SectionKind.PROPOSALS
        or section.report.state != ReportState.RECEIVED
        or to_central(section.text)
    ):
        raise ValidationError(
            _("Chỉ theo dõi đề xuất với cơ quan cấp tỉnh trong báo cáo đã được tiếp nhận.")
        )
    if state not in FollowUpState.values:
        raise ValidationError({"state": _("Tình trạng xử lý không hợp lệ.")})
    handler, note = handler.strip(), note.strip()
    if state != FollowUpState.OPEN and not handler:
        raise ValidationError({"handler": _("Ghi rõ cơ quan, người xử lý đề xuất.")})
    if state == FollowUpState.DONE and not note:
        raise ValidationError({"note": _("Ghi kết quả xử lý trước khi đánh dấu đã xử lý xong.")})
    row = ProposalFollowUp.objects.select_for_update().filter(
        section=section
    ).first() or ProposalFollowUp(section=section)
    if row.pk is not None and (row.state, row.handler, row.note) == (state, handler, note):
        return row  # nothing changed: no history row
    row.state, row.handler, row.note = state, handler, note
    row.updated_by, row.updated_at = actor, timezone.now()
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()
    return row
