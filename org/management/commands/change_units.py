from argparse import ArgumentParser
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from org import services
from org.models import Unit, User
from org.queries import first_sysadmin
from org.unit_rows import unit_type_from_text


def _day(text: str) -> date:
    return date.fromisoformat(text)


class Command(BaseCommand):
    help = (
        "Change the unit tree as the pages do, each change dated and recorded with its reason: "
        "create, rename, move, close, merge N units into one, split one into several."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", help="act as this account (default: a system administrator)")
        actions = parser.add_subparsers(dest="action", required=True)
        self._create(actions.add_parser("create", help="a new unit"))
        rename = actions.add_parser("rename", help="a new name from a date")
        rename.add_argument("code")
        rename.add_argument("--name", required=True)
        self._dated(rename, required=False)
        move = actions.add_parser("move", help="under another parent")
        move.add_argument("code")
        move.add_argument("--parent", required=True)
        self._dated(move, required=False)
        close = actions.add_parser("close", help="dissolved: its accounts are locked")
        close.add_argument("code")
        close.add_argument("--last-day", type=_day, required=True, help="YYYY-MM-DD")
        close.add_argument("--reason", required=True)
        merge = actions.add_parser("merge", help="N units into one, from a date")
        merge.add_argument("codes", nargs="+", help="the units merged")
        merge.add_argument("--into", required=True, help="existing unit, or a new code")
        merge.add_argument("--name", help="the new unit's name")
        merge.add_argument("--type", help="the new unit's type (code or Vietnamese name)")
        merge.add_argument("--parent", help="the new unit's parent")
        self._dated(merge)
        split = actions.add_parser("split", help="one unit into several new ones, from a date")
        split.add_argument("code")
        split.add_argument("--into", nargs="+", required=True, metavar="CODE=NAME")
        split.add_argument(
            "--accounts-to", help="the new unit taking the accounts (default: first)"
        )
        self._dated(split)

    @staticmethod
    def _dated(parser: ArgumentParser, required: bool = True) -> None:
        parser.add_argument("--on", type=_day, required=required, help="effective date, YYYY-MM-DD")
        parser.add_argument("--reason", required=required, default="")

    @staticmethod
    def _create(parser: ArgumentParser) -> None:
        parser.add_argument("code")
        parser.add_argument("--name", required=True)
        parser.add_argument("--type", required=True)
        parser.add_argument("--parent", required=True)
        parser.add_argument("--active-from", type=_day)
        parser.add_argument("--reason", default="")

    def handle(self, *args: Any, action: str, user: str | None, **options: Any) -> None:
        actor = (
            User.objects.filter(username=user, is_active=True).first() if user else first_sysadmin()
        )
        if actor is None:
            raise CommandError("No such active account.")
        actions: dict[str, Callable[[User, dict[str, Any]], str]] = {
            "create": self._create_units,
            "rename": self._rename_units,
            "move": self._move_units,
            "close": self._close_units,
            "merge": self._merge_units,
            "split": self._split_units,
        }
        run = actions[action]
        try:
            self.stdout.write(run(actor, options))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except (PermissionDenied, Http404):
            raise CommandError("Not allowed for this account.") from None

    @staticmethod
    def _unit(code: str) -> Unit:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"No unit {code}.")
        return unit

    def _type(self, text: str | None) -> str:
        unit_type = unit_type_from_text(text or "")
        if unit_type is None:
            raise CommandError(f"Unknown unit type {text!r}.")
        return unit_type

    def _create_units(self, actor: User, o: dict[str, Any]) -> str:
        unit = services.create_unit(
            actor=actor, parent=self._unit(o["parent"]), code=o["code"], name=o["name"],
            unit_type=self._type(o["type"]), active_from=o["active_from"], reason=o["reason"],
        )  # fmt: skip
        return f"Created {unit}."

    def _rename_units(self, actor: User, o: dict[str, Any]) -> str:
        unit = services.update_unit(
            actor=actor, unit=self._unit(o["code"]), name=o["name"], effective_on=o["on"],
            reason=o["reason"],
        )  # fmt: skip
        return f"Renamed: {unit}."

    def _move_units(self, actor: User, o: dict[str, Any]) -> str:
        unit = services.move_unit(
            actor=actor, unit=self._unit(o["code"]), new_parent=self._unit(o["parent"]),
            effective_on=o["on"], reason=o["reason"],
        )  # fmt: skip
        return f"Moved {unit} under {o['parent']}."

    def _close_units(self, actor: User, o: dict[str, Any]) -> str:
        closure = services.close_unit(
            actor=actor, unit=self._unit(o["code"]), active_to=o["last_day"], reason=o["reason"]
        )
        lines = [f"Closed {closure.unit} after {o['last_day']:%d/%m/%Y}."]
        for effect in closure.effects:
            lines.append(effect.summary)
            if effect.left_behind:
                lines.append(f"Left with no unit carrying them: {'; '.join(effect.left_behind)}.")
        return "\n".join(lines)

    def _merge_units(self, actor: User, o: dict[str, Any]) -> str:
        existing = Unit.objects.filter(code=o["into"]).first()
        successor: Unit | services.NewUnit = existing or services.NewUnit(
            code=o["into"], name=o["name"] or "", unit_type=self._type(o["type"]),
            parent=self._unit(o["parent"] or ""),
        )  # fmt: skip
        change = services.merge_units(
            actor=actor, predecessors=[self._unit(c) for c in o["codes"]], successor=successor,
            on=o["on"], reason=o["reason"],
        )  # fmt: skip
        return f"Merged {', '.join(o['codes'])} into {change.unit} from {o['on']:%d/%m/%Y}."

    def _split_units(self, actor: User, o: dict[str, Any]) -> str:
        unit = self._unit(o["code"])
        parent = Unit.objects.get_parent(unit)
        pairs = [item.partition("=") for item in o["into"]]
        if any(not name for _code, _sep, name in pairs):
            raise CommandError("Each --into is CODE=NAME.")
        new = [services.NewUnit(code, name, unit.unit_type, parent) for code, _sep, name in pairs]
        codes = [n.code for n in new]
        target = o["accounts_to"] or codes[0]
        if target not in codes:
            raise CommandError(f"--accounts-to {target} is not one of the new units.")
        services.split_unit(
            actor=actor, predecessor=unit, successors=new, on=o["on"], reason=o["reason"],
            accounts_to=codes.index(target),
        )  # fmt: skip
        return f"Split {unit.code} into {', '.join(codes)} from {o['on']:%d/%m/%Y}."
