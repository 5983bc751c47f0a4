"""The monthly scoring in the demo, through scoring.services as the standing office and the
units' heads would do it: a pilot scheme per kind of unit from 07/2025 (tasks, overdue tasks,
reports, product milestones, a capped bonus), the 2026 schemes (indicators and data quality
added) and the rounds of 08, 09 (published) and 10/2025 (a draft: one head's contest answered
with an adjustment, another's still open). October is the month the Q3 reports fell due.

The demo's figures are entered when it is loaded, after the 2025 cut-off dates, so they do not
exist "as of" those dates: the 2025 pilot does not score indicators or data quality; the 2026
schemes do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from org.models import User
from scoring import services
from scoring.models import Fact, Line, Method, Round, Scheme, UnitKind

MONTHS = (date(2025, 8, 1), date(2025, 9, 1), date(2025, 10, 1))
PUBLISHED = MONTHS[:2]
BASIS = (
    "Kết luận Hội nghị Ban Chỉ đạo tỉnh ngày 07/01/2026: triển khai phương án chấm điểm hằng "
    "tháng đối với người đứng đầu các sở, ban, ngành và địa phương về kết quả thực hiện nhiệm vụ "
    "chuyển đổi số; xếp loại theo Nghị định số 335/2025/NĐ-CP."
)


@dataclass(frozen=True)
class C:
    code: str
    name: str
    fact: str
    method: str
    max_points: int
    extra: dict[str, Any]


def _bands(top: int) -> dict[str, Any]:
    """100% → all, 90% → 80%, 80% → 60%, 70% → 40%, 50% → 20% of the points."""
    steps = ((100, 1), (90, Decimal("0.8")), (80, Decimal("0.6")), (70, Decimal("0.4")),
             (50, Decimal("0.2")))  # fmt: skip
    return {"bands": [[str(low), str(top * share)] for low, share in steps]}


PILOT = (
    C("NV", "Nhiệm vụ đến hạn trong tháng hoàn thành đúng hạn", Fact.TASKS_ON_TIME, Method.BANDS,
      40, _bands(40)),
    C("QH", "Nhiệm vụ quá hạn", Fact.OVERDUE_TASKS, Method.DEDUCT, 25,
      {"per_item": Decimal("2.5"), "per_day": Decimal("0.1")}),
    C("BC", "Báo cáo đúng hạn", Fact.REPORTS, Method.DEDUCT, 25,
      {"per_day": Decimal(2), "per_missed": Decimal(10)}),
    C("SP", "Mốc sản phẩm đăng ký đúng hạn", Fact.MILESTONES, Method.BANDS, 10,
      {"bands": [["100", "10"], ["50", "5"]]}),
    C("TH", "Sản phẩm được đánh giá vượt (điểm thưởng)", Fact.PRODUCTS_EXCEEDED, Method.BONUS, 5,
      {"per_item": Decimal("2.5")}),
)  # fmt: skip
YEAR_2026 = (
    C("NV", "Nhiệm vụ đến hạn trong tháng hoàn thành đúng hạn", Fact.TASKS_ON_TIME, Method.BANDS,
      30, _bands(30)),
    C("QH", "Nhiệm vụ quá hạn", Fact.OVERDUE_TASKS, Method.DEDUCT, 15,
      {"per_item": Decimal("1.5"), "per_day": Decimal("0.1")}),
    C("BC", "Báo cáo đúng hạn", Fact.REPORTS, Method.DEDUCT, 15,
      {"per_day": Decimal(1), "per_missed": Decimal(5)}),
    C("CT", "Chỉ tiêu của đơn vị đạt kế hoạch", Fact.INDICATORS, Method.PROPORTIONAL, 15, {}),
    C("SP", "Mốc sản phẩm đăng ký đúng hạn", Fact.MILESTONES, Method.BANDS, 15,
      {"bands": [["100", "15"], ["75", "10"], ["50", "5"]]}),
    C("DL", "Chất lượng số liệu (đúng, đủ, sạch, sống)", Fact.VIOLATIONS, Method.DEDUCT, 10,
      {"per_item": Decimal(2)}),
    C("TH", "Sản phẩm được đánh giá vượt (điểm thưởng)", Fact.PRODUCTS_EXCEEDED, Method.BONUS, 5,
      {"per_item": Decimal("2.5")}),
)  # fmt: skip
KIND_NAMES = {UnitKind.AGENCY: "sở, ban, ngành, cơ quan cấp tỉnh", UnitKind.COMMUNE: "xã, phường"}


def define_scheme(
    office: User,
    kind: str,
    valid_from: date,
    name: str,
    criteria: tuple[C, ...],
    **settings: Any,
) -> None:
    """The scheme with these criteria, unless the kind has one from that month (also the
    national benchmark's)."""
    if Scheme.objects.filter(kind=kind, valid_from=valid_from).exists():
        return
    scheme = services.create_scheme(
        actor=office, kind=kind, valid_from=valid_from, name=name, basis=BASIS, **settings
    )
    for order, c in enumerate(criteria):
        services.save_criterion(
            actor=office, scheme=scheme, order=order, code=c.code, name=c.name, fact=c.fact,
            method=c.method, max_points=Decimal(c.max_points), **c.extra,
        )  # fmt: skip


def load_scoring(actor: User) -> int:
    """The schemes and the 2025 rounds that do not exist yet; returns how many units were scored
    in the rounds created."""
    office = User.objects.get(username="thuongtruc")
    with transaction.atomic():
        for kind, noun in KIND_NAMES.items():
            define_scheme(office, kind, MONTHS[0], f"Phương án thí điểm chấm điểm {noun}", PILOT)
            # 2026: the months' data cut off on the 15th, as the 2026 monthly schedule's.
            define_scheme(office, kind, date(2026, 1, 1), f"Phương án chấm điểm {noun} năm 2026",
                          YEAR_2026, cutoff_day=15)  # fmt: skip
        scored = 0
        for month in MONTHS:
            if Round.objects.filter(month=month).exists():
                continue
            round_ = services.run_round(actor=office, month=month)
            scored += round_.scorecards.count()
            if month in PUBLISHED:
                services.publish(actor=office, round_=round_)
            else:
                _contests(office, round_)
    return scored


def _contests(office: User, round_: Round) -> None:
    """Xã Quỳ Châu's head explains its late Q3 report and the office gives the points back; the
    Văn phòng UBND tỉnh's head contests its tasks due in October and waits for the answer."""
    late = _line(round_, "16777", "BC")
    contest = services.contest(
        actor=User.objects.get(username="ld.16777"), line=late,
        text="Báo cáo quý III đã gửi qua hệ thống quản lý văn bản lúc 16 giờ ngày 05/10; đường "
        "truyền của xã bị gián đoạn nên hệ thống NQ57 ghi nhận muộn.",
        link="https://ioffice.nghean.gov.vn/van-ban/quy-chau-05-10",
    )  # fmt: skip
    services.answer(
        actor=office, contest=contest, points=late.max_points,
        text="Đã đối chiếu hệ thống quản lý văn bản: báo cáo gửi đúng hạn. Điều chỉnh đủ điểm.",
    )  # fmt: skip
    services.contest(
        actor=User.objects.get(username="ld.vp-ubnd"), line=_line(round_, "VP-UBND", "NV"),
        text="Nhiệm vụ đã hoàn thành ngày 30/10, văn bản đang trình ký nên chưa cập nhật minh "
        "chứng trước ngày chốt.",
    )  # fmt: skip


def _line(round_: Round, unit: str, code: str) -> Line:
    return Line.objects.get(scorecard__round=round_, scorecard__unit__code=unit, code=code)
