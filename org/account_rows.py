"""Account rows — from the bulk XLSX, the one-account form or the demo loader — and their checks.

One validation serves every way accounts are created, so a rule is never enforced in one path
and forgotten in another."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nq57.xlsx import RowError, read_rows
from org import access
from org.access import Action
from org.models import Role, Unit, User

SHEET = "Tài khoản"
COL_UNIT = "Mã đơn vị"
COL_NAME = "Họ và tên"
COL_EMAIL = "Thư điện tử"
COL_PHONE = "Điện thoại"
COL_ROLE = "Vai trò"
COL_USERNAME = "Tên đăng nhập"
COL_SCOPE = "Phạm vi theo dõi"
HEADERS = (COL_UNIT, COL_NAME, COL_EMAIL, COL_PHONE, COL_ROLE, COL_USERNAME)
HEADER_HELP = gettext_lazy(
    "Tên đăng nhập có thể để trống: khi đó dùng thư điện tử. Vai trò ghi bằng tên tiếng Việt "
    "hoặc mã (reporter, unit_head, unit_admin, viewer)."
)


@dataclass(frozen=True)
class AccountRow:
    row: int
    unit_code: str
    full_name: str
    email: str
    phone: str
    role: str
    username: str
    scope_code: str = ""  # viewers only: the top of the subtree they read


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code or phone typed as a number in Excel
    return str(value).strip()


def role_from_text(text: str) -> str | None:
    wanted = text.strip().casefold()
    for value, label in Role.choices:
        if wanted in (value, str(label).casefold()):
            return value
    return None


def parse_account_file(source: IO[bytes]) -> list[AccountRow]:
    rows = []
    for number, cells in read_rows(source, SHEET, HEADERS):
        email = _text(cells[COL_EMAIL]).lower()
        role_text = _text(cells[COL_ROLE])
        rows.append(
            AccountRow(
                row=number,
                unit_code=_text(cells[COL_UNIT]),
                full_name=_text(cells[COL_NAME]),
                email=email,
                phone=_text(cells[COL_PHONE]),
                role=role_from_text(role_text) or role_text,
                username=_text(cells[COL_USERNAME]) or email,
            )
        )
    return rows


def validate_account_rows(
    actor: User, rows: Sequence[AccountRow]
) -> tuple[dict[str, Unit], list[RowError]]:
    """Check every row against the actor's rights and the existing accounts; collect all errors."""
    codes = {r.unit_code for r in rows} | {r.scope_code for r in rows if r.scope_code}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    taken_names, taken_emails = _taken(rows)
    name_count = Counter(r.username.lower() for r in rows if r.username)
    email_count = Counter(r.email for r in rows if r.email)
    errors: list[RowError] = []
    for row in rows:
        errors += _row_errors(actor, row, units.get(row.unit_code))
        errors += _scope_errors(actor, row, units.get(row.scope_code))
        errors += _uniqueness_errors(row, taken_names, taken_emails, name_count, email_count)
    return units, errors


def _taken(rows: Sequence[AccountRow]) -> tuple[set[str], set[str]]:
    names = {r.username.lower() for r in rows if r.username}
    emails = {r.email for r in rows if r.email}
    existing = User.objects.annotate(u=Lower("username"), e=Lower("email"))
    taken_names = set(existing.filter(u__in=names).values_list("u", flat=True))
    taken_emails = set(existing.filter(e__in=emails).values_list("e", flat=True))
    return taken_names, taken_emails


def _row_errors(actor: User, row: AccountRow, unit: Unit | None) -> list[RowError]:
    errors = []
    # An existing unit outside the actor's subtree gets the same answer as a missing one.
    if unit is None or not access.can(actor, Action.MANAGE_ACCOUNTS, unit):
        message = _("Không có đơn vị mã “%(code)s” trong phạm vi bạn quản lý.")
        errors.append(RowError(row.row, COL_UNIT, message % {"code": row.unit_code}))
    elif not unit.is_active:
        errors.append(RowError(row.row, COL_UNIT, _("Đơn vị đã ngừng hoạt động.")))
    errors += _field_errors(row)
    if not row.full_name:
        errors.append(RowError(row.row, COL_NAME, _("Họ và tên không được để trống.")))
    if row.email:
        try:
            validate_email(row.email)
        except ValidationError:
            errors.append(RowError(row.row, COL_EMAIL, _("Thư điện tử không hợp lệ.")))
    if row.role not in access.assignable_roles(actor):
        message = _("Vai trò “%(role)s” không có hoặc bạn không được cấp.")
        errors.append(RowError(row.row, COL_ROLE, message % {"role": row.role}))
    if not row.username:
        errors.append(RowError(row.row, COL_USERNAME, _("Cần tên đăng nhập hoặc thư điện tử.")))
    return errors


_COLUMN_OF_FIELD = {
    "username": COL_USERNAME,
    "full_name": COL_NAME,
    "email": COL_EMAIL,
    "phone": COL_PHONE,
}


def _field_errors(row: AccountRow) -> list[RowError]:
    """The model's own field rules (lengths, allowed characters), checked before any insert."""
    candidate = User(
        username=row.username, full_name=row.full_name, email=row.email, phone=row.phone
    )
    try:
        candidate.clean_fields(
            exclude=[f.name for f in User._meta.fields if f.name not in _COLUMN_OF_FIELD]
        )
    except ValidationError as exc:
        return [
            RowError(row.row, _COLUMN_OF_FIELD[name], " ".join(messages))
            for name, messages in exc.message_dict.items()
            if name in _COLUMN_OF_FIELD
            and (name != "full_name" or row.full_name)
            and (name != "username" or row.username)
        ]
    return []


def _scope_errors(actor: User, row: AccountRow, scope: Unit | None) -> list[RowError]:
    if not row.scope_code:
        return []
    if row.role != Role.VIEWER:
        return [RowError(row.row, COL_SCOPE, _("Chỉ vai trò theo dõi mới có phạm vi theo dõi."))]
    if scope is None or not access.can(actor, Action.MANAGE_ACCOUNTS, scope):
        message = _("Không có đơn vị mã “%(code)s” trong phạm vi bạn quản lý.")
        return [RowError(row.row, COL_SCOPE, message % {"code": row.scope_code})]
    return []


def _uniqueness_errors(
    row: AccountRow,
    taken_names: set[str],
    taken_emails: set[str],
    name_count: Counter[str],
    email_count: Counter[str],
) -> list[RowError]:
    errors = []
    name = row.username.lower()
    if name and name in taken_names:
        errors.append(RowError(row.row, COL_USERNAME, _("Tên đăng nhập đã có tài khoản dùng.")))
    elif name and name_count[name] > 1:
        errors.append(RowError(row.row, COL_USERNAME, _("Tên đăng nhập bị lặp trong tệp.")))
    if row.email and row.email in taken_emails:
        errors.append(RowError(row.row, COL_EMAIL, _("Thư điện tử đã có tài khoản dùng.")))
    elif row.email and email_count[row.email] > 1:
        errors.append(RowError(row.row, COL_EMAIL, _("Thư điện tử bị lặp trong tệp.")))
    return errors
