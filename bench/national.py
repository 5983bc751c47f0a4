"""Benchmark on the national-size dataset (`make bench`): the server time of the pages and
builds that aggregate the most, each beside the same aggregates done by hand-written SQL alone
(bench/sql.py) in the same run, and the ratio.

PostgreSQL only: DATABASE_URL, else postgres://postgres@127.0.0.1:5432/nq57_bench (created when
missing). The dataset is generated once (`generate_dataset`, a few minutes) and reused while the
database's comment names the same parameters; `--regenerate` forces a new one.

    python -m bench.national [--runs 5] [--province P09] [--profile NAME] [--regenerate]

The dashboard is cached until the data changes: its rows are measured cold (the cache emptied
before every run, as on the first visit after a write) and warm (read from the cache), each
against the same targets.

Pages are asked through Django's test Client (middleware, view, template: the server's whole
work, no network), logged in as the sysadmin (the whole country), a province's leader and a
commune's reporter, with the clock at 05/01/2026 09:00 (after the dataset's last quarter).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dj_database_url
import psycopg

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/nq57_bench"
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
MARKER = "nq57 national benchmark dataset v1 "  # + the Size as JSON, in the database's comment
RATIO_TARGET = 3.0


def ensure_database(url: str) -> None:
    """Create the benchmark database when it does not exist yet."""
    config = dj_database_url.parse(url)
    with psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        name = config["NAME"]
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(f'CREATE DATABASE "{name}"')
        print(f"Created database {name}")


os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nq57.settings")
ensure_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Production-like: no query log, no template debug (both cost time on every query and render).
settings.DEBUG = False

import time_machine  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench import sql  # noqa: E402
from bench.dataset import Size  # noqa: E402
from dashboard.cache import trend  # noqa: E402
from demo.scoring import YEAR_2026, define_scheme  # noqa: E402
from indicators.queries import unit_indicators  # noqa: E402
from org.models import Role, Unit, UnitType, User  # noqa: E402
from periods.calendar import current_period, end_of_day  # noqa: E402
from periods.models import Period  # noqa: E402
from scoring.facts import KIND_TYPES, Window, gather, units_of, window  # noqa: E402
from scoring.models import Scheme, UnitKind  # noqa: E402
from scoring.queries import compute, scheme_for  # noqa: E402
from scoring.services import update_scheme  # noqa: E402
from tasks.queries import (  # noqa: E402
    Counts,
    TaskFilter,
    combined_by_task,
    counted_assignments,
    read,
    task_stats,
)
from tasks.timeliness import Timeliness  # noqa: E402


@dataclass
class Measurement:
    name: str
    app: Callable[[], object]
    floor: Callable[[], object] | None
    target_ms: float | None = None


@dataclass
class Result:
    name: str
    app_ms: float | None
    floor_ms: float | None
    target_ms: float | None
    error: str = ""

    @property
    def ratio(self) -> float | None:
        if self.app_ms is None or not self.floor_ms:
            return None
        return self.app_ms / self.floor_ms

    @property
    def passed(self) -> bool:
        if self.error or self.app_ms is None:
            return False
        within = self.target_ms is None or self.app_ms <= self.target_ms
        return within and (self.ratio is None or self.ratio <= RATIO_TARGET)


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up: caches, prepared plans, imported templates
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def _database_comment() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        )
        row = cursor.fetchone()
    return (row[0] if row else None) or ""


def ensure_dataset(size: Size, regenerate: bool) -> None:
    call_command("migrate", verbosity=0)
    wanted = MARKER + size.as_json()
    comment = _database_comment()
    if not regenerate and comment == wanted:
        print(f"Reusing the dataset {size.as_json()}")
    else:
        _generate(size, comment, wanted, regenerate)
    with connection.cursor() as cursor:
        # Plans from fresh statistics: a new dataset, or one a migration has just rewritten.
        cursor.execute("ANALYZE")


def _generate(size: Size, comment: str, wanted: str, regenerate: bool) -> None:
    if Unit.objects.exists() and not comment.startswith(MARKER) and not regenerate:
        # Never wipe a database the benchmark did not fill (a DATABASE_URL set for work).
        raise SystemExit(
            f"{connection.settings_dict['NAME']} has data that is not a benchmark dataset: "
            "point DATABASE_URL at a database of its own, or pass --regenerate to replace it."
        )
    call_command(
        "generate_dataset",
        provinces=size.provinces,
        communes=size.communes,
        years=size.years,
        seed=size.seed,
        reset=True,
    )
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        quoted = wanted.replace("'", "''")
        cursor.execute(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS '{quoted}'")


def machine_facts() -> list[tuple[str, str]]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        counts = []
        for label, table in (
            ("units", "org_unit"),
            ("tasks", "tasks_task"),
            ("assignments", "tasks_assignment"),
            ("status events", "tasks_statusevent"),
            ("unit reports", "reporting_unitreport"),
            ("data values", "indicators_datavalue"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts.append(f"{cursor.fetchone()[0]:,} {label}")
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("RAM", f"{mem_kb / 1024 / 1024:.1f} GiB"),
        ("PostgreSQL", pg),
        ("Python / Django", f"{platform.python_version()} / {django.get_version()}"),
        ("Dataset", ", ".join(counts)),
    ]


def _client(username: str) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(User.objects.get(username=username))
    return client


def _get(client: Client, url: str) -> Callable[[], object]:
    def run() -> object:
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        return response

    return run


def _cold_and_warm(
    name: str, username: str, floor: Callable[[], object], target_ms: float
) -> list[Measurement]:
    """The dashboard is cached until the data changes (dashboard.cache.data_version): measure
    it computed (the cache emptied before every run: the first visit after a write) and read
    from the cache (every later visit), with the same targets."""
    page = _get(_client(username), "/dashboard/")

    def cold() -> object:
        cache.clear()
        return page()

    return [
        Measurement(f"{name}, cold (computed)", cold, floor, target_ms),
        Measurement(f"{name}, warm (cached)", page, floor, target_ms),
    ]


def _report_builds(province: Unit, quarter: Period, as_of: date) -> list[Measurement]:
    """The quarterly report, when documents.build exists (another part of the project)."""
    try:
        from documents.build import build
        from documents.composer import build_content
        from documents.content import Kind, Letterhead
    except ImportError as exc:
        return [Measurement(f"quarterly report: not available ({exc})", lambda: None, None)]
    letterhead = Letterhead(
        style="party",
        issuer=f"TỈNH ỦY {province.name.removeprefix('Tỉnh ').upper()}",
        number="Số      -BC/TU",
        place=province.name.removeprefix("Tỉnh "),
        signed_on=None,
        signer_capacity="T/M BAN THƯỜNG VỤ",
        signer_title="PHÓ BÍ THƯ",
        signer_name="",
        recipients=("Ban Chỉ đạo Trung ương",),
    )
    before = quarter.starts_on.toordinal() - 1
    end = min(as_of, quarter.ends_on)
    floor = lambda: sql.quarterly_report(  # noqa: E731
        as_of, date.fromordinal(before), end, province.path, quarter.pk
    )
    docx, _content = build(
        kind=Kind.QUARTERLY, period=quarter, unit=province, as_of=as_of, fmt="docx",
        letterhead=letterhead,
    )  # fmt: skip
    texts = sql.docx_texts(docx)
    return [
        Measurement(
            "quarterly report content (province)",
            lambda: build_content(kind=Kind.QUARTERLY, period=quarter, unit=province, as_of=as_of),
            floor,
        ),
        Measurement(
            "quarterly report content + DOCX",
            lambda: build(
                kind=Kind.QUARTERLY,
                period=quarter,
                unit=province,
                as_of=as_of,
                fmt="docx",
                letterhead=letterhead,
            ),
            # No SQL writes a Word file: the floor adds python-docx writing the same text.
            lambda: (floor(), sql.plain_docx(texts)),
        ),
    ]


# The month every commune of the country is scored for: 01/2026 with a data cut-off on the 6th
# (its data from 06/12/2025 to 05/01/2026, the clock's day, as Decree 09/2019's 15th-to-14th
# months run), with the 2026 scheme of the demo (tasks, overdue tasks, reports, indicators,
# product milestones, data quality, a bonus).
SCORED_MONTH = date(2026, 1, 1)
CUTOFF_DAY = 6


def _commune_scheme() -> None:
    """The communes' scheme the benchmark scores with, created once in its database (through
    the services, as the administrator)."""
    admin = User.objects.filter(role=Role.SYSADMIN).order_by("pk").first()
    assert admin is not None
    found = Scheme.objects.filter(kind=UnitKind.COMMUNE, valid_from=date(2023, 1, 1)).first()
    if found is None:
        define_scheme(
            admin, UnitKind.COMMUNE, date(2023, 1, 1), "Xã, phường (đo hiệu năng)", YEAR_2026,
            cutoff_day=CUTOFF_DAY,
        )  # fmt: skip
    elif found.cutoff_day != CUTOFF_DAY:
        update_scheme(actor=admin, scheme=found, cutoff_day=CUTOFF_DAY)


def _window() -> Window:
    scheme = scheme_for(UnitKind.COMMUNE, SCORED_MONTH)
    assert scheme is not None
    return window(SCORED_MONTH, scheme.cutoff_day)


def _scoring_floor() -> Callable[[], object]:
    win = _window()
    bounds = (end_of_day(win.since), end_of_day(win.cutoff))
    types = sorted(KIND_TYPES[UnitKind.COMMUNE])
    return lambda: sql.scoring(win.first, win.cutoff, win.since, types, bounds)


def units_of_month() -> list[Unit]:
    return list(units_of(UnitKind.COMMUNE, _window()))


def check_scoring() -> str:
    """The SQL floor must read what the app reads: every commune's facts for the month,
    summed."""
    win = _window()
    facts = gather(units_of(UnitKind.COMMUNE, win), win).values()
    units = list(facts)
    app = (
        len(units),
        sum(len(f.due) for f in facts),
        sum(1 for f in facts for t in f.due if t.timeliness is Timeliness.COMPLETED_ON_TIME),
        sum(len(f.late) for f in facts),
        sum(t.days_late for f in facts for t in f.late),
        sum(len(f.reports) for f in facts),
        sum(1 for f in facts for r in f.reports if r.days_late),
        sum(r.days_late for f in facts for r in f.reports),
        sum(1 for f in facts for r in f.reports if r.submitted_at is None),
    )
    rows = _scoring_floor()()
    assert isinstance(rows, list)
    floor = (
        len(rows), *(int(sum(row[i] for row in rows)) for i in (1, 2, 3, 4, 6, 7, 8, 9))
    )  # fmt: skip
    names = ("units", "due", "on time", "late", "days late", "reports", "late reports",
             "report days", "missed")  # fmt: skip
    shown = " / ".join(f"{n} {v}" for n, v in zip(names, app, strict=True))
    if app == floor:
        return f"scoring facts = SQL floor ({shown})"
    return f"MISMATCH scoring facts {app} ≠ SQL floor {floor}"


def measurements(province_code: str) -> list[Measurement]:
    as_of = NOW.date()
    province = Unit.objects.get(code=province_code)
    commune = (
        Unit.objects.filter(
            path__startswith=province.path, unit_type__in=[UnitType.COMMUNE, UnitType.WARD]
        )
        .filter(accounts__role=Role.REPORTER)
        .order_by("path")
        .first()
    )
    assert commune is not None, "the dataset has a reporter for the first communes"
    reporter, reporter_id = commune.accounts.values_list("username", "pk").get(role=Role.REPORTER)
    leader = User.objects.get(role=Role.VIEWER, scope=province).username
    admin = User.objects.filter(role=Role.SYSADMIN).order_by("pk").first()
    assert admin is not None
    period = current_period(as_of)
    period_id = period.pk if period else None
    codes = [r.code for r in unit_indicators(period, commune)] if period else []
    row_len = len(province.path) + 2 * Unit.steplen  # province / bloc / reporting unit
    country = lambda: sql.dashboard(as_of, "", Unit.steplen, period_id)  # noqa: E731
    one = lambda: sql.dashboard(as_of, province.path, row_len, period_id)  # noqa: E731
    result = [
        *_cold_and_warm("dashboard, whole country (sysadmin)", admin.username, country, 1000),
        *_cold_and_warm(f"dashboard, one province ({leader})", leader, one, 300),
        Measurement(
            "task_stats, whole country",
            lambda: task_stats(as_of=as_of),
            lambda: sql.task_counts(as_of),
        ),
        Measurement(
            "task_stats, one province",
            lambda: task_stats(as_of=as_of, flt=TaskFilter(unit=province, subtree=True)),
            lambda: sql.task_counts(as_of, province.path),
        ),
        Measurement(
            f"home page, one commune ({reporter})",
            _get(_client(reporter), "/"),
            lambda: sql.unit_home(as_of, commune.pk, reporter_id, period_id, NOW, codes),
        ),
        # What every page pays before its own work (session, login, menu, notification badge):
        # a page that reads nothing else, for reading the small pages' ratios.
        Measurement(
            "a page with no data of its own (password form)",
            _get(_client(reporter), "/password/change/"),
            None,
        ),
    ]
    result.append(
        Measurement(
            f"scoring every commune, {SCORED_MONTH:%m/%Y} ({len(units_of_month())} units)",
            lambda: compute(SCORED_MONTH, kinds=[UnitKind.COMMUNE]),
            _scoring_floor(),
        )
    )
    quarter = Period.objects.filter(kind="quarter", ends_on__lt=as_of).order_by("-ends_on").first()
    if quarter is not None:
        result += _report_builds(province, quarter, as_of)
    return result


def check_counts(province: Unit) -> str:
    """The SQL floor must compute what the app computes: compare task_stats' counts and the
    dashboard's trend for the province."""
    as_of = NOW.date()
    flt = TaskFilter(unit=province, subtree=True)
    app = task_stats(as_of=as_of, flt=flt).counts
    floor = sql.task_counts(as_of, province.path)
    keys = ("total", "completed", "on_time", "not_on_time", "at_risk")
    mismatched = [f"{k} {app[k]}≠{floor[k]}" for k in keys if app[k] != floor[k]]
    reading = read(counted_assignments(as_of=as_of, flt=flt), as_of)
    points = trend(reading, Counts.of(combined_by_task(reading.rows)))
    if [(p.completed, p.not_on_time) for p in points] != sql.trend(as_of, province.path):
        mismatched.append("trend")
    shown = " / ".join(f"{k} {app[k]}" for k in keys)
    return (
        f"task_stats and trend = SQL floor ({shown})"
        if not mismatched
        else "MISMATCH " + ", ".join(mismatched)
    )


