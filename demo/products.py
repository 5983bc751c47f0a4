"""The units' 2026 products ("các đơn vị phải đăng ký ít nhất là 01 sản phẩm", conference of
07/01/2026), registered through products.services as the people who would do it: the standing
office (`thuongtruc`) opens the registration window, each unit's reporter (`bc.<code>`) writes
and sends its product, its head (`ld.<code>`) approves it, the standing office accepts it — or
the story stops earlier: a few are still drafts, awaiting the head or the office, or returned
with a comment. NO_PRODUCT units register nothing (the board of units without a product lists
them, with the pending ones). Two accepted products already have money disbursed, one was
delivered and rated "vượt"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from org.models import REPORTING_TYPES, Unit, UnitType, User
from products import services
from products.models import FundSource, Product, Rating
from products.services import Delivery, MilestoneInput
from tasks.models import Area

YEAR = 2026
NO_PRODUCT = frozenset({"SNGV", "HDND", "16744", "16819", "16885", "17242", "17728"})
# Where a registration stops; every other unit's product is accepted.
STOPS = {
    "16936": "draft", "SDTTG": "draft", "17176": "draft",
    "16690": "submitted", "17560": "submitted",
    "SYT": "approved", "16969": "approved", "TTT": "approved",
    "SCT": "returned",
}  # fmt: skip
RETURN_COMMENT = (
    "Đề nghị nêu rõ chỉ số đo kết quả (số doanh nghiệp được hỗ trợ) và giá trị mục tiêu; bổ sung "
    "mốc thực hiện theo quý."
)


@dataclass(frozen=True)
class Spec:
    title: str
    result: str
    beneficiaries: str
    measure: str
    measure_unit: str
    baseline: int
    target: int
    area: str
    budget: int  # million đồng
    fund: str


AGENCY = (
    Spec(
        "Nền tảng số quản lý nhiệm vụ khoa học và công nghệ",
        "Toàn bộ hồ sơ nhiệm vụ khoa học và công nghệ được tiếp nhận, thẩm định trực tuyến",
        "Tổ chức, cá nhân thực hiện nhiệm vụ khoa học và công nghệ",
        "Số hồ sơ xử lý trực tuyến",
        "hồ sơ",
        0,
        300,
        "HTKH",
        2_500,
        FundSource.PROVINCE,
    ),
    Spec(
        "Cơ sở dữ liệu chuyên ngành kết nối kho dữ liệu dùng chung của tỉnh",
        "Dữ liệu chuyên ngành đúng, đủ, sạch, sống, chia sẻ qua nền tảng tích hợp của tỉnh",
        "Cán bộ, công chức và người dân tra cứu",
        "Số bản ghi được làm sạch",
        "bản ghi",
        0,
        50_000,
        "CSDL",
        1_200,
        FundSource.PROVINCE,
    ),
    Spec(
        "Số hóa và tái cấu trúc thủ tục hành chính thuộc thẩm quyền",
        "Người dân, doanh nghiệp nộp hồ sơ trực tuyến toàn trình, giảm thời gian giải quyết",
        "Người dân, doanh nghiệp",
        "Thời gian giải quyết bình quân",
        "ngày",
        10,
        6,
        "NTS",
        800,
        FundSource.PROVINCE,
    ),
    Spec(
        "Trợ lý ảo hỗ trợ cán bộ, công chức",
        "Giảm thời gian soạn thảo, tra cứu văn bản",
        "Cán bộ, công chức của cơ quan",
        "Số giờ làm việc tiết kiệm mỗi tháng",
        "giờ",
        0,
        400,
        "NTS",
        600,
        FundSource.SOCIAL,
    ),
)
COMMUNE = (
    Spec("Bình dân học vụ số: mỗi hộ có người dùng được dịch vụ công trực tuyến",
         "Người dân tự nộp hồ sơ trực tuyến, không phải đến trụ sở", "Hộ gia đình trên địa bàn",
         "Tỷ lệ hộ có người dùng được dịch vụ công trực tuyến", "%", 40, 90, "NNL", 150,
         FundSource.PROVINCE),
    Spec("Camera an ninh kết nối trung tâm giám sát của tỉnh",
         "Giám sát an ninh trật tự các tuyến đường chính, giảm vụ việc", "Người dân trên địa bàn",
         "Số điểm camera kết nối", "điểm", 4, 24, "ANM", 900, FundSource.SOCIAL),
    Spec("Chợ không dùng tiền mặt",
         "Tiểu thương và người mua thanh toán bằng mã QR", "Tiểu thương, người dân",
         "Số hộ kinh doanh nhận thanh toán không dùng tiền mặt", "hộ", 20, 150, "NTS", 50,
         FundSource.OTHER),
    Spec("Số hóa sổ hộ tịch và hồ sơ địa chính",
         "Tra cứu, cấp bản sao trong ngày", "Người dân", "Số trang sổ được số hóa", "trang",
         0, 20_000, "CSDL", 300, FundSource.CENTRAL),
)  # fmt: skip


@dataclass
class _Cast:
    office: User
    reporters: dict[str, User]
    heads: dict[str, User]
    areas: dict[str, Area]


def _milestones(kind: str) -> list[MilestoneInput]:
    first = (
        "Khảo sát hiện trạng, lập kế hoạch chi tiết"
        if kind == "agency"
        else "Khảo sát, lập danh sách"
    )
    return [
        MilestoneInput(first, date(YEAR, 3, 31)),
        MilestoneInput("Triển khai, vận hành thử", date(YEAR, 6, 30)),
        MilestoneInput("Vận hành chính thức, đánh giá hiệu quả", date(YEAR, 11, 30)),
    ]


def load_products(actor: User) -> int:
    """Register the units' 2026 products that do not exist yet; returns how many were created."""
    if Product.objects.filter(year=YEAR).exists():
        return 0
    with transaction.atomic():
        cast = _cast()
        services.open_window(
            actor=cast.office, year=YEAR, opens_on=date(2025, 12, 15),
            # Open while the demo is explored, whenever it is loaded.
            closes_on=max(date(YEAR, 1, 31), timezone.localdate()),
            note="Mỗi đơn vị đăng ký ít nhất 01 sản phẩm, kèm bố trí nguồn lực thực hiện.",
        )  # fmt: skip
        units = Unit.objects.filter(unit_type__in=REPORTING_TYPES).exclude(code__in=NO_PRODUCT)
        created = 0
        for index, unit in enumerate(units.order_by("path")):
            _register(cast, unit, index)
            created += 1
        _money_and_delivery(cast)
    return created


