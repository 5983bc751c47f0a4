"""The composer (one report of the province's: each section's computed statements, what the
units wrote for it, and the standing office's prose side by side) and the outline editor.
Thin: reads through the composer, writes through documents.services, access in org.access
(the composer is read by whoever sees the whole province, written by who manages the programme;
an out-of-sight period is a 404)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents import services
from documents.composer.blocks import BLOCKS
from documents.composer.letterhead import province_root
from documents.composer.outline import Composed, Composition
from documents.composer.report import composition, facts_for
from documents.composer.unit_texts import SaidText, compiled
from documents.content import KIND_LABELS, Kind
from documents.forms import PickForm, ProseForm, SectionForm
from documents.models import Outline, OutlineSection, SectionText
from documents.queries import outline_sections, section_texts
from org import access
from org.access import Action
from org.models import Unit, User
from periods.models import Period
from periods.queries import periods_visible_to
from tasks.models import Area


@dataclass
class Report:
    """The report a composer page is about, checked visible to the user."""

    kind: Kind
    period: Period
    unit: Unit
    can_edit: bool

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


def _report(user: User, kind: str, period_code: str) -> Report:
    """The province's report of `kind` for the period: 404 for another kind, a period out of
    the user's sight or of the wrong kind, or a user who does not see the whole province."""
    if kind not in services.PROVINCE_KINDS:
        raise Http404
    checked = Kind(kind)
    period = get_object_or_404(periods_visible_to(user), code=period_code)
    root = province_root()
    if not access.can(user, Action.VIEW, root):
        raise Http404
    try:
        services.check_period(checked, period)
    except ValidationError as exc:
        raise Http404 from exc
    editable = access.can(user, Action.MANAGE_PROGRAMME, root)
    return Report(checked, period, root, editable)


@dataclass
class SectionView:
    """One section card: what prints, its computed statements and their figures, the units'
    texts, the stored prose (or what was just typed) and its version."""

    composed: Composed
    stored: SectionText | None
    said: list[SaidText]
    text: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.composed.section.code

    @property
    def version(self) -> int:
        return self.stored.version if self.stored else 0

    @property
    def figures(self) -> list[tuple[str, str]]:
        """The tokens a prose may write for this section's figures, and their values now."""
        return [
            (f"{{{{{p.key}:{name}}}}}", value)
            for p in self.composed.computed
            if p.key
            for name, value in p.figures
        ]

    @property
    def blocks(self) -> list[tuple[str, str, bool]]:
        """(code, label, left out by the prose) of the section's blocks."""
        return [
            (
                code,
                str(BLOCKS[code].label) if code in BLOCKS else code,
                code in self.composed.left_out,
            )
            for code in self.composed.section.blocks
        ]


def _section_views(report: Report) -> tuple[Composition, list[SectionView], list[SectionText]]:
    facts = facts_for(report.kind, report.period, report.unit)
    composed = composition(facts)
    stored = {
        t.section: t
        for t in section_texts(report.kind, report.period, report.unit).select_related("updated_by")
    }
    views = []
    for entry in composed.sections:
        kinds = set(entry.section.said)
        said = [
            s
            for s in facts.said
            if s.kind in kinds and (entry.area is None or s.area_id == entry.area.pk)
        ]
        row = stored.get(entry.section.code)
        views.append(
            SectionView(entry, row, compiled(said, facts.area_rank), row.text if row else "")
        )
    codes = {entry.section.code for entry in composed.sections}
    orphans = [t for code, t in stored.items() if code not in codes and t.text]
    return composed, views, orphans


def _page_context(report: Report, request: HttpRequest) -> dict[str, Any]:
    composed, sections, orphans = _section_views(report)
    return {
        "report": report,
        "warnings": composed.warnings,
        "sections": sections,
        "orphans": orphans,
        "manager": access.can_everywhere(access.request_user(request), Action.MANAGE_PROGRAMME),
    }


@require_GET
@login_required
def compose_open(request: HttpRequest) -> HttpResponse:
    """The "Soạn báo cáo" form of the reports page: to the composer of the kind and period."""
    kind, period = request.GET.get("kind", ""), request.GET.get("period", "")
    try:
        _report(access.request_user(request), kind, period)
    except Http404:
        messages.error(request, _("Loại báo cáo và kỳ báo cáo không khớp nhau."))
        return redirect("documents:index")
    return redirect("documents:composer", kind=kind, period=period)


@require_GET
@login_required
def composer(request: HttpRequest, kind: str, period: str) -> HttpResponse:
    report = _report(access.request_user(request), kind, period)
    return render(request, "documents/composer.html", _page_context(report, request))


