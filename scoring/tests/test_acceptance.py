"""The month of conftest.py scored by hand, criterion by criterion, against `score_units --json`
(and the round the job stores).

The scheme (100 points, and a bonus of at most 3):
NV tasks due in the month done on time, bands 100% → 30, 80% → 24, 50% → 15, below → 0;
QH overdue tasks, 20 − 2 per task − 0,5 per day late (days after the previous cut-off, 05/09);
BC reports due in the month, 20 − 1 per day late − 10 per report not sent by the cut-off;
CT indicators met, 10 × %; SP product milestones due in the month done on time, 100% → 10,
50% → 5; DL data errors, 10 − 2,5 each; TH products rated "vượt", 2 each, at most 3.

A (16681): NV T1, T2 on time → 100% → 30. QH nothing late → 20. BC both reports on time → 20.
  CT TL_TT 80% ≥ 60 met, SO_TT 80 ≥ 20 met → 10 × 100% = 10. SP 15/09 done 16/09 (late), 30/09
  done 25/09 → 50% → 5. DL 0 → 10. TH 2 products → 4, capped at 3. Total 98 → xuất sắc by
  points, but with no unit graded "tốt" the cap (20% of "tốt") allows none: graded "tốt".
B (16690): NV T1 late, T2 on time → 50% → 15. QH T1 done 15/09, 5 days after its deadline
  10/09 → 20 − 2 − 2,5 = 15,5. BC monthly sent 27/09 09:00, 1 day 16 h after 25/09 17:00 → 2 days;
  quick report never sent → 20 − 2 − 10 = 8. CT TL_TT 50% not met, SO_TT 50 met → 5. SP the
  20/09 milestone not done → 0% → 0. DL 0 → 10. TH 0. Total 53,5 → hoàn thành.
C (16700): NV T1 not done → 0% → 0. QH at the cut-off (30/09) T1 is 20 days late (from its
  deadline 10/09), T3 (due 20/08) 30 (charged from the window's first day, 01/09): 20 − 2×2 −
  0,5×50 < 0 → 0. BC sent 01/10, after the cut-off: not sent → 20 − 10 = 10. CT no figures:
  both not met → 0. SP no product: does not apply, its 10 points shared out: every other
  criterion × 100/90 → NV 0, QH 0, BC 11,11, CT 0, DL 8,33 (7,5: one error, HS missing).
  Total 19,44 → không hoàn thành.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from scoring import queries, services
from scoring.models import Grade, Scorecard
from scoring.tests.conftest import MONTH, SCORING_TIME, Month

EXPECTED = {
    "16681": {
        "NV": (30, 30),
        "QH": (20, 20),
        "BC": (20, 20),
        "CT": (10, 10),
        "SP": (5, 10),
        "DL": (10, 10),
        "TH": (3, 3),
    },
    "16690": {
        "NV": (15, 30),
        "QH": (15.5, 20),
        "BC": (8, 20),
        "CT": (5, 10),
        "SP": (0, 10),
        "DL": (10, 10),
        "TH": (0, 3),
    },
    "16700": {
        "NV": (0, 33.33),
        "QH": (0, 22.22),
        "BC": (11.11, 22.22),
        "CT": (0, 11.11),
        "SP": (0, 0),
        "DL": (8.33, 11.11),
        "TH": (0, 3),
    },
}
TOTALS = {"16681": 98, "16690": 53.5, "16700": 19.44}
GRADES = {"16681": Grade.GOOD, "16690": Grade.DONE, "16700": Grade.NOT_DONE}


def score_units(*args: str) -> list[dict[str, Any]]:
    out = io.StringIO()
    call_command("score_units", "--month", "2025-09", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def _check(cards: list[dict[str, Any]]) -> None:
    assert [c["unit"] for c in cards] == ["16681", "16690", "16700"]
    for card in cards:
        shown = {c["code"]: (c["points"], c["max_points"]) for c in card["criteria"]}
        assert shown == EXPECTED[card["unit"]], card["unit"]
        assert card["total"] == TOTALS[card["unit"]]
        assert card["grade"] == GRADES[card["unit"]]
        assert round(sum(c["points"] for c in card["criteria"]), 2) == card["total"]
    a, _b, c = cards
    assert a["eligible_grade"] == Grade.EXCELLENT  # capped: 0 "tốt" allow no "xuất sắc"
    sp = next(x for x in c["criteria"] if x["code"] == "SP")
    assert not sp["applies"] and sp["figure"] == "Không có mốc sản phẩm đến hạn trong tháng."
    assert [card["rank"] for card in cards] == [1, 2, 3]


@pytest.mark.django_db
def test_hand_computed_scores_equal_the_command(month: Month) -> None:
    with time_machine.travel(SCORING_TIME, tick=False):
        cards = score_units()
        assert all(c["state"] == "computed" for c in cards)
        _check(cards)
        services.run_round(actor=month.scheme.created_by, month=MONTH)
        stored = score_units()
    assert all(c["state"] == "draft" for c in stored)
    _check(stored)
    assert Scorecard.objects.count() == 3


@pytest.mark.django_db
def test_evidence_names_exactly_the_records_behind_each_criterion(month: Month) -> None:
    with time_machine.travel(SCORING_TIME, tick=False):
        card = next(c for c in score_units("--unit", "16700"))
    lines = {c["code"]: c for c in card["criteria"]}
    assert [e["label"] for e in lines["NV"]["evidence"]] == ["T1 — Nhiệm vụ T1"]
    assert [e["note"] for e in lines["QH"]["evidence"]] == [
        "thời hạn 10/09/2025, chưa hoàn thành: 20 ngày chậm trong kỳ",
        "thời hạn 20/08/2025, chưa hoàn thành: 30 ngày chậm trong kỳ",
    ]
    assert lines["BC"]["evidence"] == [
        {
            "label": "Tháng 9/2025",
            "url": "/reports/2025-09/16700/",
            "note": "hạn 25/09/2025 17:00: chưa nộp",
        },
    ]
    assert lines["QH"]["band"] == "20 − (2 × 2 trường hợp + 0,5 × 50 ngày chậm) (không dưới 0)"
    assert lines["QH"]["figure"] == (
        "2 nhiệm vụ quá hạn, 50 ngày chậm (từ 01/09/2025 đến 30/09/2025)"
    )
    assert lines["DL"]["figure"] == "1 lỗi số liệu (kỳ 2025-09)"


@pytest.mark.django_db
def test_a_month_scored_again_with_its_older_scheme_gives_the_same_result(month: Month) -> None:
    office = month.scheme.created_by
    with time_machine.travel(SCORING_TIME, tick=False):
        services.run_round(actor=office, month=MONTH)
        first = score_units()
        newer = services.copy_scheme(
            actor=office, scheme=month.scheme, valid_from=MONTH.replace(month=10), name="Xã 10/2025"
        )
        services.save_criterion(
            actor=office,
            scheme=newer,
            criterion=newer.criteria.get(code="NV"),
            bands=[["100", "30"]],
        )
        assert queries.scheme_for("commune", MONTH) == month.scheme
        services.run_round(actor=office, month=MONTH)
        again = score_units()
    assert again == first
