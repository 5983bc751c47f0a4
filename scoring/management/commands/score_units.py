import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from org.models import Unit, User
from org.queries import first_sysadmin
from scoring import queries, services
from scoring.engine import Card, points_text


class Command(BaseCommand):
    help = (
        "Print the scorecards of a month: as stored when the month has a round (its draft or "
        "published results, adjustments included), else computed from the facts as of the "
        "cut-off as the round would. --save runs the round itself (a draft; refused once "
        "published). --json prints a list of scorecards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--unit", help="only this unit's scorecard (code)")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--save", action="store_true", help="score the month as a draft round")
        parser.add_argument("--user", help="act as this account (default: a system administrator)")

    def handle(
        self,
        *args: Any,
        month: str,
        unit: str | None,
        json: bool,
        save: bool,
        user: str | None,
        **opts: Any,
    ) -> None:
        try:
            first = queries.month_of(month)
        except ValueError:
            raise CommandError("--month must be YYYY-MM") from None
        if unit and not Unit.objects.filter(code=unit).exists():
            raise CommandError(f"No unit {unit}.")
        try:
            if save:
                services.run_round(actor=self._actor(user), month=first)
            cards = self._cards(first)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if unit:
            cards = [c for c in cards if c.unit.code == unit]
        if json:
            self.stdout.write(_json([c.as_json() for c in cards]))
        else:
            for card in cards:
                self.stdout.write(_text(card))

    def _cards(self, month: Any) -> list[Card]:
        round_ = queries.round_of(month)
        if round_ is not None:
            return queries.stored_cards(round_)
        return queries.compute(month).cards

    def _actor(self, username: str | None) -> User:
        actor = (
            User.objects.filter(username=username, is_active=True).first()
            if username
            else first_sysadmin()
        )
        if actor is None:
            raise CommandError("No such active account.")
        return actor


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _text(card: Card) -> str:
    head = (
        f"{card.unit.code} {card.unit.name} — {card.month:%m/%Y} ({card.state}): "
        f"{points_text(card.total)} điểm, {card.grade_label}"
        + (f" (đủ điểm {card.eligible_label}, giới hạn tỷ lệ)" if card.capped else "")
        + (f", hạng {card.rank}" if card.rank else "")
    )
    lines = [head]
    for line in card.lines:
        shown = (
            f"{points_text(line.points)}/{points_text(line.max_points)}"
            if line.applies
            else "không áp dụng"
        )
        if line.adjusted:
            shown += f" (điều chỉnh từ {points_text(line.computed)})"
        lines.append(f"  {line.code:<8} {shown:>14}  {line.name}: {line.figure} {line.band}")
    return "\n".join(lines)
