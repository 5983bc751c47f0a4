"""Every write to scoring: one transaction each, the permission checked inside (org.access), a
state change refused from a wrong state, the people concerned told once it commits
(scoring.jobs). Schemes and rounds are the standing office's; a unit's head explains or contests
its own scorecard while the round is a draft and its window open; an adjustment needs a written
reason; a published month never changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from nq57.uploads import checked_upload
from org import access
from org.access import Action
from org.models import User
from periods.calendar import MAX_CUTOFF_DAY
from scoring import queries
from scoring.engine import Card, apply_cap, grade_of
from scoring.facts import KIND_TYPES
from scoring.jobs import notify_contest, notify_round
from scoring.models import (
    FACT_METHODS,
    Adjustment,
    Contest,
    ContestState,
    Criterion,
    Line,
    Method,
    Round,
    RoundState,
    Scheme,
    Scorecard,
)


class WrongState(ValidationError):
    """Refused: the month is published, or the thing is not in a state that allows it."""


def _office(actor: User) -> None:
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)


# --- schemes ---------------------------------------------------------------------------------

SCHEME_FIELDS = (
    "name",
    "basis",
    "total_points",
    "excellent_from",
    "good_from",
    "done_from",
    "excellent_cap_percent",
    "cutoff_day",
    "contest_days",
)


def _frozen(scheme: Scheme) -> None:
    if scheme.pk and scheme.scorecards.exists():
        raise WrongState(
            _(
                "Phương án đã dùng để chấm điểm nên không sửa được; hãy tạo phương án mới áp dụng "
                "từ tháng sau."
            )
        )


def _check_scheme(scheme: Scheme) -> None:
    errors: dict[str, list[str]] = {}
    try:
        scheme.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if scheme.valid_from and scheme.valid_from.day != 1:
        errors.setdefault("valid_from", []).append(_("Phương án áp dụng từ ngày đầu một tháng."))
    if not scheme.done_from <= scheme.good_from <= scheme.excellent_from <= scheme.total_points:
        errors.setdefault("excellent_from", []).append(
            _("Các mức xếp loại phải tăng dần: hoàn thành ≤ tốt ≤ xuất sắc ≤ tổng điểm.")
        )
    if not 1 <= scheme.cutoff_day <= MAX_CUTOFF_DAY:
        errors.setdefault("cutoff_day", []).append(
            _("Ngày chốt số liệu từ 1 đến %(max)s.") % {"max": MAX_CUTOFF_DAY}
        )
    last = queries.last_scored_month(scheme.kind) if scheme.kind else None
    if last is not None and scheme.valid_from and scheme.valid_from <= last and not scheme.pk:
        errors.setdefault("valid_from", []).append(
            _("Đã chấm điểm đến tháng %(month)s; phương án mới chỉ áp dụng từ tháng sau.")
            % {"month": f"{last:%m/%Y}"}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_scheme(*, actor: User, kind: str, valid_from: date, **fields: Any) -> Scheme:
    _office(actor)
    unknown = set(fields) - set(SCHEME_FIELDS)
    if unknown:
        raise ValueError(f"not scheme fields: {sorted(unknown)}")
    scheme = Scheme(kind=kind, valid_from=valid_from, created_by=actor, **fields)
    _check_scheme(scheme)
    scheme.save()
    return scheme


@transaction.atomic
def update_scheme(*, actor: User, scheme: Scheme, **changes: Any) -> Scheme:
    _office(actor)
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    _frozen(scheme)
    unknown = set(changes) - set(SCHEME_FIELDS)
    if unknown:
        raise ValueError(f"not updatable here: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(scheme, name, value)
    _check_scheme(scheme)
    scheme.save()
    return scheme


@transaction.atomic
def copy_scheme(*, actor: User, scheme: Scheme, valid_from: date, name: str) -> Scheme:
    """A new version of the scheme from a later month: the same settings and criteria, to
    change before it is used."""
    fields = {f: getattr(scheme, f) for f in SCHEME_FIELDS} | {"name": name}
    new = create_scheme(actor=actor, kind=scheme.kind, valid_from=valid_from, **fields)
    for criterion in scheme.criteria.all():
        criterion.pk, criterion.scheme = None, new
        criterion.save()
    return new


CRITERION_FIELDS = (
    "order",
    "code",
    "name",
    "fact",
    "method",
    "max_points",
    "bands",
    "per_item",
    "per_day",
    "per_missed",
    "unit_types",
)


def parse_bands(text: str) -> list[list[str]]:
    """ "100:10; 90:8; 70:5" (from %: points, any order) → [["100", "10"], ["90", "8"], ...]."""
    bands = []
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        low, sep, earned = part.partition(":")
        try:
            if not sep:
                raise InvalidOperation
            pair = (
                Decimal(low.strip().replace(",", ".")),
                Decimal(earned.strip().replace(",", ".")),
            )
        except InvalidOperation as exc:
            raise ValidationError(
                {
                    "bands": _("Khung “%(part)s” phải viết dạng tỷ lệ:điểm, ví dụ 90:8.")
                    % {"part": part.strip()}
                }
            ) from exc
        bands.append([str(pair[0]), str(pair[1])])
    return sorted(bands, key=lambda b: Decimal(b[0]), reverse=True)


def _check_criterion(criterion: Criterion) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    try:
        criterion.full_clean(exclude=["scheme"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if criterion.fact and criterion.method not in FACT_METHODS.get(criterion.fact, ()):
        add("method", _("Cách tính điểm này không dùng được cho số liệu đã chọn."))
    if criterion.max_points is not None and criterion.max_points <= 0:
        add("max_points", _("Điểm tối đa phải lớn hơn 0."))
    if criterion.method == Method.BANDS:
        if not criterion.bands:
            add("bands", _("Nhập ít nhất một khung điểm."))
        for low, earned in criterion.bands or []:
            if not Decimal(0) <= Decimal(low) <= Decimal(100):
                add("bands", _("Tỷ lệ của khung phải từ 0 đến 100."))
            if criterion.max_points is not None and Decimal(earned) > criterion.max_points:
                add("bands", _("Điểm của khung không được quá điểm tối đa."))
    for name in ("per_item", "per_day", "per_missed"):
        if getattr(criterion, name) < 0:
            add(name, _("Không được âm."))
    if criterion.method in (Method.DEDUCT, Method.BONUS) and not (
        criterion.per_item or criterion.per_day or criterion.per_missed
    ):
        add("per_item", _("Nêu số điểm trừ hoặc cộng."))
    allowed = KIND_TYPES.get(criterion.scheme.kind, frozenset())
    if set(criterion.unit_types or []) - allowed:
        add("unit_types", _("Loại đơn vị không thuộc phương án."))
    if (
        Criterion.objects.filter(scheme=criterion.scheme, code=criterion.code)
        .exclude(pk=criterion.pk)
        .exists()
    ):
        add("code", _("Phương án đã có tiêu chí mã này."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_criterion(
    *, actor: User, scheme: Scheme, criterion: Criterion | None = None, **fields: Any
) -> Criterion:
    """Add a criterion to a scheme not yet used, or change one of its criteria."""
    _office(actor)
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    _frozen(scheme)
    unknown = set(fields) - set(CRITERION_FIELDS)
    if unknown:
        raise ValueError(f"not criterion fields: {sorted(unknown)}")
    if criterion is None:
        criterion = Criterion(scheme=scheme)
    elif criterion.scheme_id != scheme.pk:
        raise ValueError("criterion of another scheme")
    for name, value in fields.items():
        setattr(criterion, name, value)
    criterion.scheme = scheme
    _check_criterion(criterion)
    criterion.save()
    return criterion


@transaction.atomic
def delete_criterion(*, actor: User, criterion: Criterion) -> None:
    _office(actor)
    _frozen(Scheme.objects.select_for_update().get(pk=criterion.scheme_id))
    criterion.delete()


# --- the round -------------------------------------------------------------------------------


def _draft(round_: Round) -> Round:
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if locked.state != RoundState.DRAFT:
        raise WrongState(
            _("Kết quả tháng %(month)s đã công bố; không thay đổi được.")
            % {"month": f"{locked.month:%m/%Y}"}
        )
    return locked


@transaction.atomic
def run_round(*, actor: User, month: date) -> Round:
    """Score every unit for the month from the facts as of its cut-off: a new draft, or the
    draft scored again (the standing office's adjustments are kept; a published month is
    refused). The heads are told of a new draft once it commits."""
    _office(actor)
    computed = queries.compute(month)
    if not computed.cards:
        raise ValidationError(
            _("Chưa có phương án chấm điểm nào áp dụng cho tháng %(month)s.")
            % {"month": f"{month:%m/%Y}"}
        )
    round_ = Round.objects.select_for_update().filter(month=month).first()
    if round_ is not None:
        _draft(round_)
    days = max(c.scheme.contest_days for c in computed.cards)
    contest_until = timezone.localdate() + timedelta(days=days)
    first = round_ is None
    if round_ is None:
        round_ = Round.objects.create(month=month, scored_by=actor, contest_until=contest_until)
    else:
        round_.scored_by, round_.scored_at, round_.contest_until = (
            actor,
            timezone.now(),
            contest_until,
        )
        round_.save()
    _store(round_, computed.cards)
    regrade(round_)
    if first:  # scored again, the draft stays where the heads were sent
        transaction.on_commit(partial(notify_round.enqueue, round_.pk))
    return round_


_SCORECARD_FIELDS = ("scheme", "kind", "cutoff", "total", "grade", "eligible")
_LINE_FIELDS = (
    "order",
    "code",
    "name",
    "applies",
    "bonus",
    "figure",
    "band",
    "raw_points",
    "raw_max",
    "computed",
    "max_points",
    "evidence",
    "criterion_id",
)


def _store(round_: Round, cards: Sequence[Card]) -> None:
    """The cards as the round's scorecards and lines, in a few bulk writes (with their history
    rows); a line the standing office adjusted keeps its points."""
    existing = {s.unit_id: s for s in round_.scorecards.all()}
    scorecards = []
    for card in cards:
        scorecard = existing.get(card.unit.pk) or Scorecard(round=round_, unit=card.unit)
        scorecard.scheme, scorecard.kind, scorecard.cutoff = card.scheme, card.kind, card.cutoff
        scorecard.total, scorecard.grade, scorecard.eligible = card.total, card.grade, card.eligible
        scorecards.append(scorecard)
    new = [s for s in scorecards if s.pk is None]
    bulk_create_with_history(new, Scorecard)
    bulk_update_with_history(
        [s for s in scorecards if s not in new], Scorecard, list(_SCORECARD_FIELDS)
    )
    by_unit = {s.unit_id: s for s in Scorecard.objects.filter(round=round_)}
    kept: dict[tuple[int, int], Line] = {
        (line.scorecard_id, line.criterion_id): line
        for line in Line.objects.filter(scorecard__round=round_)
    }
    adjusted = set(
        Adjustment.objects.filter(line__scorecard__round=round_).values_list("line_id", flat=True)
    )
    created: list[Line] = []
    updated: list[Line] = []
    for card in cards:
        scorecard = by_unit[card.unit.pk]
        for shown in card.lines:
            line = kept.pop((scorecard.pk, shown.criterion_id), None)
            (updated if line else created).append(line := line or Line(scorecard=scorecard))
            for name in _LINE_FIELDS:
                setattr(line, name, getattr(shown, name))
            if line.pk not in adjusted:
                line.points = shown.computed
    bulk_create_with_history(created, Line)
    bulk_update_with_history(updated, Line, [*_LINE_FIELDS, "points"])
    Line.objects.filter(pk__in=[line.pk for line in kept.values()]).delete()


def regrade(round_: Round) -> None:
    """Totals from the lines, grades from the totals, then the cap over each kind."""
    cards = queries.stored_cards(round_)
    for card in cards:
        card.total = sum((line.points for line in card.lines), Decimal(0))
        card.eligible = grade_of(card.scheme, card.total)
    apply_cap(cards)
    by_unit = {c.unit.pk: c for c in cards}
    for scorecard in round_.scorecards.all():
        card = by_unit[scorecard.unit_id]
        changed = (scorecard.total, scorecard.eligible, scorecard.grade) != (
            card.total,
            card.eligible,
            card.grade,
        )
        if changed:
            scorecard.total, scorecard.eligible, scorecard.grade = (
                card.total,
                card.eligible,
                card.grade,
            )
            scorecard.save(update_fields=["total", "eligible", "grade"])


@transaction.atomic
def adjust(
    *, actor: User, line: Line, points: Decimal, reason: str, contest: Contest | None = None
) -> Adjustment:
    """The standing office sets a criterion's points, with a written reason (kept, with the
    points before and after, as the audit trail); the month's grades follow."""
    _office(actor)
    line = Line.objects.select_for_update().select_related("scorecard__round").get(pk=line.pk)
    _draft(line.scorecard.round)
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Phải ghi lý do điều chỉnh.")
    if not line.applies:
        errors["points"] = _("Tiêu chí không áp dụng cho đơn vị; không điều chỉnh điểm.")
    elif not Decimal(0) <= points <= line.max_points:
        errors["points"] = _("Điểm phải từ 0 đến %(max)s.") % {"max": line.max_points}
    if errors:
        raise ValidationError(errors)
    adjustment = Adjustment.objects.create(
        line=line,
        before=line.points,
        after=points,
        reason=reason.strip(),
        contest=contest,
        actor=actor,
    )
    line.points = points
    line.save(update_fields=["points"])
    regrade(line.scorecard.round)
    return adjustment


