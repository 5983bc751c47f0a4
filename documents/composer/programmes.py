"""What the province's reports speak of, by code: the resolution, the task sources (programme
groups) and the indicator sets whose achievement they state. The one place these codes are
written in the composer (the demo creates the same codes: demo.tasks.SOURCES)."""

from __future__ import annotations

from dataclasses import dataclass

from documents.content import Kind
from indicators.queries import IndicatorSet

RESOLUTION = "Nghị quyết số 57-NQ/TW"


@dataclass(frozen=True)
class CommuneProgramme:
    """A programme every commune carries out: the report counts the communes that completed all
    of its tasks; `done` says what they did ({tasks}: how many tasks the programme has)."""

    source: str
    done: str


@dataclass(frozen=True)
class Programmes:
    """The task sources the province report speaks of, by code (demo.tasks.SOURCES)."""

    province: str = "NQ57-TINH"  # the province's own tasks under Resolution 57
    government: str = "NQ71"  # the tasks Resolution 71/NQ-CP gives the province
    party: str = "CDS-DANG"  # digital transformation in the Party agencies and the Front
    communes: tuple[CommuneProgramme, ...] = (
        CommuneProgramme("KH02-GD1", "hoàn thành {tasks}/{tasks} nhiệm vụ"),
        CommuneProgramme("BDHVS", "đã ban hành Kế hoạch bình dân học vụ số"),
    )


PROGRAMMES = Programmes()


@dataclass(frozen=True)
class AchievementSets:
    """The indicator sets whose achievement the quarterly report states ("đạt và vượt 39/65
    chỉ tiêu giai đoạn 2025–2045 …; … chỉ tiêu năm 2025")."""

    long_term: IndicatorSet = "2025-2045"
    year: IndicatorSet = "2025"


ACHIEVEMENT = AchievementSets()
# The sets each kind of report evaluates (with the indicators' values, in one evaluation).
ACHIEVEMENT_SETS: dict[Kind, tuple[IndicatorSet, ...]] = {
    Kind.QUARTERLY: (ACHIEVEMENT.long_term, ACHIEVEMENT.year)
}
