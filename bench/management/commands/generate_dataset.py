"""`manage.py generate_dataset`: the national-size benchmark dataset (bench.dataset)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from bench.dataset import NationalDataset, Size, occupied_tables


class Command(BaseCommand):
    help = (
        "BENCHMARK data, not demo data: generate a national-size dataset (34 provinces, 3,321 "
        "communes, tasks with monthly status events, unit reports, figures) written straight to "
        "the tables in bulk, without the services, permissions or history rows. Deterministic "
        "for a --seed. Refuses a database where any of those tables has rows: --reset "
        "empties it first (every table, the accounts too). Meant for PostgreSQL (a few "
        "minutes); small sizes (--provinces 2 --communes 20 --years 1) run anywhere."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Size()
        parser.add_argument("--provinces", type=int, default=defaults.provinces)
        parser.add_argument("--communes", type=int, default=defaults.communes)
        parser.add_argument("--years", type=int, default=defaults.years)
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the whole database first (flush): every row of every table goes.",
        )

    def handle(self, *args: Any, reset: bool, **options: Any) -> None:
        size = Size(
            provinces=options["provinces"],
            communes=options["communes"],
            years=options["years"],
            seed=options["seed"],
        )
        if size.provinces < 1 or size.communes < size.provinces or size.years < 1:
            raise CommandError("Need at least one province, one commune each and one year.")
        if occupied := occupied_tables():
            if not reset:
                raise CommandError(
                    f"The database already has rows in {', '.join(occupied)}. This command "
                    "only fills an empty database; run it with --reset to empty this one "
                    "first (everything in it is deleted)."
                )
            call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        self.stdout.write(f"Generating the benchmark dataset {size.as_json()} …")
        with transaction.atomic():
            counts = NationalDataset(size, self.stdout.write).generate()
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner; VACUUM (visibility map for index-only scans)
            # cannot run inside a transaction, as in a test.
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                cursor.execute(vacuum)
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(f"Done in {elapsed:.0f} s: {summary}.")
