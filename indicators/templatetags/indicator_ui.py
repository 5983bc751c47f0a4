"""Numbers in the Vietnamese way (229.413; 87,3) and the achievement badge."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators.expressions import ExpressionError, describe, parse
from indicators.models import DataElement
from nq57.links import cached_reverse
from org.models import UnitType

register = template.Library()

ACHIEVED = {
    "met": ("success", _("Đạt")),
    "not_met": ("danger", _("Chưa đạt")),
    "no_data": ("secondary", _("Chưa có số liệu")),
}
_GROUPED = re.compile(r"-?\d{1,3}(\.\d{3})+")


def vn_decimal(value: Decimal | int | float | None, places: int | None = None) -> str:
    """229413 → "229.413", 87.3000 → "87,3"; `places` rounds first; trailing zeros dropped."""
    if value is None or value == "":
        return ""
    return _formatted(value, places, get_language())


@lru_cache(maxsize=4096, typed=True)
def _formatted(value: Decimal | int | float, places: int | None, language: str | None) -> str:
    """Formatted once per value and language (the active language's separators): a province's
    dashboard shows some thousand numbers, mostly the same small counts."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    exponent = number.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(number, decimal_pos=decimals, force_grouping=True)


@register.filter
def vn_number(value: Decimal | int | float | None, places: int | None = None) -> str:
    return vn_decimal(value, places)


def parse_vn_number(text: str) -> Decimal:
    """ "229.413" or "229413" → 229413; "87,3" → 87.3; "1.234,5" → 1234.5; "87.3" → 87.3.
    Dots are thousands separators when they group by three or a comma follows; otherwise a dot
    alone is taken as the decimal point. Raises ValueError when it is not a number."""
    raw = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif _GROUPED.fullmatch(raw):
        raw = raw.replace(".", "")
    if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", raw):
        raise ValueError(text)
    return Decimal(raw)


@register.simple_tag
def achieved_badge(achieved: str) -> SafeString:
    css, label = ACHIEVED[achieved]
    return format_html(
        '<span class="badge text-bg-{}" data-testid="achieved">{}</span>', css, label
    )


@register.simple_tag
def indicator_href(code: str, period_code: str, unit_code: str, as_of: date | None = None) -> str:
    """The indicator's page for a period and a unit (what its value links to), its figures as
    of `as_of` when given."""
    params = {"period": period_code, "unit": unit_code}
    if as_of is not None:
        params["as_of"] = f"{as_of:%d/%m/%Y}"
    query = urlencode(params)
    return f"{cached_reverse('indicators:detail', code)}?{query}"


@register.simple_tag
def scope_label(scoped: Any, listed: Any) -> str:
    """Who a data element's or a rule's scope takes in, in words: the units listed, else the
    unit types (or every reporting unit) and the subtree. `listed`: the prefetched list."""
    names = [u.name for u in listed.all()]
    if names:
        return ", ".join(names)
    types = [str(UnitType(t).label) for t in scoped.unit_types if t in UnitType.values]
    label = ", ".join(types) if types else str(_("Mọi đơn vị báo cáo"))
    if scoped.within_id:
        label += " · " + str(_("thuộc %(u)s") % {"u": scoped.within.name})
    return label


@register.simple_tag
def dates_label(scoped: Any) -> str:
    """ "từ 01/01/2026", "đến 31/12/2025", "01/01/2025 – 31/12/2025" or "" (always)."""
    first, last = scoped.active_from, scoped.active_to
    if first and last:
        return f"{first:%d/%m/%Y} – {last:%d/%m/%Y}"
    if first:
        return str(_("từ %(d)s") % {"d": f"{first:%d/%m/%Y}"})
    if last:
        return str(_("đến %(d)s") % {"d": f"{last:%d/%m/%Y}"})
    return ""


@register.filter
def unit_type_label(value: str) -> str:
    """A unit type's name ("" for none)."""
    return str(UnitType(value).label) if value in UnitType.values else value


@register.simple_tag
def formula_in_words(formula: str, elements: Iterable[DataElement]) -> str:
    """The indicator's formula with its data elements' names (the page's `elements`), as an
    officer reads it; the code is the setup pages' business."""
    try:
        expr = parse(formula)
    except ExpressionError:
        return formula  # a formula saved before a grammar change: shown as it is
    return describe(expr, {e.code: e.name for e in elements})
