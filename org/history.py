"""Who changed which unit or account, when, and what it was before and after."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model

from org.models import Unit, User


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    kind: str  # "+", "~", "-" as simple-history records them
    subject: str
    fields: list[tuple[str, Any, Any]]  # (field label, before, after)


def _label(model: type[Model], field: str) -> str:
    return str(getattr(model._meta.get_field(field), "verbose_name", field))


def _changes(records: list[Any], model: type[Model], subject: Any) -> list[Change]:
    """Records of one object, newest first; each is compared with the next (older) one in memory."""
    result = []
    for record, previous in zip(records, [*records[1:], None], strict=True):
        fields = []
        if previous is not None:
            delta = record.diff_against(previous)
            fields = [(_label(model, c.field), c.old, c.new) for c in delta.changes]
        who = record.history_user.username if record.history_user else "—"
        name = subject(record) if callable(subject) else subject
        result.append(Change(record.history_date, who, record.history_type, name, fields))
    return result


def changes_for_unit(unit: Unit, limit: int = 200) -> list[Change]:
    """The unit's own history and its accounts', newest first (two queries)."""
    changes = _changes(list(unit.history.select_related("history_user")), Unit, str(unit))
    records = User.history.filter(unit_id=unit.pk).select_related("history_user")
    by_account: dict[int, list[Any]] = defaultdict(list)
    for record in records.order_by("id", "-history_date", "-history_id"):
        by_account[record.id].append(record)
    for account_records in by_account.values():
        changes += _changes(account_records, User, lambda r: r.username)
    return sorted(changes, key=lambda c: c.when, reverse=True)[:limit]


def changes_for_account(account: User, limit: int = 50) -> list[Change]:
    records = list(account.history.select_related("history_user")[:limit])
    return _changes(records, User, account.username)
