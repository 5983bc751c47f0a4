"""Results, not progress (issue 15 item 5): the products the units registered for the report's
year against those delivered and how the standing office rated them, for the agencies and for
the communes and by task area with their budget, and the grades of the latest month scored and
published inside the period. Both read as they stood at the report's date (products from their
history, a round once published), so a report rebuilt later says the same.

A block with nothing to state gives no paragraph; what the report says then ("chưa có …") is
the block's `absent` sentence, which a section may leave out (OutlineSection.omit_empty)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _  # link labels are UI, shown on the page

from documents.composer.facts import ReportFacts
from documents.composer.paragraphs import paragraph
from documents.content import Link, Paragraph
from documents.wording import count, number
from org.models import Unit
from periods.calendar import end_of_day
from products.queries import AreaDelivery, delivery_by_kind, list_url
from scoring.models import Grade, Round, RoundState, UnitKind
from scoring.queries import Distribution, distribution

# How the report names each kind of unit, as the province writes it.
KIND_NAMES: dict[str, str] = {
    UnitKind.AGENCY: "các sở, ban, ngành, cơ quan cấp tỉnh",
    UnitKind.COMMUNE: "các xã, phường",
}
GRADE_WORDS: dict[str, str] = {
    Grade.EXCELLENT: "hoàn thành xuất sắc",
    Grade.GOOD: "hoàn thành tốt",
    Grade.DONE: "hoàn thành",
    Grade.NOT_DONE: "không hoàn thành",
}


def _millions(value: Decimal) -> str:
    """An amount in đồng as the report writes it: in million đồng, "2.500"."""
    return number(value / 1_000_000)


def _delivery_text(row: AreaDelivery) -> str:
    return (
        f"{count(row.registered)} sản phẩm đăng ký được chấp nhận, đã hoàn thành, bàn giao "
        f"{count(row.delivered)} sản phẩm; kết quả đánh giá: {count(row.exceeded)} vượt, "
        f"{count(row.met - row.exceeded)} đạt, {count(row.not_met)} chưa đạt"
    )


def _delivery_figures(row: AreaDelivery) -> dict[str, str]:
    return {
        "registered": count(row.registered),
        "delivered": count(row.delivered),
        "exceeded": count(row.exceeded),
        "met": count(row.met - row.exceeded),
        "not_met": count(row.not_met),
    }


def _money_figures(row: AreaDelivery) -> dict[str, str]:
    """The delivery's figures and its money, in million đồng."""
    return {
        **_delivery_figures(row),
        "budget": _millions(row.budget),
        "disbursed": _millions(row.disbursed),
    }


def products(facts: ReportFacts) -> list[Paragraph]:
    """ "Năm 2026, các cơ quan, đơn vị có 120 sản phẩm đăng ký được chấp nhận (kinh phí …), đã
    hoàn thành, bàn giao 03 …; kết quả đánh giá: 01 vượt, 01 đạt, 00 chưa đạt." and one line
    for the agencies, one for the communes. Nothing when the year has no accepted product."""
    year = facts.period.ends_on.year
    whole = facts.products.total
    if not whole.registered:
        return []
    links = (
        Link(_("Sản phẩm đã được chấp nhận"), list_url(year=year, group="registered")),
        Link(_("Sản phẩm đã hoàn thành"), list_url(year=year, group="delivered")),
    )
    figures = _money_figures(whole)
    text = (
        f"Năm {year}, các cơ quan, đơn vị có {_delivery_text(whole)}. Tổng kinh phí của các sản "
        f"phẩm {_millions(whole.budget)} triệu đồng, đã giải ngân {_millions(whole.disbursed)} "
        "triệu đồng"
    )
    body = [paragraph(text + ":", key="products.delivery", links=links, figures=figures)]
    # one reading for both kinds: each product counts under its unit's kind
    tree = Unit.objects.filter(path__startswith=facts.unit.path)
    by_kind = delivery_by_kind(year, facts.end, tree)
    for kind, name in KIND_NAMES.items():
        row = by_kind[kind]
        body.append(
            paragraph(
                f"- {name[0].upper()}{name[1:]}: {_delivery_text(row)}.",
                "item",
                key=f"products.delivery.{kind}",
                figures=_delivery_figures(row),
            )
        )
    return body


def no_products(facts: ReportFacts) -> list[Paragraph]:
    """What `products` says when the year has no accepted product."""
    return [
        paragraph(
            f"Năm {facts.period.ends_on.year}, chưa có sản phẩm đăng ký nào được cơ quan thường "
            "trực chấp nhận.",
            key="products.delivery", figures={"registered": count(0)},
        )
    ]  # fmt: skip


# The line of the products no task area was given, after the areas.
NO_AREA = "Sản phẩm chưa xếp lĩnh vực"


