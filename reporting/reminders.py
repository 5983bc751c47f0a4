"""Reminders to units that have not submitted a period's report yet: by the clock (the hourly
job `send_reminders`) and by hand (the board's one action).

When a reminder is due. Every trigger is tied to a calendar day in the province's time zone
(settings.TIME_ZONE), and goes out with the first run of the job on that day (or the first run
after it, if the job was down):

* `before-N`, for N in settings.REPORT_REMINDER_DAYS_BEFORE, on the days before the due date:
  on a day with D days left, the trigger is the one with the smallest N ≥ D. With [3, 1] and a
  due date on the 5th: `before-3` goes out on the 2nd (or the 3rd or 4th if the period opened
  late), `before-1` on the 4th. Only the tightest trigger is ever considered, so a period opened
  the day before its due date sends `before-1` only, never `before-3` as well.
* `due`, on the due date itself until the due time.
* `late-K`, once the due time has passed, on the days K = E, 2E, 3E… after the due date, where
  E = settings.REPORT_REMINDER_LATE_EVERY_DAYS (0 turns late reminders off); a missed day is
  caught up by the next run (K is the last multiple of E reached).
* `manual-<YYYYmmddHHMM>`, by the standing office from the board.

Who gets one: every required unit of an open period (opened, not closed) that has not submitted
its report (none yet, a draft, or a returned one); each of its active reporters and unit heads
gets an in-app notification and an e-mail.

Never twice. Each (period, unit, trigger) is claimed by inserting its ReminderLog row (unique)
before anything is sent, in the same transaction as the notifications; a run, or a second worker,
that meets the row already there skips the unit. Running the job any number of times, or on two
workers at once, sends each reminder once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify
from org import access
from org.access import Action
from org.models import Role, Unit, User
from periods.calendar import is_open, open_periods
from periods.models import Period
from reporting.models import EDITABLE_STATES, ReminderLog, UnitReport
from reporting.queries import report_url

RECIPIENT_ROLES = (Role.REPORTER, Role.UNIT_HEAD)


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))


def trigger_at(due_at: datetime, now: datetime) -> str | None:
    """The reminder trigger in force at `now` for a period due at `due_at` (see the module)."""
    due_day, today = _local(due_at).date(), _local(now).date()
    if now > due_at:
        every = settings.REPORT_REMINDER_LATE_EVERY_DAYS
        days_late = (today - due_day).days
        if every <= 0 or days_late < every:
            return None
        return f"late-{days_late // every * every}"
    if today == due_day:
        return "due"
    days_left = (due_day - today).days
    applicable = [n for n in settings.REPORT_REMINDER_DAYS_BEFORE if n >= days_left]
    return f"before-{min(applicable)}" if applicable else None


def send_due_reminders(*, now: datetime) -> int:
    """Send the reminders in force at `now` that were not sent yet; returns how many (unit,
    trigger) reminders went out (a unit without an active reporter or head counts as none)."""
    sent = 0
    for period in open_periods(now).order_by("due_at", "code"):
        trigger = trigger_at(period.due_at, now)
        if trigger is not None:
            sent += _remind(period, trigger, unsubmitted_units(period), now)
    return sent


def remind_unsubmitted(*, actor: User, period: Period) -> int:
    """The board's action: remind every unit that has not submitted, now. A second click within
    the same minute sends nothing more. Only while the period is open."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    units = unsubmitted_units(period)
    for unit in units:
        access.authorize(actor, Action.MANAGE_PROGRAMME, unit)
    now = timezone.now()
    if not is_open(period, now):
        raise ValidationError(_("Kỳ báo cáo chưa mở hoặc đã đóng, không gửi nhắc được."))
    return _remind(period, f"manual-{_local(now):%Y%m%d%H%M}", units, now)


def unsubmitted_units(period: Period) -> list[Unit]:
    """Required units with no report yet, a draft, or a returned report, in tree order."""
    submitted = UnitReport.objects.filter(period=period).exclude(state__in=EDITABLE_STATES)
    return list(period.required_units.exclude(pk__in=submitted.values("unit")).order_by("path"))


def _already_sent(period: Period, trigger: str) -> set[int]:
    """Units already reminded for the trigger: skipped without trying (the insert in `_claim`
    is what decides, this only spares the hourly run a failed insert per unit)."""
    return set(
        ReminderLog.objects.filter(period=period, trigger=trigger).values_list("unit_id", flat=True)
    )


def _remind(period: Period, trigger: str, units: Sequence[Unit], now: datetime) -> int:
    already = _already_sent(period, trigger)
    units = [unit for unit in units if unit.pk not in already]
    if not units:
        return 0
    people: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(unit__in=units, role__in=RECIPIENT_ROLES, is_active=True):
        people[user.unit_id].append(user)
    subject = _subject(period, trigger)
    sent = 0
    for unit in units:
        with transaction.atomic():
            if not _claim(period, unit, trigger):
                continue  # another run got there first
            notified = notify(
                recipients=people[unit.pk],
                text=_text(period, unit, trigger, now),
                url=report_url(period.code, unit.code),
                email_subject=subject,
                key=f"reminder:{period.code}:{unit.code}",  # the latest replaces an unread one
            )
        sent += bool(notified)
    return sent


def _claim(period: Period, unit: Unit, trigger: str) -> bool:
    """Insert the log row first: the unique constraint lets exactly one run through."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(period=period, unit=unit, trigger=trigger)
    except IntegrityError:
        return False
    return True


def _subject(period: Period, trigger: str) -> str:
    if trigger.startswith("late-"):
        return _("[NQ57] Báo cáo %(period)s đã quá hạn") % {"period": period.title}
    return _("[NQ57] Nhắc nộp báo cáo %(period)s") % {"period": period.title}


def _text(period: Period, unit: Unit, trigger: str, now: datetime) -> str:
    due = _local(period.due_at)
    values = {
        "period": period.title,
        "unit": unit.name,
        "due": _("%(time)s ngày %(date)s") % {"time": f"{due:%H:%M}", "date": f"{due:%d/%m/%Y}"},
        "days": abs((due.date() - _local(now).date()).days),
    }
    if trigger.startswith("before-"):
        text = _("Báo cáo %(period)s của %(unit)s hạn nộp %(due)s, còn %(days)s ngày.")
    elif trigger == "due":
        text = _("Hôm nay là hạn nộp báo cáo %(period)s của %(unit)s (hạn %(due)s).")
    elif trigger.startswith("late-"):
        text = _(
            "Báo cáo %(period)s của %(unit)s đã quá hạn %(days)s ngày (hạn %(due)s) mà chưa "
            "nộp. Đề nghị đơn vị hoàn thành và nộp ngay."
        )
    else:
        text = _(
            "Cơ quan thường trực nhắc: báo cáo %(period)s của %(unit)s chưa nộp, hạn nộp %(due)s."
        )
    return text % values
