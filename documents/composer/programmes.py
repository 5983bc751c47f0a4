"""What the province's reports speak of, by code: the resolution, the programme groups (rows the
standing office configures: tasks.ProgrammeGroup, each counting its sources' tasks), the commune
programmes and which reports state the indicator sets' achievement. The one place these codes are
written in the composer (the demo creates the same codes: demo.tasks.SOURCES)."""

from __future__ import annotations

from dataclasses import dataclass

from documents.content import Kind

RESOLUTION = "Nghị quyết số 57-NQ/TW"


@dataclass(frozen=True)
class CommuneProgramme:
    """A programme every commune carries out: the report counts the communes that completed all
    of its tasks; `done` says what they did ({tasks}: how many tasks the programme has)."""

    source: str
    done: str


@dataclass(frozen=True)
class Programmes:
    """The programme groups the province report speaks of, by group code (their sources are
    the groups' rows)."""

    province: str = "NQ57-TINH"  # the province's own tasks under Resolution 57
    government: str = "NQ71"  # the tasks Resolution 71/NQ-CP gives the province
    party: str = "CDS-DANG"  # digital transformation in the Party agencies and the Front
    communes: tuple[CommuneProgramme, ...] = (
        CommuneProgramme("KH02-GD1", "hoàn thành {tasks}/{tasks} nhiệm vụ"),
        CommuneProgramme("BDHVS", "đã ban hành Kế hoạch bình dân học vụ số"),
    )


PROGRAMMES = Programmes()


# The report kinds that state the achievement of every indicator set covering their year ("đạt
# và vượt 39/65 chỉ tiêu giai đoạn 2025–2045 …; … chỉ tiêu năm 2025"); the sets themselves are
# rows the standing office configures (indicators.queries.indicator_sets).
ACHIEVEMENT_KINDS: frozenset[Kind] = frozenset(
    {Kind.QUARTERLY, Kind.HALF, Kind.NINE_MONTHS, Kind.YEAR}
)