@transaction.atomic
def contest(
    *,
    actor: User,
    line: Line,
    text: str,
    upload: UploadedFile | None = None,
    link: str = "",
) -> Contest:
    """The unit's head explains or contests a criterion of its own scorecard, with evidence,
    while the month is a draft and its window open."""
    line = Line.objects.select_related("scorecard__round", "scorecard__unit").get(pk=line.pk)
    access.authorize_own(actor, Action.APPROVE, line.scorecard.unit)
    round_ = _draft(line.scorecard.round)
    if timezone.localdate() > round_.contest_until:
        raise WrongState(
            _("Đã hết hạn giải trình (%(day)s).")
            % {"day": date_format(round_.contest_until, "SHORT_DATE_FORMAT")}
        )
    errors: dict[str, Sequence[str]] = {}
    if not text.strip():
        errors["text"] = [_("Phải ghi nội dung giải trình.")]
    original = ""
    if upload is not None:
        try:
            original = checked_upload(upload)
        except forms.ValidationError as exc:
            errors["evidence_file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    found = Contest.objects.create(
        line=line,
        author=actor,
        text=text.strip(),
        evidence_link=link,
        evidence_file=upload or "",
        evidence_name=original,
    )
    transaction.on_commit(partial(notify_contest.enqueue, found.pk))
    return found