def _cast() -> _Cast:
    people = User.objects.filter(username__regex=r"^(bc|ld)\.").select_related("unit")
    return _Cast(
        office=User.objects.get(username="thuongtruc"),
        reporters={u.unit.code: u for u in people if u.username.startswith("bc.")},
        heads={u.unit.code: u for u in people if u.username.startswith("ld.")},
        areas={a.code: a for a in Area.objects.all()},
    )


def _register(cast: _Cast, unit: Unit, index: int) -> Product:
    commune = unit.unit_type in (UnitType.COMMUNE, UnitType.WARD)
    spec = (COMMUNE if commune else AGENCY)[index % 4]
    reporter, head = cast.reporters[unit.code], cast.heads[unit.code]
    product = services.create_product(
        actor=reporter, unit=unit, year=YEAR, title=spec.title, expected_result=spec.result,
        beneficiaries=spec.beneficiaries, measure=spec.measure, measure_unit=spec.measure_unit,
        baseline=Decimal(spec.baseline), target=Decimal(spec.target),
        area=cast.areas.get(spec.area), budget=Decimal(spec.budget) * 1_000_000,
        fund_source=spec.fund, owner_name=head.full_name.removeprefix("Lãnh đạo "),
        owner_title="Chủ tịch UBND" if commune else "Giám đốc",
        due_on=date(YEAR, 12, 15), milestones=_milestones("commune" if commune else "agency"),
    )  # fmt: skip
    stop = STOPS.get(unit.code, "accepted")
    if stop == "draft":
        return product
    product = services.submit(actor=reporter, product=product)
    if stop == "submitted":
        return product
    product = services.approve(actor=head, product=product)
    if stop == "approved":
        return product
    if stop == "returned":
        return services.return_product(actor=cast.office, product=product, comment=RETURN_COMMENT)
    return services.accept(actor=cast.office, product=product)


def _money_and_delivery(cast: _Cast) -> None:
    """SKHCN and Phường Thành Vinh have started spending; Phường Vinh Phú's product was done
    early and rated "vượt"."""
    for code, amounts in (("SKHCN", (500, 250)), ("16681", (40,))):
        product = Product.objects.get(unit__code=code, year=YEAR)
        for number, amount in enumerate(amounts):
            services.add_disbursement(
                actor=cast.reporters[code], product=product, on=date(2025, 12, 20 + number),
                amount=Decimal(amount) * 1_000_000, note="Tạm ứng hợp đồng",
            )  # fmt: skip
    early = Product.objects.get(unit__code="16702", year=YEAR)
    delivery = Delivery(
        delivered_on=date(2025, 12, 30), achieved=Decimal(185), evidence_number="215/BC-UBND",
        evidence_date=date(2025, 12, 30),
    )  # fmt: skip
    services.deliver(actor=cast.reporters["16702"], product=early, delivery=delivery)
    services.evaluate(
        actor=cast.office, product=early, rating=Rating.EXCEEDED,
        comment="Hoàn thành trước hạn, vượt mục tiêu số hộ kinh doanh tham gia.",
    )  # fmt: skip
