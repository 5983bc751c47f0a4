"""A national-size BENCHMARK dataset: 34 provinces, 3,321 communes, three years of monthly task
updates, unit reports and figures (`manage.py generate_dataset`).

This is not demo data. The demo (demo.tree, demo.tasks, ...) goes through the services as a user
would, which at this size would take hours; here the rows are computed in memory from one
`random.Random(seed)` and written straight to the tables, in batches (PostgreSQL: COPY). No
permission is checked, no history row (simple-history) is written and no workflow transition
is recorded: the data only has to have the shape and the volume the pages read.

The whole country is the 34 roots (one PROVINCE tree each, no country node). Each province has
a Steering Committee and its standing office, the demo's blocs and 25 agencies (demo's list), its
share of the communes, ~100 tasks of its own given to one to three agencies, ~20 tasks given to
all its communes, a monthly status event for every assignment from its start until it is done
(or the end of the span), a report per reporting unit per month and quarter, and figures of the
demo's data elements (plus three monthly ones every reporting unit enters) for every period.
The span ends on END (31/12/2025) and goes back `years` whole years.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models

from demo.accounts import DEMO_PASSWORD
from demo.indicators import ELEMENTS, INDICATORS, LEGAL, METHODS, REPORTERS, SETS, ElementSpec
from demo.reports import AGENCY_DIFFICULTIES, COMMUNE_DIFFICULTIES, COMMUNE_PROPOSALS, MONTHLY_NOTES
from demo.tasks import AREAS, CDS_POOL, KH02_TASKS, NQ57_POOL, NQ71_POOL, PROGRAMME_GROUPS
from demo.tree import BLOCS, COMMUNE_BLOC, STANDING, read_csv
from indicators.models import (
    DataElement,
    DataValue,
    Evaluation,
    Indicator,
    IndicatorSet,
    Target,
    ValueType,
)
from nq57.text import fold
from org.models import Role, Unit, UnitType, User
from periods.models import Period, PeriodKind
from reporting.models import ReportState, Section, SectionKind, UnitReport
from tasks.models import Area, Assignment, ProgrammeGroup, Source, StatusEvent, Task
from tasks.timeliness import Status

# Every model the generator writes rows of (the M2M tables come with their models).
GENERATED_MODELS: tuple[type[models.Model], ...] = (
    Unit, User, Area, Source, ProgrammeGroup, Task, Assignment, StatusEvent, Period, UnitReport,
    Section, DataElement, DataValue, Indicator, Target,
)  # fmt: skip


def occupied_tables() -> list[str]:
    """The generated tables that already have rows: the generator only fills empty ones."""
    return [m._meta.db_table for m in GENERATED_MODELS if m._default_manager.exists()]


TZ = ZoneInfo("Asia/Ho_Chi_Minh")
END = date(2025, 12, 31)
TASKS_PER_PROVINCE = 100
COMMUNE_TASKS_PER_PROVINCE = 20
# The 34 provinces and cities since 01/7/2025; more provinces (tests, what-ifs) get numbers.
PROVINCE_NAMES = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh",
    "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)  # fmt: skip
COMMUNE_NAMES = (
    "An", "Bình", "Châu", "Diễn", "Đông", "Hòa", "Hưng", "Kim", "Long", "Minh", "Nam", "Nghĩa",
    "Phú", "Phúc", "Quang", "Sơn", "Tân", "Thạch", "Thanh", "Thịnh", "Thuận", "Trung", "Vĩnh",
    "Xuân", "Yên",
)  # fmt: skip
STEERING_NAME = (
    "Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số, cải cách "
    "hành chính và Đề án 06 {province}"
)
# Monthly figures every reporting unit enters, so there is a value for every unit and month.
MONTHLY_ELEMENTS = (
    ("TH_HS_TT", ValueType.COUNT, "hồ sơ", "Hồ sơ thủ tục hành chính nộp trực tuyến trong tháng"),
    ("TH_HS_TONG", ValueType.COUNT, "hồ sơ", "Hồ sơ thủ tục hành chính tiếp nhận trong tháng"),
    ("TH_VB_DT", ValueType.COUNT, "văn bản", "Văn bản đi được ký số, gửi điện tử trong tháng"),
)
MONTHLY_INDICATOR = (
    "TH_TL_TT",
    "NTS",
    "ratio(TH_HS_TT, TH_HS_TONG)",
    "Tỷ lệ hồ sơ nộp trực tuyến trong tháng",
)
ROMAN = ("I", "II", "III", "IV")
Log = Callable[[str], None]


@dataclass(frozen=True)
class Size:
    provinces: int = 34
    communes: int = 3321
    years: int = 3
    seed: int = 57

    @property
    def start(self) -> date:
        return date(END.year - self.years + 1, 1, 1)

    def as_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    first = date(index // 12, index % 12 + 1, 1)
    return first.replace(day=min(day.day, _month_end(first).day))


def _months(start: date, end: date) -> Iterator[date]:
    """The first day of every month from start's to end's."""
    day = start.replace(day=1)
    while day <= end:
        yield day
        day = _add_months(day, 1)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` uneven shares (0.5–1.5 of the mean) that add up exactly."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    shares = [int(total * w / sum(weights)) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    return shares


class _Writer:
    """Inserts rows given as tuples: COPY on PostgreSQL, executemany elsewhere (tests)."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"

    def insert(
        self, model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
    ) -> int:
        """Every concrete column not named takes its field default (checked once here)."""
        table = model._meta.db_table
        names = list(columns)
        defaults: list[Any] = []
        for f in model._meta.concrete_fields:
            if f.attname in columns or f.primary_key:
                continue
            value = f.get_default()
            if value is None and not f.null:
                raise ValueError(f"{table}.{f.attname} needs a value")
            names.append(f.column)
            defaults.append(value)
        tail = tuple(defaults)
        quoted = ", ".join(connection.ops.quote_name(n) for n in names)
        if self.postgres:
            return self._copy(table, quoted, (row + tail for row in rows))
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(names))})"
        count = 0
        batch: list[tuple[Any, ...]] = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(row + tail)
                if len(batch) == 5000:
                    cursor.executemany(sql, batch)
                    count, batch = count + len(batch), []
            if batch:
                cursor.executemany(sql, batch)
        return count + len(batch)

    def update(
        self, model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        """Set `columns` of the rows whose id ends each tuple."""
        sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)

    def _copy(self, table: str, quoted: str, rows: Iterable[tuple[Any, ...]]) -> int:
        count = 0
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def reset_sequences(self, model_list: Sequence[type[models.Model]]) -> None:
        """After rows written with explicit ids, the next id must come after them."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
                cursor.execute(sql)


def next_id(model: type[models.Model]) -> int:
    last = model._default_manager.aggregate(top=models.Max("pk"))["top"]
    return (last or 0) + 1


@dataclass
class _Province:
    number: int
    name: str
    root: Unit
    agencies: dict[str, Unit] = field(default_factory=dict)  # by the demo's code (SKHCN, ...)
    communes: list[Unit] = field(default_factory=list)

    @property
    def code(self) -> str:
        return f"P{self.number:02d}"

    @property
    def reporting(self) -> list[Unit]:
        return [*self.agencies.values(), *self.communes]


@dataclass
class _Schedule:
    assignment_id: int
    start: date
    deadline: date | None


class NationalDataset:
    """Builds the dataset: `NationalDataset(size, log).generate()` on an empty database."""

    def __init__(self, size: Size, log: Log) -> None:
        self.size = size
        self.rng = random.Random(size.seed)
        self.log = log
        self.writer = _Writer()
        self.provinces: list[_Province] = []
        self.areas: dict[str, Area] = {}
        self.sources: dict[str, Source] = {}
        self.schedules: list[_Schedule] = []
        self.periods: list[Period] = []
        self.counts: dict[str, int] = {}

    def generate(self) -> dict[str, int]:
        steps = (
            ("units", self.units),
            ("accounts", self.accounts),
            ("tasks", self.tasks),
            ("status events", self.events),
            ("periods and reports", self.reports),
            ("indicators and figures", self.figures),
        )
        for label, step in steps:
            started = datetime.now()
            step()
            self.log(f"  {label}: {(datetime.now() - started).total_seconds():.1f} s")
        return self.counts

    # --- the tree ------------------------------------------------------------------------------
    def units(self) -> None:
        shares = _split(self.size.communes, self.size.provinces, self.rng)
        agencies = read_csv("nghean-agencies.csv")
        nodes: list[Unit] = []
        for number in range(1, self.size.provinces + 1):
            province = self._province_tree(number, agencies, shares[number - 1], nodes)
            self.provinces.append(province)
        for unit in nodes:
            unit.search_text = fold(f"{unit.code} {unit.name}")
        Unit.objects.bulk_create(nodes, batch_size=2000)
        self.counts["units"] = len(nodes)

    def _province_tree(
        self, number: int, agencies: list[dict[str, str]], communes: int, nodes: list[Unit]
    ) -> _Province:
        name = PROVINCE_NAMES[number - 1] if number <= len(PROVINCE_NAMES) else f"Số {number}"
        code = f"P{number:02d}"
        builder = _TreeBuilder(nodes)
        root = builder.node(
            None, code, f"Tỉnh {name}", UnitType.PROVINCE, position=number
        )  # roots sit side by side
        province = _Province(number, name, root)
        steering = builder.node(
            root, f"{code}-BCD", STEERING_NAME.format(province=name), UnitType.STEERING
        )
        builder.node(steering, f"{code}-{STANDING[0]}", STANDING[1], UnitType.STANDING_OFFICE)
        blocs = {
            key: builder.node(root, f"{code}-{bloc.code}", bloc.name, UnitType.BLOC)
            for key, bloc in BLOCS.items()
        }
        for row in agencies:
            province.agencies[row["code"]] = builder.node(
                blocs[row["bloc"]],
                f"{code}-{row['code']}",
                f"{row['name']} ({name})",
                BLOCS[row["bloc"]].agency_type,
                is_standing_office=row["standing_office"] == "yes",
            )
        commune_bloc = builder.node(
            root, f"{code}-{COMMUNE_BLOC[0]}", COMMUNE_BLOC[1], UnitType.BLOC
        )
        for n in range(1, communes + 1):
            ward = self.rng.random() < 0.2
            word = self.rng.choice(COMMUNE_NAMES)
            province.communes.append(
                builder.node(
                    commune_bloc,
                    f"{code}-X{n:03d}",
                    f"{'Phường' if ward else 'Xã'} {word} {n}",
                    UnitType.WARD if ward else UnitType.COMMUNE,
                    cluster=f"Khu vực {1 + n % 12}",
                )
            )
        return province

    # --- accounts ------------------------------------------------------------------------------
    def accounts(self) -> None:
        password = make_password(DEMO_PASSWORD)  # one hash for all: PBKDF2 per user is slow
        joined = _at(self.size.start, 8)
        first = self.provinces[0].root
        users = [
            User(
                username="admin", full_name="Quản trị hệ thống", unit=first, role=Role.SYSADMIN,
                is_staff=True, is_superuser=True,
            )
        ]  # fmt: skip
        for province in self.provinces:
            users.append(
                User(
                    username=f"lanhdao.{province.code.lower()}",
                    full_name=f"Lãnh đạo tỉnh {province.name}",
                    unit=province.root,
                    role=Role.VIEWER,
                    scope=province.root,
                )
            )
            for unit in [province.agencies["SKHCN"], *province.communes[:2]]:
                for prefix, role in (("bc", Role.REPORTER), ("ld", Role.UNIT_HEAD)):
                    users.append(
                        User(
                            username=f"{prefix}.{unit.code.lower()}",
                            full_name=f"{'Cán bộ đầu mối' if prefix == 'bc' else 'Lãnh đạo'} "
                            f"{unit.name}",
                            unit=unit,
                            role=role,
                        )
                    )
        for user in users:
            user.password, user.date_joined = password, joined
        User.objects.bulk_create(users)
        self.counts["accounts"] = len(users)

    # --- tasks ---------------------------------------------------------------------------------
    def _programme_groups(self) -> None:
        """The demo's programme groups (the dashboard's headlines) whose sources the dataset
        has, as the standing office would have set them up."""
        groups = [
            (ProgrammeGroup(code=code, name=name, order=10 * n, this_year_only=this_year), codes)
            for n, (code, name, codes, this_year) in enumerate(PROGRAMME_GROUPS, start=1)
            if all(c in self.sources for c in codes)
        ]
        ProgrammeGroup.objects.bulk_create([group for group, _codes in groups])
        ProgrammeGroup.sources.through._default_manager.bulk_create(
            ProgrammeGroup.sources.through(programmegroup=group, source=self.sources[c])
            for group, codes in groups
            for c in codes
        )

    def tasks(self) -> None:
        self.areas = {
            a.code: a
            for a in Area.objects.bulk_create(
                [Area(code=c, name=n, order=i) for i, (c, n) in enumerate(AREAS, start=1)]
            )
        }
        issued = self.size.start
        sources = [
            Source(code="NQ71", name="Nghị quyết số 71/NQ-CP", number="71/NQ-CP",
                   issued_on=issued, issuer="Chính phủ"),
            Source(code="KH02", name="Kế hoạch số 02-KH/BCĐTW: hạ tầng, thiết bị cấp xã",
                   number="02-KH/BCĐTW", issued_on=issued, issuer="Ban Chỉ đạo Trung ương"),
        ] + [
            Source(code=f"NQ57-{p.code}", name=f"Nhiệm vụ cụ thể hóa Nghị quyết 57-NQ/TW của "
                   f"tỉnh {p.name}", issued_on=issued, issuer=f"Ban Chỉ đạo tỉnh {p.name}")
            for p in self.provinces
        ]  # fmt: skip
        self.sources = {s.code: s for s in Source.objects.bulk_create(sources)}
        self._programme_groups()
        tasks: list[Task] = []
        assignees: list[list[Unit]] = []
        coordinators: list[list[Unit]] = []
        for province in self.provinces:
            self._province_tasks(province, tasks, assignees, coordinators)
        Task.objects.bulk_create(tasks, batch_size=2000)
        through = Task.coordinating_units.through
        self.writer.insert(
            through,
            ["task_id", "unit_id"],
            ((t.pk, u.pk) for t, units in zip(tasks, coordinators, strict=True) for u in units),
        )
        first = next_id(Assignment)
        rows: list[tuple[int, int, int]] = []
        for task, units in zip(tasks, assignees, strict=True):
            for unit in units:
                assert task.start_date is not None
                schedule = _Schedule(first + len(rows), task.start_date, task.deadline)
                rows.append((schedule.assignment_id, task.pk, unit.pk))
                self.schedules.append(schedule)
        self.writer.insert(Assignment, ["id", "task_id", "unit_id"], rows)
        self.writer.reset_sequences([Assignment])
        self.counts["tasks"] = len(tasks)
        self.counts["assignments"] = len(rows)

    def _schedule(self) -> tuple[date, date | None]:
        """Deadlines spread from three months in to a year past the end; 8% recurring."""
        start_of_span = self.size.start
        if self.rng.random() < 0.08:
            months = self.rng.randrange(0, 12 * self.size.years // 2)
            return _add_months(start_of_span, months), None
        span = (END - start_of_span).days + 365 - 90
        deadline = start_of_span + timedelta(days=90 + self.rng.randrange(span))
        deadline = _month_end(deadline) if self.rng.random() < 0.6 else deadline
        start = max(start_of_span, _add_months(deadline, -self.rng.randint(6, 30)))
        return start, deadline

    def _province_tasks(
        self,
        province: _Province,
        tasks: list[Task],
        assignees: list[list[Unit]],
        coordinators: list[list[Unit]],
    ) -> None:
        agencies = list(province.agencies.values())
        pool = [(p, "NQ71") for p in NQ71_POOL] + [
            (p, f"NQ57-{province.code}") for p in NQ57_POOL + CDS_POOL
        ]
        for n in range(1, TASKS_PER_PROVINCE + 1):
            (area, lead_code, title), source = self.rng.choice(pool)
            start, deadline = self._schedule()
            lead = province.agencies.get(lead_code) or self.rng.choice(agencies)
            others = [a for a in self.rng.sample(agencies, 4) if a is not lead]
            tasks.append(self._task(f"{province.code}-NV{n:03d}", title, source, area, lead,
                                    start, deadline))  # fmt: skip
            assignees.append([lead, *others[: self.rng.randint(0, 2)]])
            coordinators.append(others[2 : 2 + self.rng.randint(0, 2)])
        lead = province.agencies["SKHCN"]
        for n in range(1, COMMUNE_TASKS_PER_PROVINCE + 1):
            area, title = KH02_TASKS[(n - 1) % len(KH02_TASKS)]
            start, deadline = self._schedule()
            tasks.append(self._task(f"{province.code}-XA{n:02d}", title, "KH02", area, lead,
                                    start, deadline))  # fmt: skip
            assignees.append(province.communes)
            coordinators.append([])

    def _task(
        self,
        code: str,
        title: str,
        source: str,
        area: str,
        lead: Unit,
        start: date,
        deadline: date | None,
    ) -> Task:
        return Task(
            code=code, title=title, source=self.sources[source], area=self.areas[area],
            lead_unit=lead, year=(deadline or start).year, start_date=start, deadline=deadline,
            expected_product="Báo cáo kết quả thực hiện",
        )  # fmt: skip

    # --- status events -------------------------------------------------------------------------
    def events(self) -> None:
        columns = ["assignment_id", "status", "previous_status", "effective_date", "progress",
                   "note", "entered_at"]  # fmt: skip
        latest: list[tuple[Any, ...]] = []
        count = self.writer.insert(StatusEvent, columns, self._event_rows(latest))
        self.writer.update(Assignment, ["latest_status", "latest_date", "latest_progress"], latest)
        self.counts["status events"] = count

    def _event_rows(self, latest: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        """Each assignee's events in order, each with the status it replaces; its last one goes
        to `latest` (what tasks.services.record_status keeps on the assignment)."""
        for schedule in self.schedules:
            previous, last = "", None
            for status, day, progress, note in self._history(schedule):
                yield (schedule.assignment_id, status, previous, day, progress, note, _at(day, 16))
                previous, last = status, (status, day, progress, schedule.assignment_id)
            if last is not None:
                latest.append(last)

    def _history(self, schedule: _Schedule) -> Iterator[tuple[str, date, int, str]]:
        """One assignee's monthly updates: mostly on track and done by the deadline, some late,
        stalled (overdue), paused, proposed for removal, or started late."""
        rng = self.rng
        day_of_month = rng.randint(15, 28)
        if schedule.deadline is None:
            for month in _months(schedule.start, END):
                yield Status.RECURRING, month.replace(day=day_of_month), 0, ""
            return
        start, deadline = schedule.start, schedule.deadline
        length = max((deadline - start).days, 30)
        fate = rng.random()
        if fate < 0.55:  # done on time
            done = start + timedelta(days=int(length * rng.uniform(0.5, 1.0)))
        elif fate < 0.72:  # done late
            done = deadline + timedelta(days=rng.randint(5, 180))
        else:  # stalled, paused, removed or started late: not done within the span
            done = END + timedelta(days=400)
        cap = 100 if fate < 0.72 else rng.choice((30, 45, 60, 80))
        begin = start + timedelta(days=int(length * 0.4)) if 0.92 <= fate < 0.97 else start
        stop_status = (
            (Status.PAUSED, "Tạm dừng chờ điều chỉnh phạm vi sau sắp xếp đơn vị hành chính.")
            if 0.97 <= fate < 0.99
            else (Status.PROPOSED_REMOVAL, "Không còn phù hợp với địa phương.")
            if fate >= 0.99
            else None
        )
        stop_at = start + timedelta(days=int(length * rng.uniform(0.2, 0.7)))
        for month in _months(begin, min(done, END)):
            day = month.replace(day=day_of_month)
            if day < begin:
                continue
            if day >= done:
                break
            if stop_status is not None and day >= stop_at:
                yield stop_status[0], day, 0, stop_status[1]
                return
            expected = 100 * (day - start).days / max((done - start).days, 1)
            progress = min(cap, 95, max(5, int(expected * rng.uniform(0.8, 1.1)) // 5 * 5))
            yield Status.IN_PROGRESS, day, progress, ""
        if done <= END:
            yield Status.COMPLETED, done, 100, "Đã hoàn thành, có văn bản báo cáo kết quả."

    # --- periods and reports -------------------------------------------------------------------
    def reports(self) -> None:
        specs = [self._month(m) for m in _months(self.size.start, END)]
        specs += [self._quarter(m) for m in _months(self.size.start, END) if m.month % 3 == 1]
        self.periods = Period.objects.bulk_create(specs)
        reporting = [u for p in self.provinces for u in p.reporting]
        through = Period.required_units.through
        self.writer.insert(
            through,
            ["period_id", "unit_id"],
            ((p.pk, u.pk) for p in self.periods for u in reporting if _active_in(u, p)),
        )
        first = next_id(UnitReport)
        reports: list[tuple[Any, ...]] = []
        sections: list[tuple[Any, ...]] = []
        latest = max(p.ends_on for p in self.periods)
        for period in self.periods:
            for index, unit in enumerate(reporting):
                if not _active_in(unit, period):
                    continue
                row = self._report(first + len(reports), period, unit, period.ends_on == latest)
                if row is None:
                    continue
                reports.append(row)
                sections.extend(self._sections(row[0], period, unit, index))
        columns = ["id", "unit_id", "period_id", "state", "first_submitted_at", "version"]
        self.writer.insert(UnitReport, columns, reports)
        self.writer.reset_sequences([UnitReport])
        columns = ["report_id", "kind", "area_id", "text", "order"]
        self.counts["sections"] = self.writer.insert(Section, columns, sections)
        self.counts["periods"] = len(self.periods)
        self.counts["unit reports"] = len(reports)

    def _month(self, first: date) -> Period:
        last = _month_end(first)
        return Period(
            code=f"{first:%Y-%m}", kind=PeriodKind.MONTH, title=f"Tháng {first.month}/{first.year}",
            starts_on=first, ends_on=last, opens_at=_at(first.replace(day=20), 7),
            due_at=_at(first.replace(day=25), 17), closes_at=_at(last + timedelta(days=15), 17),
        )  # fmt: skip

    def _quarter(self, first: date) -> Period:
        last = _month_end(_add_months(first, 2))
        quarter = (first.month - 1) // 3 + 1
        closes = _at(last + timedelta(days=20), 17) if last < END else None
        return Period(
            code=f"{first.year}-Q{quarter}", kind=PeriodKind.QUARTER,
            title=f"Quý {ROMAN[quarter - 1]}/{first.year}", starts_on=first, ends_on=last,
            opens_at=_at(last - timedelta(days=5), 7),
            due_at=_at(last + timedelta(days=5), 17), closes_at=closes,
        )  # fmt: skip

    def _report(
        self, report_id: int, period: Period, unit: Unit, latest: bool
    ) -> tuple[Any, ...] | None:
        """Mostly received on time; some late, a few missing; the latest period still moving."""
        r = self.rng.random()
        if r < 0.03:
            return None
        late = r > 0.92
        offset = timedelta(days=self.rng.randint(1, 4), hours=self.rng.randint(0, 8))
        submitted = period.due_at + offset if late else period.due_at - offset
        state = ReportState.RECEIVED
        if latest and r < 0.35:
            moving = (ReportState.DRAFT, ReportState.SUBMITTED, ReportState.APPROVED)
            state = moving[int(r * 10) % 3]
        first_submitted = None if state == ReportState.DRAFT else submitted
        return (report_id, unit.pk, period.pk, state, first_submitted, 4)

    def _sections(
        self, report_id: int, period: Period, unit: Unit, index: int
    ) -> list[tuple[Any, ...]]:
        commune = unit.unit_type in (UnitType.COMMUNE, UnitType.WARD)
        note = MONTHLY_NOTES[(index + period.ends_on.month) % len(MONTHLY_NOTES)]
        entries = [(SectionKind.RESULTS, note)]
        difficulties = COMMUNE_DIFFICULTIES if commune else AGENCY_DIFFICULTIES
        entries.append((SectionKind.DIFFICULTIES, difficulties[index % len(difficulties)]))
        if period.kind == PeriodKind.QUARTER:
            proposal = COMMUNE_PROPOSALS[(index // 2) % len(COMMUNE_PROPOSALS)]
            entries.append((SectionKind.PROPOSALS, proposal))
        return [
            (report_id, kind, self.areas[area].pk, text, order)
            for order, (kind, (area, text)) in enumerate(entries)
        ]

    # --- indicators and figures ----------------------------------------------------------------
    def figures(self) -> None:
        specs = [s for s in ELEMENTS if s.owner in ("XA", "SO") or s.reporters != "xa"]
        elements = DataElement.objects.bulk_create(
            [
                DataElement(
                    code=s.code, name=s.name, value_type=s.value_type, unit_label=s.unit_label,
                    unit_types=list(REPORTERS[s.reporters]),
                    period_kind=PeriodKind.MONTH if s.monthly else PeriodKind.QUARTER,
                )
                for s in specs
            ]
            + [
                DataElement(code=code, name=name, value_type=kind, unit_label=label,
                            period_kind=PeriodKind.MONTH)
                for code, kind, label, name in MONTHLY_ELEMENTS
            ]
        )  # fmt: skip
        owners = DataElement.reporting_units.through
        self.writer.insert(
            owners,
            ["dataelement_id", "unit_id"],
            (
                (e.pk, p.agencies[s.owner].pk)
                for s, e in zip(specs, elements, strict=False)
                if s.owner not in ("XA", "SO")
                for p in self.provinces
            ),
        )
        self._indicators()
        count = self.writer.insert(
            DataValue,
            ["unit_id", "period_id", "element_id", "value", "entered_at"],
            self._values(specs, elements),
        )
        self.counts["data elements"] = len(elements)
        self.counts["data values"] = count

    def _indicators(self) -> None:
        indicators = [
            Indicator(
                code=s.code, name=s.name, area=self.areas[s.area], formula=s.formula,
                unit_label=s.unit_label, direction=s.direction,
                evaluation=Evaluation.PROVISIONAL if s.method[0] == "~" else Evaluation.OFFICIAL,
                legal_source=LEGAL.get(s.method, ""), method_note=METHODS.get(s.method[1:], ""),
                period_kind=PeriodKind.QUARTER, order=order,
            )
            for order, s in enumerate(INDICATORS, start=1)
        ]  # fmt: skip
        code, area, formula, name = MONTHLY_INDICATOR
        indicators.append(
            Indicator(code=code, name=name, area=self.areas[area], formula=formula,
                      unit_label="%", period_kind=PeriodKind.MONTH, order=len(indicators) + 1)
        )  # fmt: skip
        Indicator.objects.bulk_create(indicators)
        self._indicator_sets(indicators)
        targets = []
        years = range(self.size.start.year, END.year + 1)
        for spec, indicator in zip(INDICATORS, indicators, strict=False):
            if spec.target_2025 is not None:
                targets += [
                    Target(indicator=indicator, year=y, value=spec.target_2025) for y in years
                ]
            if spec.target_2045 is not None:
                targets.append(Target(indicator=indicator, value=spec.target_2045))
        targets.append(Target(indicator=indicators[-1], value=Decimal(80)))
        Target.objects.bulk_create(targets)
        self.counts["indicators"] = len(indicators)

    def _indicator_sets(self, indicators: Sequence[Indicator]) -> None:
        """demo.indicators.SETS with the indicators of their letters (the monthly one in none)."""
        made = IndicatorSet.objects.bulk_create(
            IndicatorSet(
                code=s.code, name=s.name, first_year=s.first_year, last_year=s.last_year,
                order=order,
            )
            for order, s in enumerate(SETS, start=1)
        )  # fmt: skip
        members = IndicatorSet.indicators.through
        members._default_manager.bulk_create(
            members(indicatorset_id=row.pk, indicator_id=indicator.pk)
            for row, spec in zip(made, SETS, strict=True)
            for indicator_spec, indicator in zip(INDICATORS, indicators, strict=False)
            if indicator_spec.sets in spec.letters
        )

    def _values(
        self, specs: Sequence[ElementSpec], elements: Sequence[DataElement]
    ) -> Iterator[tuple[Any, ...]]:
        months = [p for p in self.periods if p.kind == PeriodKind.MONTH]
        quarters = [p for p in self.periods if p.kind == PeriodKind.QUARTER]
        for province in self.provinces:
            for spec, element in zip(specs, elements, strict=False):
                periods = months if spec.monthly else quarters
                for unit in self._element_units(province, spec):
                    for period in periods:
                        if _active_in(unit, period):
                            yield self._value(unit, period, element, spec.value_type, spec.values)
            for element in elements[len(specs) :]:
                for unit in province.reporting:
                    for period in months:
                        if _active_in(unit, period):
                            yield self._value(unit, period, element, element.value_type, "-")

    def _element_units(self, province: _Province, spec: ElementSpec) -> list[Unit]:
        if spec.owner not in ("XA", "SO"):
            return [province.agencies[spec.owner]]
        types = set(REPORTERS[spec.reporters])
        return [u for u in province.reporting if u.unit_type in types]

    def _value(
        self, unit: Unit, period: Period, element: DataElement, kind: str, rule: str
    ) -> tuple[Any, ...]:
        """A plausible figure: the demo's value where it gives one for every unit ("all:"), a
        yes/no at the demo's rate ("yes:"), a percent, else a count of the right size."""
        how, _, arg = rule.partition(":")
        rng = self.rng
        if how == "all":
            value = Decimal(arg)
        elif how == "yes":
            value = Decimal(1 if rng.random() < int(arg) / 130 else 0)
        elif kind == ValueType.PERCENT:
            value = Decimal(rng.randint(4000, 10000)) / 100
        elif how == "sum":
            value = Decimal(int(int(arg) / 130 * rng.uniform(0.5, 1.5)))
        elif element.code == "TH_HS_TONG":
            value = Decimal(rng.randint(200, 900))
        elif element.code == "TH_HS_TT":
            value = Decimal(rng.randint(100, 200))  # always below TH_HS_TONG's floor
        else:
            value = Decimal(rng.randint(0, 500))
        return (unit.pk, period.pk, element.pk, value, _at(period.due_at.date(), 9))


def _active_in(unit: Unit, period: Period) -> bool:
    return unit.active_from is None or unit.active_from <= period.ends_on


class _TreeBuilder:
    """Materialised paths written by hand (treebeard's layout: 4 base-36 characters a level),
    so the tree goes in with one bulk insert instead of one add_child per unit."""

    def __init__(self, nodes: list[Unit]) -> None:
        self.nodes = nodes

    def node(
        self,
        parent: Unit | None,
        code: str,
        name: str,
        unit_type: str,
        position: int = 0,
        **fields: Any,
    ) -> Unit:
        if parent is not None:
            parent.numchild += 1
            position = parent.numchild
        depth = 1 if parent is None else parent.depth + 1
        path = Unit._get_path(parent.path if parent else None, depth, position)
        unit = Unit(
            code=code, name=name, unit_type=unit_type, path=path, depth=depth, numchild=0, **fields
        )
        self.nodes.append(unit)
        return unit