@transaction.atomic
def answer(*, actor: User, contest: Contest, text: str, points: Decimal | None = None) -> Contest:
    """The standing office answers a contest; with `points`, the criterion is adjusted, the
    answer being the reason."""
    _office(actor)
    found = (
        Contest.objects.select_for_update()
        .select_related("line__scorecard__round")
        .get(pk=contest.pk)
    )
    _draft(found.line.scorecard.round)
    if found.state != ContestState.OPEN:
        raise WrongState(_("Giải trình này đã được trả lời."))
    if not text.strip():
        raise ValidationError({"answer": _("Phải ghi nội dung trả lời.")})
    if points is not None:
        adjust(actor=actor, line=found.line, points=points, reason=text, contest=found)
    found.state, found.answer = ContestState.ANSWERED, text.strip()
    found.answered_by, found.answered_at = actor, timezone.now()
    found.save()
    transaction.on_commit(partial(notify_contest.enqueue, found.pk))
    return found


@transaction.atomic
def publish(*, actor: User, round_: Round) -> Round:
    """Publish and lock the month: refused while a contest is unanswered."""
    _office(actor)
    round_ = _draft(round_)
    waiting = Contest.objects.filter(line__scorecard__round=round_, state=ContestState.OPEN).count()
    if waiting:
        raise WrongState(
            _("Còn %(n)s giải trình chưa trả lời; trả lời trước khi công bố.") % {"n": waiting}
        )
    round_.state, round_.published_at, round_.published_by = (
        RoundState.PUBLISHED,
        timezone.now(),
        actor,
    )
    round_.save()
    transaction.on_commit(partial(notify_round.enqueue, round_.pk))
    return round_
