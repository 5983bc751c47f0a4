"""The lengths free text may have, one limit for every path that writes it (page, import, API):
a 100 kB unbroken string once hung the reviewer's browser. Services call `check_lengths`;
forms use the same numbers as `max_length` so the page says it first. No model change: the
columns stay TEXT, the rule lives here."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A task's title: a sentence or two of a resolution.
TITLE_MAX = 500
# A report item, an answer, a note, a reason, a comment: several paragraphs.
TEXT_MAX = 10_000


# Dates anyone may type: wide enough for any real programme, far enough from Python's limits
# (01/01/0001, 31/12/9999) that date arithmetic on them never overflows.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def check_date_range(value: date) -> None:
    """A form field validator: the date lies between EARLIEST_DATE and LATEST_DATE."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("Ngày phải từ %(first)s đến %(last)s.")
            % {"first": f"{EARLIEST_DATE:%d/%m/%Y}", "last": f"{LATEST_DATE:%d/%m/%Y}"}
        )


def check_lengths(**fields: tuple[str | None, int]) -> None:
    """Refuse, field by field, every value longer than its limit: name=(value, limit)."""
    errors = {
        name: _("Tối đa %(limit)s ký tự (đang có %(length)s).")
        % {"limit": f"{limit:,}".replace(",", "."), "length": f"{len(value):,}".replace(",", ".")}
        for name, (value, limit) in fields.items()
        if value is not None and len(value) > limit
    }
    if errors:
        raise ValidationError(errors)
