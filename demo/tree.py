"""Nghệ An's unit tree from the reference data, created through org.services like any user would."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from org import services
from org.models import Unit, UnitType, User

DATA = Path(__file__).resolve().parent / "data"
PROVINCE = ("40", "Tỉnh Nghệ An")
STEERING = (
    "BCD",
    "Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số, "
    "cải cách hành chính và Đề án 06 tỉnh Nghệ An",
)
STANDING = ("CQTT", "Cơ quan thường trực Ban Chỉ đạo (Tổ Giúp việc)")
COMMUNES_FROM = date(2025, 7, 1)  # the two-level local government took effect on 01/7/2025


@dataclass(frozen=True)
class Bloc:
    code: str
    name: str
    agency_type: str


BLOCS = {
    "dang": Bloc("KHOI-DANG", "Khối Đảng, Đoàn ĐBQH và HĐND", UnitType.PARTY_AGENCY),
    "chinh_quyen": Bloc("KHOI-CQ", "Khối chính quyền", UnitType.DEPARTMENT),
    "mttq": Bloc("KHOI-MTTQ", "Khối Mặt trận Tổ quốc", UnitType.FRONT),
    "nganh": Bloc("KHOI-NGANH", "Khối ngành dọc", UnitType.SECTOR),
}
COMMUNE_BLOC = ("KHOI-XA", "Khối xã, phường")


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _ensure(actor: User, parent: Unit, code: str, name: str, unit_type: str, **fields: Any) -> Unit:
    existing = Unit.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return services.create_unit(
        actor=actor, parent=parent, code=code, name=name, unit_type=unit_type, **fields
    )


def load_tree(actor: User) -> None:
    root = Unit.objects.get(code=PROVINCE[0])
    steering = _ensure(actor, root, *STEERING, UnitType.STEERING)
    _ensure(actor, steering, *STANDING, UnitType.STANDING_OFFICE)
    blocs = {key: _ensure(actor, root, b.code, b.name, UnitType.BLOC) for key, b in BLOCS.items()}
    for row in read_csv("nghean-agencies.csv"):
        bloc = BLOCS[row["bloc"]]
        _ensure(
            actor,
            blocs[row["bloc"]],
            row["code"],
            row["name"],
            bloc.agency_type,
            is_standing_office=row["standing_office"] == "yes",
        )
    communes = _ensure(actor, root, *COMMUNE_BLOC, UnitType.BLOC)
    for row in read_csv("nghean-communes.csv"):
        _ensure(
            actor,
            communes,
            row["code"],
            row["name"],
            row["type"],
            cluster=row["former_district"],
            active_from=COMMUNES_FROM,
        )
