import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from org.models import Unit
from tasks.models import Area, Source
from tasks.queries import TaskFilter, UnitRole, task_stats
from tasks.timeliness import STAT_KEYS


class Command(BaseCommand):
    help = "Task counts by timeliness as of a date (the same query the pages and reports use)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", required=True, type=date.fromisoformat)
        parser.add_argument("--source")
        parser.add_argument("--year", type=int)
        parser.add_argument("--area")
        parser.add_argument("--unit", help="unit code: count that unit's own assignments")
        parser.add_argument("--subtree", action="store_true", help="with --unit: and below it")
        parser.add_argument("--lead", action="store_true", help="with --unit: tasks it leads")
        parser.add_argument(
            "--original-deadlines",
            action="store_true",
            help="on time or late by the deadlines before any extension (theo hạn gốc)",
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        stats = task_stats(
            as_of=options["as_of"],
            flt=self._filter(options),
            original_deadlines=options["original_deadlines"],
        )
        counts = stats.counts
        if options["json"]:
            self.stdout.write(json.dumps(counts))
            return
        for key in STAT_KEYS:
            self.stdout.write(f"{key:>18}: {counts[key]}")

    def _filter(self, options: dict[str, Any]) -> TaskFilter:
        # A typo must not read as "no tasks": unknown codes and lone flags are errors.
        if options["source"] and not Source.objects.filter(code=options["source"]).exists():
            raise CommandError(f"Unknown source code: {options['source']}")
        if options["area"] and not Area.objects.filter(code=options["area"]).exists():
            raise CommandError(f"Unknown area code: {options['area']}")
        if (options["subtree"] or options["lead"]) and not options["unit"]:
            raise CommandError("--subtree and --lead need --unit.")
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Unknown unit code: {options['unit']}")
        return TaskFilter(
            source=options["source"],
            year=options["year"],
            area=options["area"],
            unit=unit,
            subtree=options["subtree"],
            unit_role=UnitRole.LEAD if options["lead"] else UnitRole.ASSIGNEE,
        )
