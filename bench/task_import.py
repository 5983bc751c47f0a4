"""Benchmark: import a generated 10,000-row task file (and re-import it unchanged).

Run with `make bench`; it uses its own database (var/bench/ by default, or DATABASE_URL)."""

from __future__ import annotations

import io
import random
import sys
import time

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from nq57.xlsx import build_workbook  # noqa: E402
from org.models import Role, Unit, User  # noqa: E402
from tasks.interchange import HEADERS, SHEET, import_task_rows, parse_task_file  # noqa: E402
from tasks.models import Area, Source  # noqa: E402

STATUSES = ["Chưa triển khai", "Đang thực hiện", "Thường xuyên", "Đã hoàn thành", ""]


def generated_rows(count: int, seed: int = 57) -> list[list[object]]:
    rng = random.Random(seed)
    units = list(
        Unit.objects.filter(unit_type__in=["so_nganh", "xa", "phuong"]).values_list(
            "code", flat=True
        )
    )
    rows = []
    for n in range(count):
        status = rng.choice(STATUSES)
        done = status == "Đã hoàn thành"
        rows.append(
            [
                f"BENCH-{n:05d}",
                f"Nhiệm vụ thử số {n}",
                "BENCH",
                "BENCH",
                rng.choice(units),
                "; ".join(rng.sample(units, 2)),
                2025,
                "" if status == "Thường xuyên" else "31/12/2025",
                "Báo cáo",
                status,
                "15/09/2025" if status else "",
                rng.randint(0, 100) if status else "",
                "01/09/2025" if done else "",
                "Văn bản 1/KH" if done else "",
            ]
        )
    return rows


def timed(label: str, rows_file: bytes, actor: User) -> None:
    start = time.perf_counter()
    summary = import_task_rows(actor=actor, rows=parse_task_file(io.BytesIO(rows_file)))
    seconds = time.perf_counter() - start
    print(
        f"{label}: {seconds:.1f} s (created {len(summary.created)}, updated "
        f"{len(summary.updated)}, events {len(summary.events)}, unchanged {summary.unchanged})"
    )


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("load_demo", "--units-only") if User.objects.exists() else call_command(
        "load_demo"
    )
    Source.objects.get_or_create(code="BENCH", defaults={"name": "Benchmark"})
    Area.objects.get_or_create(code="BENCH", defaults={"name": "Benchmark"})
    actor = User.objects.filter(role=Role.SYSADMIN).first()
    assert actor is not None
    content = build_workbook(SHEET, HEADERS, generated_rows(count))
    print(f"{count} rows, {len(content) / 1e6:.1f} MB XLSX, database {django.db.connection.vendor}")
    timed("first import", content, actor)
    timed("same file again", content, actor)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
