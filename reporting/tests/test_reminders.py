"""Reminders by the clock and by hand, and the return notice, through a real local SMTP server."""

from __future__ import annotations

import email
import email.policy
import io
import socket
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum

from notifications.models import Notification
from org.models import Role
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory
from periods.models import Period, PeriodKind
from reporting import reminders, services
from reporting.jobs import send_due_reminders_task
from reporting.models import ReminderLog, UnitReport
from reporting.reminders import remind_unsubmitted, send_due_reminders, trigger_at

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = datetime(2025, 10, 5, 17, 0, tzinfo=TZ)


def local(day: str, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tzinfo=TZ)


@pytest.fixture(autouse=True)
def _rules(settings) -> None:
    settings.REPORT_REMINDER_DAYS_BEFORE = [3, 1]
    settings.REPORT_REMINDER_LATE_EVERY_DAYS = 2


@pytest.fixture
def period(people: People, tree: Tree) -> Period:
    return services.create_period(
        actor=people.standing, code="2025-Q3", kind=PeriodKind.QUARTER, title="Quý III/2025",
        starts_on=date(2025, 7, 1), ends_on=date(2025, 9, 30),
        opens_at=local("2025-09-25", 0), due_at=DUE,
        units=[tree.commune, tree.other_commune, tree.dept],
    )  # fmt: skip


# --- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "trigger"),
    [
        (local("2025-10-01", 23, 59), None),  # 4 days before
        (local("2025-10-02", 0, 0), "before-3"),
        (local("2025-10-03", 18), "before-3"),  # 2 days left: still the 3-day trigger
        (local("2025-10-04", 0, 5), "before-1"),
        (local("2025-10-05", 0, 5), "due"),
        (local("2025-10-05", 17, 0), "due"),  # the due time itself is not late yet
        (local("2025-10-05", 17, 1), None),  # late, but no late reminder on the due date
        (local("2025-10-06", 12), None),
        (local("2025-10-07", 0, 1), "late-2"),
        (local("2025-10-08", 20), "late-2"),  # a missed day is caught up, not skipped
        (local("2025-10-09", 8), "late-4"),
        (local("2025-11-04", 8), "late-30"),
    ],
)
def test_the_trigger_in_force_at_each_moment(now: datetime, trigger: str | None) -> None:
    assert trigger_at(DUE, now) == trigger


def test_a_period_opened_late_sends_only_the_tightest_trigger(settings) -> None:
    assert trigger_at(DUE, local("2025-10-04", 9)) == "before-1"  # never before-3 as well
    settings.REPORT_REMINDER_DAYS_BEFORE = []
    assert trigger_at(DUE, local("2025-10-04", 9)) is None
    settings.REPORT_REMINDER_LATE_EVERY_DAYS = 0
    assert trigger_at(DUE, local("2025-10-30", 9)) is None  # late reminders turned off
    settings.REPORT_REMINDER_LATE_EVERY_DAYS = 1
    assert trigger_at(DUE, local("2025-10-06", 9)) == "late-1"


# --- the walk through a real SMTP server -----------------------------------------------------


