"""Every write of the documents app: requesting a report (the job row, queued after commit; the
run itself is documents.generation's, called by the job) and the issuer settings of each kind
of report."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from documents import jobs
from documents.composer.letterhead import profile_for, province_root, stored_profile
from documents.content import Kind
from documents.models import DocumentProfile, Format, GeneratedReport
from documents.pdf import PdfUnavailable, pdf_available
from org import access
from org.access import Action
from org.models import REPORTING_TYPES, Unit, User
from periods.models import Period, PeriodKind
from periods.queries import periods_visible_to

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