def run(items: list[Measurement], runs: int) -> list[Result]:
    results = []
    floors: dict[int, float] = {}  # a floor shared by two rows (cold and warm) is timed once
    for item in items:
        try:
            app_ms = median_ms(item.app, runs)
            floor_ms = None
            if item.floor:
                if id(item.floor) not in floors:
                    floors[id(item.floor)] = median_ms(item.floor, runs)
                floor_ms = floors[id(item.floor)]
            results.append(Result(item.name, app_ms, floor_ms, item.target_ms))
        except Exception as exc:  # one broken page must not hide the others' figures
            results.append(
                Result(item.name, None, None, item.target_ms, f"{type(exc).__name__}: {exc}")
            )
        print(f"  measured: {item.name}", flush=True)
    return results


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _verdict(result: Result) -> str:
    if result.target_ms is None and result.floor_ms is None:
        return "—"  # measured for reference only
    return "pass" if result.passed else "FAIL"


def table(results: list[Result]) -> str:
    header = ("measurement", "app ms", "SQL floor ms", "ratio", "target", "result")
    rows = [header]
    for r in results:
        target = f"< {r.target_ms:,.0f} ms, " if r.target_ms else ""
        rows.append(
            (
                r.name,
                _ms(r.app_ms),
                _ms(r.floor_ms),
                "—" if r.ratio is None else f"{r.ratio:.1f}×",
                f"{target}ratio < {RATIO_TARGET:.0f}" if r.floor_ms else target.rstrip(", "),
                r.error or _verdict(r),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def profile(items: list[Measurement], name: str) -> None:
    """cProfile of one measurement's app side (the 25 costliest functions, cumulative)."""
    item = next(i for i in items if i.name.startswith(name))
    item.app()
    profiler = cProfile.Profile()
    profiler.runcall(item.app)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--province", default="P09", help="the province measured (code)")
    parser.add_argument("--provinces", type=int, default=Size.provinces)
    parser.add_argument("--communes", type=int, default=Size.communes)
    parser.add_argument("--years", type=int, default=Size.years)
    parser.add_argument("--seed", type=int, default=Size.seed)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--profile", metavar="NAME", help="profile the measurement named so")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The national benchmark needs PostgreSQL (DATABASE_URL).")
    size = Size(args.provinces, args.communes, args.years, args.seed)
    ensure_dataset(size, args.regenerate)
    with time_machine.travel(NOW, tick=True):
        _commune_scheme()
        items = measurements(args.province)
        if args.profile:
            profile(items, args.profile)
            return
        for label, value in machine_facts():
            print(f"{label}: {value}")
        print(check_counts(Unit.objects.get(code=args.province)))
        print(check_scoring())
        print(f"Median of {args.runs} runs after a warm-up, as of {NOW:%d/%m/%Y %H:%M}:")
        print(table(run(items, args.runs)))


if __name__ == "__main__":
    main()
