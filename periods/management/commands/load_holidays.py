from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from org.models import User
from org.queries import first_sysadmin
from periods.holidays_vn import PUBLIC_HOLIDAYS
from periods.services import load_public_holidays


class Command(BaseCommand):
    help = (
        "Add Vietnam's public holidays of the given years (default: this year and the next) to "
        "the working-day calendar (of those built in); days already there are kept. Running it "
        "again adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", dest="years")
        parser.add_argument("--user", help="act as this account (default: a system administrator)")

    def handle(self, *args: Any, years: list[int] | None, user: str | None, **options: Any) -> None:
        this_year = timezone.localdate().year
        years = years or [y for y in (this_year, this_year + 1) if y in PUBLIC_HOLIDAYS]
        if not years:
            raise CommandError("No built-in holidays for this year; add them on the holidays page.")
        unknown = [y for y in years if y not in PUBLIC_HOLIDAYS]
        if unknown:
            known = ", ".join(str(y) for y in sorted(PUBLIC_HOLIDAYS))
            raise CommandError(
                f"No built-in holidays for {', '.join(map(str, unknown))} (known: {known}); "
                "add them on the holidays page."
            )
        actor = (
            User.objects.filter(username=user, is_active=True).first() if user else first_sysadmin()
        )
        if actor is None:
            raise CommandError("No such active account.")
        added = load_public_holidays(actor=actor, years=years)
        self.stdout.write(f"Holidays added: {added}.")