@dataclass
class Inbox:
    """What the local SMTP server received: (recipient, subject, body) per delivered copy."""

    received: list[tuple[str, str, str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(("plain",)).get_content()
        for rcpt in envelope.rcpt_tos:
            self.received.append((rcpt, str(message["subject"]).strip(), body))
        return "250 Message accepted for delivery"

    def take(self) -> list[tuple[str, str, str]]:
        taken, self.received = self.received, []
        return taken


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield inbox
    finally:
        controller.stop()


def test_each_unit_gets_one_email_per_trigger_and_none_after_submitting(
    people: People, tree: Tree, period: Period, smtp: Inbox, django_capture_on_commit_callbacks
) -> None:
    """From the opening to a week after the due date, the hourly job runs five times a day.

    16681 submits on 04/10, is returned on 08/10 at 10:00 (so it owes the report again: the
    late-2 reminder it never got goes out at the next run) and resubmits on 09/10 at 14:00;
    16690 submits late on 08/10 at 12:00; SKHCN never does."""
    UserFactory(username="gone", unit=tree.commune, role=Role.REPORTER, is_active=False)
    UserFactory(username="xem", unit=tree.commune, role=Role.VIEWER)
    head_16690 = UserFactory(username="ld2", unit=tree.other_commune, role=Role.UNIT_HEAD)
    ward = services.start_report(actor=people.reporter, unit=tree.commune, period=period)
    other = services.start_report(
        actor=people.other_reporter, unit=tree.other_commune, period=period
    )

    def fresh(report: UnitReport) -> UnitReport:
        return UnitReport.objects.get(pk=report.pk)

    events = {
        local("2025-10-04", 10): lambda: services.submit_report(
            actor=people.reporter, report=fresh(ward)
        ),
        local("2025-10-08", 10): lambda: services.return_report(
            actor=people.head, report=fresh(ward), comment="Bổ sung kết quả Bình dân học vụ số"
        ),
        local("2025-10-08", 12): lambda: services.submit_report(
            actor=people.other_reporter, report=fresh(other)
        ),
        local("2025-10-09", 14): lambda: services.submit_report(
            actor=people.reporter, report=fresh(ward)
        ),
    }
    mails: dict[str, list[tuple[date, str]]] = defaultdict(list)
    day = date(2025, 9, 25)
    while day <= date(2025, 10, 12):
        for hour, minute in [(0, 30), (8, 15), (10, 0), (12, 0), (14, 0), (17, 30), (23, 30)]:
            moment = datetime.combine(day, time(hour, minute), tzinfo=TZ)
            with (
                time_machine.travel(moment, tick=False),
                django_capture_on_commit_callbacks(execute=True),
            ):
                if moment in events:
                    events[moment]()
                if hour != 10:  # the job does not run at every hour (the catch-up still works)
                    send_due_reminders_task.enqueue()
                    send_due_reminders_task.enqueue()  # a second run at once: sends nothing
            for rcpt, subject, body in smtp.take():
                mails[rcpt].append((day, body if "trả lại" in subject else subject))
        day += timedelta(days=1)

    def sent_on(username: str) -> list[str]:
        return [f"{d:%d/%m}" for d, _ in mails[f"{username}@example.vn"]]

    # 16681: before-3, before-1 (submitted later that day), the return notice, late-2, late-4
    assert sent_on("bc") == ["02/10", "04/10", "08/10", "08/10", "09/10"]
    assert "Bổ sung kết quả Bình dân học vụ số" in mails["bc@example.vn"][2][1]
    # its head: the same reminders, and each submission to approve (the return: reporters only)
    assert sent_on("ldx") == ["02/10", "04/10", "04/10", "08/10", "09/10", "09/10"]
    assert mails["ldx@example.vn"][2][1] == "[NQ57] Báo cáo Quý III/2025 chờ duyệt"
    # 16690: before-3, before-1, due, late-2 (submitted on 08/10, to its head)
    assert sent_on("bc2") == ["02/10", "04/10", "05/10", "07/10"]
    assert sent_on("ld2") == ["02/10", "04/10", "05/10", "07/10", "08/10"]
    # SKHCN: all six
    assert sent_on("bcs") == ["02/10", "04/10", "05/10", "07/10", "09/10", "11/10"]
    assert not mails["gone@example.vn"] and not mails["xem@example.vn"]
    assert mails["bcs@example.vn"][0][1] == "[NQ57] Nhắc nộp báo cáo Quý III/2025"
    assert mails["bcs@example.vn"][-1][1] == "[NQ57] Báo cáo Quý III/2025 đã quá hạn"

    logged = Counter(ReminderLog.objects.values_list("unit__code", "trigger"))
    assert set(logged.values()) == {1}
    assert sorted(t for u, t in logged if u == "SKHCN") == [
        "before-1", "before-3", "due", "late-2", "late-4", "late-6",
    ]  # fmt: skip
    # every e-mail has its in-app twin (unread reminders of one report fold into one row)
    for user in (people.reporter, people.head, people.other_reporter, head_16690):
        in_app = Notification.objects.filter(recipient=user).aggregate(n=Sum("count"))["n"]
        assert in_app == len(mails[user.email])


def test_the_texts_name_the_unit_the_due_time_and_the_days(
    people: People, tree: Tree, period: Period, django_capture_on_commit_callbacks
) -> None:
    runs = [local("2025-10-03", 8), local("2025-10-05", 8), local("2025-10-09", 8)]
    for moment in runs:
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            send_due_reminders(now=moment)
    texts = [
        "Báo cáo Quý III/2025 của Đơn vị 16681 hạn nộp 17:00 ngày 05/10/2025, còn 2 ngày.",
        "Hôm nay là hạn nộp báo cáo Quý III/2025 của Đơn vị 16681 (hạn 17:00 ngày 05/10/2025).",
        "Báo cáo Quý III/2025 của Đơn vị 16681 đã quá hạn 4 ngày (hạn 17:00 ngày 05/10/2025) mà "
        "chưa nộp. Đề nghị đơn vị hoàn thành và nộp ngay.",
    ]
    # each run's reminder is mailed; in the app, unread, the latest takes the earlier's place
    mailed = [m.body for m in mail.outbox if m.to == [people.reporter.email]]
    assert [body.split("\n")[0] for body in mailed] == texts
    assert "/reports/2025-Q3/16681/" in mailed[0]
    notification = Notification.objects.get(recipient=people.reporter)
    assert (notification.text, notification.count) == (texts[-1], 3)
    assert notification.url == "/reports/2025-Q3/16681/"  # a link to the report


def test_two_workers_racing_send_once(
    people: People, period: Period, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """A second worker that read the log before the first one wrote it is stopped by the
    unique row: it claims nothing and sends nothing."""
    moment = local("2025-10-05", 8)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(now=moment) == 3
    monkeypatch.setattr(reminders, "_already_sent", lambda period, trigger: set())
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(now=moment) == 0
    assert len(mail.outbox) == 4  # bc, ldx (16681), bc2 (16690), bcs (SKHCN)
    assert ReminderLog.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_on_postgresql(people: People, period: Period, monkeypatch) -> None:
    """Two real workers (threads with their own connections) run the same moment together, both
    past the pre-check: the unique row lets each unit through once. PostgreSQL only: SQLite has
    a single writer, so there is no race to lose."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers")
    monkeypatch.setattr(reminders, "_already_sent", lambda period, trigger: set())
    start, results = threading.Barrier(2), []

    def worker() -> None:
        try:
            start.wait()
            results.append(send_due_reminders(now=local("2025-10-05", 8)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 3 and ReminderLog.objects.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "bc2@example.vn", "bc@example.vn", "bcs@example.vn", "ldx@example.vn",
    ]  # fmt: skip


def test_closed_and_unopened_periods_send_nothing(
    people: People, tree: Tree, period: Period
) -> None:
    Period.objects.filter(pk=period.pk).update(closes_at=local("2025-10-04", 0))
    assert send_due_reminders(now=local("2025-10-05", 8)) == 0
    Period.objects.filter(pk=period.pk).update(
        closes_at=None, opens_at=local("2025-10-06", 0), due_at=local("2025-10-10", 17)
    )
    assert send_due_reminders(now=local("2025-10-05", 8)) == 0
    assert send_due_reminders(now=local("2025-10-07", 8)) == 3  # open, 3 days left
    assert not ReminderLog.objects.filter(trigger="due").exists()


def test_units_without_anyone_to_tell_are_logged_but_not_counted(
    people: People, tree: Tree, period: Period
) -> None:
    people.dept_reporter.is_active = False
    people.dept_reporter.save()
    assert send_due_reminders(now=local("2025-10-05", 8)) == 2
    assert ReminderLog.objects.filter(unit=tree.dept, trigger="due").exists()


# --- by hand, from the board -----------------------------------------------------------------


def test_the_board_action_reminds_the_unsubmitted_once_a_minute(
    people: People, tree: Tree, period: Period, django_capture_on_commit_callbacks
) -> None:
    report = services.start_report(actor=people.dept_reporter, unit=tree.dept, period=period)
    services.submit_report(actor=people.dept_reporter, report=report)
    with time_machine.travel(local("2025-10-03", 9, 15), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_unsubmitted(actor=people.standing, period=period) == 2
        assert remind_unsubmitted(actor=people.standing, period=period) == 0  # double click
    with time_machine.travel(local("2025-10-03", 9, 16), tick=False):
        assert remind_unsubmitted(actor=people.standing, period=period) == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "bc2@example.vn", "bc@example.vn", "ldx@example.vn",
    ]  # fmt: skip
    assert mail.outbox[0].body.startswith("Cơ quan thường trực nhắc: báo cáo Quý III/2025")
    assert set(ReminderLog.objects.values_list("trigger", flat=True)) == {
        "manual-202510030915",
        "manual-202510030916",
    }


@pytest.mark.parametrize(("actor", "error"), [("reporter", PermissionDenied),
                                              ("head", PermissionDenied),
                                              ("province_viewer", PermissionDenied),
                                              ("communes_admin", PermissionDenied)])  # fmt: skip
def test_only_the_standing_office_reminds_by_hand(
    people: People, period: Period, actor: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        remind_unsubmitted(actor=getattr(people, actor), period=period)
    assert not ReminderLog.objects.exists() and not Notification.objects.exists()


def test_no_reminder_by_hand_outside_the_open_window(people: People, period: Period) -> None:
    Period.objects.filter(pk=period.pk).update(closes_at=local("2025-10-01", 0))
    period.refresh_from_db()
    with pytest.raises(ValidationError):
        remind_unsubmitted(actor=people.sysadmin, period=period)


# --- the job's entry points and the return notice ---------------------------------------------


def test_the_command_queues_the_job_or_runs_it_inline(people: People, period: Period) -> None:
    out = io.StringIO()
    with time_machine.travel(local("2025-10-02", 8), tick=False):
        call_command("send_reminders", "--now", stdout=out)
        call_command("send_reminders", stdout=out)  # the test backend runs queued jobs at once
    lines = out.getvalue().splitlines()
    assert lines[0] == "Reminders sent: 3." and lines[1].startswith("Reminder job queued: ")
    assert ReminderLog.objects.filter(trigger="before-3").count() == 3


def test_a_return_notifies_the_reporters_in_the_app_and_by_email(
    people: People, tree: Tree, period: Period, django_capture_on_commit_callbacks
) -> None:
    second = UserFactory(username="bc-b", unit=tree.commune, role=Role.REPORTER)
    report = services.start_report(actor=people.reporter, unit=tree.commune, period=period)
    report = services.submit_report(actor=people.reporter, report=report)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(actor=people.head, report=report, comment="Thiếu số liệu <quý>")
    notes = Notification.objects.order_by("recipient__username")
    assert [n.recipient for n in notes] == [people.reporter, second]
    assert notes[0].text.startswith("Báo cáo Quý III/2025 của Đơn vị 16681 đã bị trả lại bởi")
    assert notes[0].text.endswith("Ý kiến: Thiếu số liệu <quý>")  # not HTML-escaped
    assert sorted(m.to[0] for m in mail.outbox) == ["bc-b@example.vn", "bc@example.vn"]
    assert mail.outbox[0].subject == "[NQ57] Báo cáo Quý III/2025 bị trả lại"
