from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.accounts import DEMO_PASSWORD, load_accounts
from demo.directives import load_directives
from demo.documents import load_document_profiles, load_report_periods, load_report_prose
from demo.indicators import load_indicators
from demo.products import load_products
from demo.reports import load_reports
from demo.schedules import load_schedules
from demo.scoring import load_scoring
from demo.tasks import load_tasks
from demo.tree import PROVINCE, load_tree
from org import services
from org.models import Unit, User
from org.queries import first_sysadmin


class Command(BaseCommand):
    help = (
        "Load Nghệ An's units and the demo accounts (password nq57-demo). Idempotent: what exists "
        "is left as it is. With --units-only, only the unit tree, acting as the administrator that "
        "bootstrap_province created (for a real installation)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--units-only", action="store_true")

    def handle(self, *args: Any, units_only: bool, **options: Any) -> None:
        before = Unit.objects.count()
        actor = self._administrator(units_only)
        load_tree(actor)
        created = 0 if units_only else load_accounts(actor)
        tasks = 0 if units_only else load_tasks(actor)  # its events need the accounts above
        reports = 0 if units_only else load_reports(actor)  # they quote the tasks above
        indicators = 0 if units_only else load_indicators(actor)  # figures for the periods above
        directives = 0 if units_only else load_directives(actor)  # they link the tasks above
        profiles = 0 if units_only else load_document_profiles(actor)  # issuers of the reports
        calendar = 0 if units_only else load_schedules(actor)  # forms ask the elements above
        if not units_only:  # the province's year and half-year periods, the Q3 report's prose
            office = User.objects.get(username="thuongtruc")
            load_report_periods(office)
            load_report_prose(office)
        products = 0 if units_only else load_products(actor)  # the units' 2026 commitments
        scored = 0 if units_only else load_scoring(actor)  # the 2025 months, from all the above
        units = Unit.objects.count() - before
        self.stdout.write(
            f"Demo data: {units} units, {created} accounts and {tasks} tasks created."
        )
        if not units_only:
            self.stdout.write(f"Demo reports: {reports} unit reports created.")
            self.stdout.write(f"Demo indicators: {indicators} indicators created.")
            self.stdout.write(f"Demo directives: {directives} directive documents created.")
            self.stdout.write(f"Demo report settings: {profiles} document profiles created.")
            self.stdout.write(f"Demo reporting calendar: {calendar} holidays, forms, schedules.")
            self.stdout.write(f"Demo products: {products} products of 2026 registered.")
            self.stdout.write(f"Demo scoring: {scored} monthly scorecards created.")

    def _administrator(self, units_only: bool) -> User:
        if not Unit.objects.exists() and not units_only:
            return services.bootstrap_province(
                code=PROVINCE[0],
                name=PROVINCE[1],
                admin_username="admin",
                admin_email="admin@nq57.local",
                admin_password=DEMO_PASSWORD,
            )
        admin = first_sysadmin()
        if admin is None:
            raise CommandError("No active system administrator: run bootstrap_province first.")
        return admin
