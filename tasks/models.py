"""Tasks, who must do them, and their status events (never overwritten)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Unit
from tasks.timeliness import Schedule, Status


class Source(models.Model):
    """Where tasks come from: a resolution, plan or conclusion notice."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    # The document itself (checked by nq57.uploads like evidence); served only to signed-in
    # users (tasks.programme_views.source_file). A replaced file stays: history names it.
    file = models.FileField(_("tệp văn bản"), upload_to="sources/%Y/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)  # the sender's file name
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nguồn giao nhiệm vụ")
        verbose_name_plural = _("nguồn giao nhiệm vụ")

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A section of the province report (configurable list)."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class ProgrammeGroup(models.Model):
    """A headline of the dashboard (and a programme the reports speak of): the tasks of some
    sources, of every year or of the as-of date's year only. Set by the standing office
    (services.save_programme_group); read by queries.programme_groups."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(
        _("tên"), max_length=255, help_text=_("“{year}” được thay bằng năm của ngày số liệu.")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    sources: models.ManyToManyField[Source, models.Model] = models.ManyToManyField(
        Source, verbose_name=_("nguồn"), related_name="programme_groups"
    )
    this_year_only = models.BooleanField(_("chỉ nhiệm vụ của năm số liệu"), default=False)
    # Raised by every save through the service, like Task.version: it versions the cached
    # dashboard (dashboard.cache.data_version) without reading the groups again.
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords(m2m_fields=[sources], excluded_fields=["version"])

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("nhóm nhiệm vụ")
        verbose_name_plural = _("nhóm nhiệm vụ")

    def __str__(self) -> str:
        return self.name

    def title(self, as_of: date) -> str:
        return self.name.replace("{year}", str(as_of.year))


def given_by(as_of: date, task: str = "") -> models.Q:
    """The tasks given by `as_of`, from where `task` ("task__" from an assignment) leads to
    them: a task counts from the date of the document that gave it (its source), not before.
    `Task.counts_from` is the same rule on a task read (the trend's past points)."""
    issued = f"{task}source__issued_on"
    return models.Q(**{f"{issued}__isnull": True}) | models.Q(**{f"{issued}__lte": as_of})


class Task(models.Model):
    code = models.CharField(
        _("mã"),
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(r"^[^/\s]+$", _("Mã không được chứa dấu “/” hay khoảng trắng."))
        ],
    )
    title = models.TextField(_("tên nhiệm vụ"))
    source = models.ForeignKey(Source, verbose_name=_("nguồn"), on_delete=models.PROTECT)
    area = models.ForeignKey(Area, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    coordinating_units: models.ManyToManyField[Unit, models.Model] = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị phối hợp"), blank=True, related_name="coordinated_tasks"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    start_date = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    deadline = models.DateField(
        _("thời hạn"), null=True, blank=True, help_text=_("Để trống: nhiệm vụ thường xuyên.")
    )
    expected_product = models.TextField(_("sản phẩm"), blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    responsible_person = models.CharField(
        _("người chịu trách nhiệm"),
        max_length=255,
        blank=True,
        help_text=_("Họ tên, chức vụ của người chịu trách nhiệm chính (“rõ người”)."),
    )
    # Raised in the database by every edit of the fields above (services.update_task), so the
    # sum over all tasks changes when an edit commits, whatever the order of concurrent edits:
    # it versions what is cached from tasks (dashboard.cache.data_version).
    version = models.PositiveIntegerField(default=0, editable=False)
    # The latest `TaskRevision.effective_on` (None: never revised). As of a day on or after it
    # the row is the task as it was; only for an earlier day is the task rebuilt from its
    # revisions (tasks.history), so the common reading costs nothing.
    revised_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def schedule(self) -> Schedule:
        return Schedule(self.start_date, self.deadline)

    @property
    def counts_from(self) -> date | None:
        """The first day the task counts (see `given_by`); None: always."""
        return self.source.issued_on


def active_on(day: date, assignment: str = "") -> models.Q:
    """The assignments that hold on `day`, from where `assignment` ("assignment__" from an
    event) leads to them: given by then (`active_from`, None: since always) and not ended
    before it (`ended_on` is the last day the unit carries the task, None: still)."""
    start, end = f"{assignment}active_from", f"{assignment}ended_on"
    return (models.Q(**{f"{start}__isnull": True}) | models.Q(**{f"{start}__lte": day})) & (
        models.Q(**{f"{end}__isnull": True}) | models.Q(**{f"{end}__gte": day})
    )


class Assignment(models.Model):
    """A unit that must carry out the task, over a span of days. A task given to all 130
    communes has 130; an ordinary task has one, for its lead unit. Each completes separately.
    Giving the task to a unit later starts an assignment `active_from` that day; taking it
    away (or a merge carrying it to the successor) ends it (`ended_on`): the row and its
    events stay, so every figure before that day counts as it did (`active_on`). A unit holds
    at most one open assignment of a task; one given again after a gap gets a new row."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments")
    active_from = models.DateField(_("giao từ ngày"), null=True, blank=True)
    ended_on = models.DateField(_("thôi thực hiện sau ngày"), null=True, blank=True)
    # A copy of the latest status event, written by services.record_status in the event's
    # transaction. Events are never dated before the latest one, so this is the state as of
    # any day on or after `latest_date`: a dashboard reads it for tens of thousands of
    # assignments without probing their events (tasks.queries falls back to them before).
    latest_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    latest_date = models.DateField(null=True, blank=True)
    latest_progress = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task", "unit"],
                condition=models.Q(ended_on__isnull=True),
                name="tasks_assignment_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(active_from__isnull=True)
                | models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("active_from")),
                name="tasks_assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.unit.code}"

    def holds_on(self, day: date) -> bool:
        """`active_on` for one assignment read."""
        started = self.active_from is None or self.active_from <= day
        return started and (self.ended_on is None or self.ended_on >= day)


class AssigneeChange(models.Model):
    """A unit given the task or taken off it from a date, by whom, when and why: appended by
    tasks.services (assign_units, end_assignments) and by the carry of a merge or split
    (tasks.receivers), never edited. The assignments' spans are the state; this is their log."""

    class Kind(models.TextChoices):
        ADDED = "added", _("Giao thêm")
        REMOVED = "removed", _("Thôi giao")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignee_changes")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("thay đổi"), max_length=10, choices=Kind.choices)
    effective_on = models.DateField(_("ngày hiệu lực"))
    reason = models.TextField(_("lý do"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("thay đổi đơn vị thực hiện")
        verbose_name_plural = _("thay đổi đơn vị thực hiện")

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind} {self.unit_id} {self.effective_on}"


_CHANGES = ~models.Q(status=models.F("previous_status"))


class StatusEvent(models.Model):
    """What an assignee said about the task on a date. The current state is the latest event; any
    past state is the latest event on or before that date. Rows are only ever added."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices)
    effective_date = models.DateField(_("ngày cập nhật"))
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    note = models.TextField(_("ghi chú"), blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    # The assignment's status before this event ("" for its first). The trend follows status
    # changes only: monthly updates that repeat the status are left out by a partial index.
    previous_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    evidence_file = models.FileField(_("tệp minh chứng"), upload_to="evidence/%Y/", blank=True)
    evidence_number = models.CharField(_("số văn bản minh chứng"), max_length=60, blank=True)
    evidence_date = models.DateField(_("ngày văn bản minh chứng"), null=True, blank=True)
    evidence_link = models.URLField(_("đường dẫn minh chứng"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_date", "id"]
        indexes = [
            models.Index(fields=["assignment", "effective_date", "id"]),
            # Status changes only (a tenth of the events): by date for a country's trend, by
            # assignment for a province's (the planner picks).
            models.Index(
                fields=["effective_date"], condition=_CHANGES, name="tasks_event_change_date"
            ),
            models.Index(
                fields=["assignment", "effective_date"],
                condition=_CHANGES,
                name="tasks_event_change_assignee",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="tasks_event_progress_max_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} {self.status} {self.effective_date}"


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Ý kiến")  # the lead unit's (or the standing office's) word
    PART = "part", _("Phần phối hợp")  # what a coordinating unit did for the task


class TaskComment(models.Model):
    """A word on a task, shown on its page: the lead unit's comment to the assignees, or a
    coordinating unit's account of its part. Rows are only ever added (services.add_comment)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=10, choices=CommentKind.choices)
    text = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["task", "created_at"])]
        verbose_name = _("ý kiến về nhiệm vụ")
        verbose_name_plural = _("ý kiến về nhiệm vụ")

    def __str__(self) -> str:
        return f"{self.task.code} · {self.unit.code} · {self.kind}"


class TaskReminder(models.Model):
    """The lead unit's reminder to one late assignee on one day. The unique constraint makes
    the reminder button safe to press any number of times: once a day per assignee."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task", "unit", "day"], name="tasks_one_reminder_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.unit.code} · {self.day}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    APPROVED = "approved", _("Đã đồng ý")
    REFUSED = "refused", _("Không đồng ý")


class DeadlineExtension(models.Model):
    """A lead unit's request to move a task's deadline (gia hạn), decided by the standing office.
    An approval changes the deadline through a `TaskRevision` effective from the decision's day,
    so figures before it keep the deadline they had."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    current_deadline = models.DateField(_("thời hạn khi đề nghị"), null=True, blank=True)
    requested_deadline = models.DateField(_("thời hạn đề nghị"))
    reason = models.TextField(_("lý do"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("ngày đề nghị"), auto_now_add=True)
    state = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=ExtensionState.choices,
        default=ExtensionState.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(_("ngày quyết định"), null=True, blank=True)
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        constraints = [
            # One open request per task: a second one waits for the first decision.
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(state="pending"),
                name="tasks_extension_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task.code} → {self.requested_deadline}"


class TaskRevision(models.Model):
    """A dated change of a task's attributes: `changes` maps each changed field to its
    [before, after] (dates as ISO text, related rows by id, coordinating units as a sorted list
    of ids). From `effective_on` on the task reads "after", before it "before"
    (tasks.history). Rows are only ever added, never dated before the task's latest one."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="revisions")
    changes = models.JSONField(_("thay đổi"))
    effective_on = models.DateField(_("áp dụng từ ngày"))
    reason = models.TextField(_("lý do"), blank=True)
    extension = models.OneToOneField(
        DeadlineExtension,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revision",
        verbose_name=_("gia hạn"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "id"]
        verbose_name = _("thay đổi nhiệm vụ")
        verbose_name_plural = _("thay đổi nhiệm vụ")
        indexes = [
            models.Index(fields=["effective_on"]),
            models.Index(fields=["task", "effective_on", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} {self.effective_on}: {', '.join(self.changes)}"