def _section_response(
    request: HttpRequest, report: Report, code: str, *, text: str | None, errors: list[str]
) -> HttpResponse:
    """After a save: the section's card again (HTMX swaps it in, the other sections' typed text
    untouched), or without JavaScript the page, at the section on success."""
    if not request.htmx and not errors:  # type: ignore[attr-defined]
        return redirect(
            reverse("documents:composer", args=[report.kind, report.period.code]) + f"#muc-{code}"
        )
    context = _page_context(report, request)
    for view in context["sections"]:
        if view.code == code and text is not None:
            view.text, view.errors = text, errors
    if not request.htmx:  # type: ignore[attr-defined]
        return render(request, "documents/composer.html", context)
    view = next((v for v in context["sections"] if v.code == code), None)
    if view is None:
        raise Http404
    return render(request, "documents/_compose_section.html", {**context, "view": view})


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _check_section(report: Report, section: str) -> None:
    if not OutlineSection.objects.filter(outline__kind=report.kind, code=section).exists():
        raise Http404


@require_POST
@login_required
def compose_section(request: HttpRequest, kind: str, period: str, section: str) -> HttpResponse:
    """Save a section's prose."""
    user = access.request_user(request)
    report = _report(user, kind, period)
    _check_section(report, section)
    form = ProseForm(request.POST)
    if not form.is_valid():
        return _section_response(
            request,
            report,
            section,
            text=request.POST.get("text", ""),
            errors=[_("Biểu mẫu không hợp lệ; hãy tải lại trang.")],
        )
    text = form.cleaned_data["text"]
    try:
        services.save_prose(
            actor=user,
            kind=report.kind,
            period=report.period,
            unit=report.unit,
            section=section,
            text=text,
            version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        return _section_response(request, report, section, text=text, errors=_errors(exc))
    messages.success(request, _("Đã lưu phần viết của mục."))
    return _section_response(request, report, section, text=None, errors=[])


@require_POST
@login_required
def compose_pick(request: HttpRequest, kind: str, period: str, section: str) -> HttpResponse:
    """Add the units' texts picked to a section's prose."""
    user = access.request_user(request)
    report = _report(user, kind, period)
    _check_section(report, section)
    form = PickForm(request.POST, choices=request.POST.getlist("texts"))
    if not form.is_valid():
        return _section_response(
            request, report, section, text=None, errors=[_("Chọn ít nhất một ý của đơn vị.")]
        )
    try:
        services.pick_texts(
            actor=user,
            kind=report.kind,
            period=report.period,
            unit=report.unit,
            section=section,
            texts=form.cleaned_data["texts"],
            merge=form.cleaned_data["merge"],
            version=form.cleaned_data["version"],
            typed=form.cleaned_data["text"] if "text" in request.POST else None,
        )
    except ValidationError as exc:
        return _section_response(request, report, section, text=None, errors=_errors(exc))
    messages.success(request, _("Đã đưa ý kiến của đơn vị vào phần viết."))
    return _section_response(request, report, section, text=None, errors=[])


# --- the outline editor -----------------------------------------------------------------------


@require_GET
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def outlines(request: HttpRequest) -> HttpResponse:
    kinds = [(kind, KIND_LABELS[kind]) for kind in Kind if kind in services.PROVINCE_KINDS]
    return render(request, "documents/outlines.html", {"kinds": kinds})


def _outline_action(user: User, kind: str, data: Any) -> None:
    """One change of the outline, as the posted form names it."""
    action, code = data.get("action"), data.get("code") or None
    if action in ("up", "down"):
        services.move_section(actor=user, kind=kind, code=code or "", up=action == "up")
    elif action == "delete":
        services.delete_section(actor=user, kind=kind, code=code or "")
    elif action == "reset":
        services.reset_outline(actor=user, kind=kind)
    elif action in ("save", "add"):
        form = SectionForm(data)
        if not form.is_valid():
            raise ValidationError(form.errors)
        after = data.get("after") if action == "add" else None
        services.save_section(
            actor=user,
            kind=kind,
            code=code if action == "save" else None,
            after=after,
            **form.cleaned_data,
        )
    else:
        raise ValidationError(_("Thao tác không hợp lệ."))


@require_http_methods(["GET", "POST"])
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def outline_edit(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in services.PROVINCE_KINDS:
        raise Http404
    user = access.request_user(request)
    errors: list[str] = []
    if request.method == "POST":
        try:
            _outline_action(user, kind, request.POST)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Đã lưu dàn ý."))
            return redirect("documents:outline_edit", kind=kind)
    sections = outline_sections(Kind(kind))
    areas = dict(Area.objects.values_list("code", "name"))
    # each section with its form, and what its summary line names: its blocks' and area's names
    forms = [
        (
            section,
            SectionForm(initial={name: getattr(section, name) for name in services.SECTION_FIELDS}),
            [BLOCKS[code].label if code in BLOCKS else code for code in section.blocks],
            areas.get(section.area_code, section.area_code),
        )
        for section in sections
    ]
    context = {
        "kind": kind,
        "label": KIND_LABELS[Kind(kind)],
        "forms": forms,
        "new": SectionForm(initial={"level": 2}),
        "errors": errors,
        "outline": Outline.objects.filter(kind=kind).first(),
        "section_count": len(sections),
        "blocks": BLOCKS,
    }
    return render(request, "documents/outline_edit.html", context)
