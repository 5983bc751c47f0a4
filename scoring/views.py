"""Thin views: read through scoring.queries, write through scoring.services, decide access in
org.access. A unit's scorecard is seen by whoever sees the unit once the month is published;
while it is a draft (or only computed), by the standing office and the unit's own people. A unit
out of sight, or a draft out of reach, is answered like a missing one (404)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nq57.forms import service_errors
from nq57.xlsx import XLSX_CONTENT_TYPE
from org import access
from org.access import Action
from org.models import Unit, User
from scoring import exports, queries, services
from scoring.engine import Card, by_kind
from scoring.facts import kind_of
from scoring.forms import (
    AdjustForm,
    AnswerForm,
    ContestForm,
    CopyForm,
    CriterionForm,
    RunForm,
    SchemeForm,
    WhatIfForm,
)
from scoring.models import (
    Adjustment,
    Contest,
    Criterion,
    Grade,
    Line,
    Round,
    RoundState,
    Scheme,
    Scorecard,
    UnitKind,
)
from scoring.runs import score_month

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _month(code: str) -> date:
    try:
        return queries.month_of(code)
    except ValueError as exc:
        raise Http404 from exc


def _office(user: User) -> bool:
    return access.can_everywhere(user, Action.MANAGE_PROGRAMME)


def _visible_cards(user: User, round_: Round) -> list[Card]:
    """The round's cards the user may read, ranked over the whole round."""
    return queries.stored_cards(round_, queries.readable_units(user, round_))


# --- the months --------------------------------------------------------------------------------


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    today = timezone.localdate()
    own_kind = kind_of(user.unit)
    context = {
        "rounds": Round.objects.all(),
        "office": _office(user),
        "run_form": RunForm(initial={"month": f"{today:%m/%Y}"}),
        "this_month": today.replace(day=1),
        "own_scored": own_kind is not None and access.can(user, Action.VIEW, user.unit),
    }
    return render(request, "scoring/index.html", context)


@require_POST
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def run(request: HttpRequest) -> HttpResponse:
    """Start the month's scoring in the background (the job calls services.run_round)."""
    form = RunForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("month", []):
            messages.error(request, str(message))
        return redirect("scoring:index")
    month = form.cleaned_data["month"]
    found = queries.round_of(month)
    if found is not None and found.state == RoundState.PUBLISHED:
        messages.error(
            request,
            _("Kết quả tháng %(month)s đã công bố; không chấm lại được.")
            % {"month": f"{month:%m/%Y}"},
        )
        return redirect("scoring:index")
    score_month.enqueue(month.isoformat(), access.request_user(request).pk)
    messages.success(
        request,
        _("Đang chấm điểm tháng %(month)s; kết quả hiện ở đây khi chấm xong.")
        % {"month": f"{month:%m/%Y}"},
    )
    return redirect("scoring:round", month=f"{month:%Y-%m}")


@require_GET
@login_required
def round_page(request: HttpRequest, month: str) -> HttpResponse:
    user = access.request_user(request)
    first = _month(month)
    round_ = queries.round_of(first)
    if round_ is None:
        return render(
            request, "scoring/round_missing.html", {"month": first, "office": _office(user)}
        )
    cards = _visible_cards(user, round_)
    office = _office(user)
    caps = queries.caps_of(cards) if office or round_.state == RoundState.PUBLISHED else []
    kind, grade = request.GET.get("kind", ""), request.GET.get("grade", "")
    # The office's queue of contests opens the month with only the units still waiting.
    waiting = queries.contested_units(round_) if request.GET.get("contested") else None
    spread = queries.grade_distribution(first, queries.readable_units(user, round_))
    tables = []
    for key, group in sorted(by_kind(cards).items(), key=lambda kv: kv[0]):
        counts = [(g, label, spread.counts[key][g] if spread else 0) for g, label in Grade.choices]
        shown = [
            c
            for c in group
            if (not grade or c.grade == grade)
            and (not kind or kind == key)
            and (waiting is None or c.unit.pk in waiting)
        ]
        tables.append(
            {
                "kind": key,
                "label": UnitKind(key).label,
                "counts": counts,
                "cards": sorted(shown, key=lambda c: (c.rank or 0, c.unit.path)),
            }
        )
    context = {
        "round": round_,
        "tables": tables,
        "caps": [c for c in caps if c.applied],
        "office": office,
        "open_contests": Contest.objects.filter(line__scorecard__round=round_, state="open").count()
        if office
        else 0,
        "filtered": bool(kind or grade or waiting is not None),
        "contested": waiting is not None,
    }
    return render(request, "scoring/round.html", context)


