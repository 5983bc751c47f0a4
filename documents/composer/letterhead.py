"""The letterhead rules: which issuer settings a report is issued with. The province's kinds use
the settings the standing office stored; a unit's own report uses its stored settings, else
settings derived from its type (UNIT_STYLES)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from documents.content import KIND_LABELS, Kind
from documents.models import DocumentProfile, Style
from org.models import Unit, UnitType

# Locality names lose their rank on the place line: "Tỉnh Nghệ An" → "Nghệ An".
_RANKS = ("Tỉnh ", "Thành phố ", "Xã ", "Phường ")
_COMMUNE_TYPES = (UnitType.COMMUNE, UnitType.WARD)


def province_root() -> Unit:
    """The unit whose report the province's kinds are: the top of the tree."""
    root: Unit | None = Unit.objects.get_first_root_node()
    if root is None:
        raise Http404
    return root


def _locality(name: str) -> str:
    for rank in _RANKS:
        if name.startswith(rank):
            return name.removeprefix(rank)
    return name


@dataclass(frozen=True)
class UnitStyle:
    """How a kind of unit issues its own report: format, the authority above its name, the
    report's number, and who signs (capacity line and title) when the unit names no head."""

    style: str = Style.STATE
    parent: str = ""  # "{province}" stands for the province's name in capitals
    number: str = "Số:      /BC-{symbol}"
    capacity: str = ""
    title: str = ""


UNIT_STYLES: dict[str, UnitStyle] = {
    # A board of the Party committee is headed, not led collectively: its head signs as such.
    UnitType.PARTY_AGENCY: UnitStyle(
        Style.PARTY, "TỈNH ỦY {province}", "Số      -BC/{symbol}", title="TRƯỞNG BAN"
    ),
    UnitType.DEPARTMENT: UnitStyle(parent="UBND TỈNH {province}", title="GIÁM ĐỐC"),
    UnitType.COMMUNE: UnitStyle(
        number="Số:      /BC-UBND", capacity="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH"
    ),
    UnitType.WARD: UnitStyle(
        number="Số:      /BC-UBND", capacity="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH"
    ),
}


def _default_title(unit: Unit, unit_style: UnitStyle) -> str:
    """The title the unit's head signs under: "CHÁNH VĂN PHÒNG" for an office, else the type's."""
    if unit.name.startswith("Văn phòng"):
        return "CHÁNH VĂN PHÒNG"
    return unit_style.title


def derived_profile(unit: Unit) -> DocumentProfile:
    """A unit's own letterhead when nobody stored one, from UNIT_STYLES by its type: Party
    agencies in the Party's format under the provincial Party committee, communes and wards as
    their People's Committee, departments under the provincial People's Committee, other units
    in the administrative format alone. The symbol is the unit's code (BTC-TU → BTCTU)."""
    province = _locality(province_root().name)
    unit_style = UNIT_STYLES.get(unit.unit_type, UnitStyle())
    issuer = unit.name.upper()
    place = province
    if unit.unit_type == UnitType.PARTY_AGENCY:
        issuer = issuer.removesuffix(" TỈNH ỦY")
    elif unit.unit_type in _COMMUNE_TYPES:
        issuer, place = f"ỦY BAN NHÂN DÂN {issuer}", _locality(unit.name)
    return DocumentProfile(
        kind=Kind.UNIT,
        unit=unit,
        style=unit_style.style,
        issuer_parent=unit_style.parent.format(province=province.upper()),
        issuer=issuer,
        number=unit_style.number.format(symbol=unit.code.replace("-", "").upper()),
        place=place,
        signer_capacity=unit_style.capacity,
        signer_title=unit.head_title.upper() or _default_title(unit, unit_style),
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