def products_by_area(facts: ReportFacts) -> list[Paragraph]:
    """ "- Theo lĩnh vực:" then one sub-item per task area having products, in the areas' order
    (those without an area last): "+ Hạ tầng số: 03 sản phẩm đăng ký được chấp nhận, đã
    hoàn thành, bàn giao 01 …; kinh phí 2.500 triệu đồng, đã giải ngân 1.200 triệu đồng." Each
    area's line opens the product list of that area. Nothing when the year has no product."""
    overview = facts.products
    if not overview.total.registered:
        return []
    body = [paragraph("- Theo lĩnh vực:", "item", key="products.by_area")]
    for row in overview.areas:
        name = row.area.name if row.area else NO_AREA
        links = () if row.area is None else (
            Link(_("Sản phẩm của lĩnh vực %(area)s") % {"area": name}, overview.url(row)),
        )  # fmt: skip
        body.append(
            paragraph(
                f"+ {name}: {_delivery_text(row)}; kinh phí {_millions(row.budget)} triệu đồng, "
                f"đã giải ngân {_millions(row.disbursed)} triệu đồng.",
                "subitem",
                key=f"products.by_area.{row.code or 'none'}",
                links=links,
                figures=_money_figures(row),
            )
        )
    return body


def scored_round(facts: ReportFacts) -> Round | None:
    """The latest month inside the period whose round was published by the report's date."""
    return (
        Round.objects.filter(
            month__gte=facts.period.starts_on.replace(day=1),
            month__lte=facts.end,
            state=RoundState.PUBLISHED,
            published_at__lt=end_of_day(facts.as_of),
        )
        .order_by("-month")
        .first()
    )


def grades(facts: ReportFacts) -> list[Paragraph]:
    """ "Kết quả chấm điểm người đứng đầu tháng 09/2025: các sở, ban, ngành …: 02 hoàn thành
    xuất sắc, …; các xã, phường: …" from the stored scorecards of the month's published round;
    nothing when no month of the period was published by the report's date."""
    round_ = scored_round(facts)
    if round_ is None:
        return []
    spread = _spread(facts, round_)
    parts = []
    figures: dict[str, str] = {}
    for kind, name in KIND_NAMES.items():
        graded = spread.total(kind)
        if not graded:
            continue
        words = ", ".join(f"{count(spread.count(kind, g))} {GRADE_WORDS[g]}" for g in Grade.values)
        parts.append(f"{name} ({count(graded)} người đứng đầu): {words} nhiệm vụ")
        figures |= {f"{kind}.{g}": count(spread.count(kind, g)) for g in Grade.values}
    month = _month(round_.month)
    text = (
        f"Kết quả chấm điểm người đứng đầu về thực hiện nhiệm vụ chuyển đổi số tháng {month}: "
        + ("; ".join(parts) if parts else "không có cơ quan, đơn vị nào được chấm")
        + "."
    )
    url = reverse("scoring:round", args=[round_.code])
    link = Link(_("Kết quả chấm điểm tháng %(month)s") % {"month": month}, url)
    return [paragraph(text, key="scores.grades", links=(link,), figures=figures)]


def _spread(facts: ReportFacts, round_: Round) -> Distribution:
    """The round's grades of the report's tree, by kind."""
    return distribution(round_, Unit.objects.filter(path__startswith=facts.unit.path))


def no_grades(facts: ReportFacts) -> list[Paragraph]:
    """What `grades` says when no month of the period was published by the report's date."""
    return [
        paragraph(
            f"Chưa có kết quả chấm điểm hằng tháng người đứng đầu được công bố trong "
            f"{facts.label}.",
            key="scores.grades",
        )
    ]


def _month(first: date) -> str:
    return f"{first:%m/%Y}"


def brief_line(facts: ReportFacts) -> list[Paragraph]:
    """The one-page brief's line: the year's products and the grades of the month last
    published, every kind of unit together, in one short paragraph."""
    year = facts.period.ends_on.year
    whole = facts.products.total
    text = f"Sản phẩm năm {year}: "
    if whole.registered:
        text += (
            f"{count(whole.registered)} được chấp nhận, {count(whole.delivered)} đã hoàn thành "
            f"({count(whole.exceeded)} vượt, {count(whole.met - whole.exceeded)} đạt, "
            f"{count(whole.not_met)} chưa đạt)"
        )
    else:
        text += "chưa có sản phẩm được chấp nhận"
    figures = _delivery_figures(whole)
    links = [Link(_("Sản phẩm đã được chấp nhận"), list_url(year=year, group="registered"))]
    round_ = scored_round(facts)
    if round_ is None:
        text += "; chấm điểm người đứng đầu: chưa có tháng được công bố."
    else:
        spread = _spread(facts, round_)
        graded = {g: sum(spread.count(kind, g) for kind in spread.counts) for g in Grade.values}
        words = ", ".join(f"{count(n)} {GRADE_WORDS[g]}" for g, n in graded.items())
        text += f"; chấm điểm người đứng đầu tháng {_month(round_.month)}: {words}."
        figures |= {f"grades.{g}": count(n) for g, n in graded.items()}
        month = _month(round_.month)
        label = _("Kết quả chấm điểm tháng %(month)s") % {"month": month}
        links.append(Link(label, reverse("scoring:round", args=[round_.code])))
    return [paragraph(text, key="brief.results", links=tuple(links), figures=figures)]