@require_POST
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def publish(request: HttpRequest, month: str) -> HttpResponse:
    round_ = get_object_or_404(Round, month=_month(month))
    try:
        services.publish(actor=access.request_user(request), round_=round_)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Đã công bố kết quả tháng %(month)s.") % {"month": f"{round_.month:%m/%Y}"}
        )
    return redirect("scoring:round", month=month)


def _export_cards(request: HttpRequest, month: str) -> tuple[Round, list[Card]]:
    user = access.request_user(request)
    round_ = get_object_or_404(Round, month=_month(month))
    return round_, _visible_cards(user, round_)


@require_GET
@login_required
def export_xlsx(request: HttpRequest, month: str) -> HttpResponseBase:
    round_, cards = _export_cards(request, month)
    return FileResponse(
        io.BytesIO(exports.workbook(round_, cards)),
        as_attachment=True,
        filename=f"cham-diem-{month}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@require_GET
@login_required
def export_docx(request: HttpRequest, month: str) -> HttpResponseBase:
    round_, cards = _export_cards(request, month)
    return FileResponse(
        io.BytesIO(exports.document(round_, cards, queries.caps_of(cards))),
        as_attachment=True,
        filename=f"cham-diem-{month}.docx",
        content_type=DOCX_CONTENT_TYPE,
    )


# --- a unit's scorecard ----------------------------------------------------------------------


def _kind_size(round_: Round | None, card: Card) -> int | None:
    """How many units the card is ranked among (None: a computed card is not ranked)."""
    if round_ is None:
        return None
    return round_.scorecards.filter(kind=card.kind).count()


def _unit(user: User, code: str) -> Unit:
    unit = get_object_or_404(Unit, code=code)
    if not access.can(user, Action.VIEW, unit):
        raise Http404
    return unit


def _scorecard(user: User, round_: Round, unit: Unit) -> Scorecard:
    if round_.state != RoundState.PUBLISHED and not queries.sees_drafts(user, unit):
        raise Http404
    return get_object_or_404(
        Scorecard.objects.prefetch_related(
            Prefetch(
                "lines",
                Line.objects.order_by("order", "id").prefetch_related(
                    Prefetch("contests", Contest.objects.select_related("author", "answered_by")),
                    Prefetch("adjustments", Adjustment.objects.select_related("actor")),
                ),
            )
        ),
        round=round_,
        unit=unit,
    )


@require_GET
@login_required
def scorecard(request: HttpRequest, month: str, unit: str) -> HttpResponse:
    user = access.request_user(request)
    first, found = _month(month), _unit(user, unit)
    round_ = queries.round_of(first)
    context: dict[str, Any] = {
        "month": first,
        "unit": found,
        "round": round_,
        "office": _office(user),
    }
    if round_ is not None:
        stored = _scorecard(user, round_, found)
        card = next(c for c in queries.stored_cards(round_) if c.unit.pk == found.pk)
        lines = {line.code: line for line in stored.lines.all()}
        context |= {
            "card": card,
            "rows": [(shown, lines.get(shown.code)) for shown in card.lines],
            "suggestions": [],
            "cutoff": card.cutoff,
        }
        context["contest_open"] = queries.contest_window_open(
            round_, timezone.localdate()
        ) and access.can_own(user, Action.APPROVE, found)
        context["adjustable"] = round_.state == RoundState.DRAFT and _office(user)
    else:
        if not queries.sees_drafts(user, found):
            raise Http404
        lv = queries.live(found, first)
        if lv is None:
            raise Http404
        context |= {
            "card": lv.card,
            "rows": [(shown, None) for shown in lv.card.lines],
            "suggestions": queries.suggestions(lv),
            "cutoff": lv.cutoff,
        }
    context["kind_total"] = _kind_size(round_, context["card"])
    context["sees_drafts"] = queries.sees_drafts(user, found)
    points = queries.trend(found, first)
    if not queries.sees_drafts(user, found):
        points = [p for p in points if p.published]
    context["trend"] = points
    context["trend_max"] = max([p.total for p in points] + [100])
    context["contest_form"] = ContestForm()
    context["adjust_form"] = AdjustForm()
    context["answer_form"] = AnswerForm()
    return render(request, "scoring/scorecard.html", context)


@require_GET
@login_required
def what_if(request: HttpRequest, month: str, unit: str) -> HttpResponse:
    user = access.request_user(request)
    first, found = _month(month), _unit(user, unit)
    if not queries.sees_drafts(user, found):
        raise Http404
    lv = queries.live(found, first)
    if lv is None:
        raise Http404
    items = queries.open_items(lv)
    choices = [
        (t.assignment_id, f"{t.code} — {t.title} ({t.timeliness.label}, {t.deadline:%d/%m/%Y})")
        for t in items
    ]
    # Finishing today is what counts while the month is open; for a month already settled, the
    # question is what finishing at the start of its window would have given.
    today = timezone.localdate()
    on = today if lv.cutoff >= today else lv.win.first
    form = WhatIfForm(request.GET or None, choices=choices, initial={"on": on})
    result = None
    if form.is_bound and form.is_valid() and form.cleaned_data["task"]:
        result = queries.what_if(lv, form.cleaned_data["task"], form.cleaned_data["on"] or on)
    rows = []
    if result is not None:
        for before, after in zip(result.before.lines, result.card.lines, strict=True):
            rows.append(
                {
                    "name": after.name,
                    "before": before.points,
                    "after": after.points,
                    "gain": after.points - before.points,
                }
            )
    context = {
        "month": first,
        "unit": found,
        "form": form,
        "result": result,
        "rows": rows,
        "live": lv,
    }
    return render(request, "scoring/what_if.html", context)


def _line(user: User, month: str, unit: str, pk: int) -> Line:
    found = _unit(user, unit)
    round_ = get_object_or_404(Round, month=_month(month))
    _scorecard(user, round_, found)
    return get_object_or_404(Line, pk=pk, scorecard__round=round_, scorecard__unit=found)


def _back(month: str, unit: str) -> str:
    return reverse("scoring:scorecard", args=[month, unit])


@require_POST
@login_required
def contest(request: HttpRequest, month: str, unit: str, pk: int) -> HttpResponse:
    user = access.request_user(request)
    line = _line(user, month, unit, pk)
    form = ContestForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.contest(
                actor=user,
                line=line,
                text=data["text"],
                upload=data["evidence_file"],
                link=data["evidence_link"] or "",
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã gửi giải trình."))
    else:
        messages.error(request, _("Phải ghi nội dung giải trình."))
    return redirect(_back(month, unit))


@require_POST
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def adjust(request: HttpRequest, month: str, unit: str, pk: int) -> HttpResponse:
    user = access.request_user(request)
    line = _line(user, month, unit, pk)
    form = AdjustForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Điểm mới phải là số không âm."))
        return redirect(_back(month, unit))
    try:
        services.adjust(
            actor=user,
            line=line,
            points=form.cleaned_data["points"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Đã điều chỉnh điểm tiêu chí “%(name)s”.") % {"name": line.name}
        )
    return redirect(_back(month, unit))


@require_POST
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.request_user(request)
    found = get_object_or_404(
        Contest.objects.select_related("line__scorecard__round", "line__scorecard__unit"), pk=pk
    )
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        services.answer(
            actor=user,
            contest=found,
            text=form.cleaned_data.get("answer") or "",
            points=form.cleaned_data.get("points"),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã trả lời giải trình."))
    scorecard = found.line.scorecard
    return redirect(_back(scorecard.round.code, scorecard.unit.code))


@require_GET
@login_required
def contest_file(request: HttpRequest, pk: int) -> FileResponse:
    """Served only to those who may read the scorecard."""
    user = access.request_user(request)
    found = get_object_or_404(
        Contest.objects.select_related("line__scorecard__round", "line__scorecard__unit"), pk=pk
    )
    scorecard = found.line.scorecard
    if not access.can(user, Action.VIEW, scorecard.unit) or not found.evidence_file:
        raise Http404
    _scorecard(user, scorecard.round, scorecard.unit)
    try:
        handle = found.evidence_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=found.evidence_name)


# --- schemes ---------------------------------------------------------------------------------


@require_GET
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def scheme_list(request: HttpRequest) -> HttpResponse:
    schemes = Scheme.objects.prefetch_related("criteria").order_by("kind", "-valid_from")
    used = set(Scorecard.objects.values_list("scheme_id", flat=True).distinct())
    return render(request, "scoring/scheme_list.html", {"schemes": schemes, "used": used})


def _scheme_form(request: HttpRequest, scheme: Scheme | None) -> HttpResponse:
    user = access.request_user(request)
    form = SchemeForm(request.POST or None, instance=scheme or Scheme(created_by=user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if scheme is None:
                saved = services.create_scheme(
                    actor=user, kind=data.pop("kind"), valid_from=data.pop("valid_from"), **data
                )
            else:
                saved = services.update_scheme(actor=user, scheme=scheme, **data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu phương án “%(name)s”.") % {"name": saved.name})
            return redirect("scoring:scheme", pk=saved.pk)
    return render(request, "scoring/scheme_form.html", {"form": form, "scheme": scheme})


@require_http_methods(["GET", "POST"])
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def scheme_create(request: HttpRequest) -> HttpResponse:
    return _scheme_form(request, None)


@require_http_methods(["GET", "POST"])
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _scheme_form(request, get_object_or_404(Scheme, pk=pk))


@require_GET
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(Scheme, pk=pk)
    criteria = list(scheme.criteria.all())
    base = sum((c.max_points for c in criteria if not c.is_bonus), 0)
    context = {
        "scheme": scheme,
        "criteria": criteria,
        "base": base,
        "used": scheme.scorecards.exists(),
        "criterion_form": CriterionForm(scheme=scheme),
        "copy_form": CopyForm(initial={"name": scheme.name}),
    }
    return render(request, "scoring/scheme_detail.html", context)


@require_POST
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def scheme_copy(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(Scheme, pk=pk)
    form = CopyForm(request.POST)
    if form.is_valid():
        try:
            new = services.copy_scheme(
                actor=access.request_user(request), scheme=scheme, **form.cleaned_data
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã tạo phương án mới từ phương án này."))
            return redirect("scoring:scheme", pk=new.pk)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("scoring:scheme", pk=scheme.pk)


@require_http_methods(["GET", "POST"])
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def criterion_edit(request: HttpRequest, pk: int, criterion: int | None = None) -> HttpResponse:
    scheme = get_object_or_404(Scheme, pk=pk)
    found = get_object_or_404(Criterion, pk=criterion, scheme=scheme) if criterion else None
    form = CriterionForm(request.POST or None, scheme=scheme, criterion=found)
    if request.method == "POST" and form.save(access.request_user(request)) is not None:
        messages.success(request, _("Đã lưu tiêu chí."))
        return redirect("scoring:scheme", pk=scheme.pk)
    return render(
        request, "scoring/criterion_form.html", {"form": form, "scheme": scheme, "criterion": found}
    )


@require_POST
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def criterion_delete(request: HttpRequest, pk: int, criterion: int) -> HttpResponse:
    found = get_object_or_404(Criterion, pk=criterion, scheme_id=pk)
    try:
        services.delete_criterion(actor=access.request_user(request), criterion=found)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã xóa tiêu chí %(code)s.") % {"code": found.code})
    return redirect("scoring:scheme", pk=pk)
