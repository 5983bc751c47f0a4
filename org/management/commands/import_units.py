from typing import IO

from org.import_command import XlsxImportCommand
from org.models import User
from org.services import import_units
from org.unit_rows import parse_unit_file


class Command(XlsxImportCommand):
    help = (
        "Add units from FILE (.csv in UTF-8 or .xlsx, sheet “Đơn vị”), columns "
        "code,name,type,parent_code as export_units writes them: all or nothing, every bad row "
        "and column named. Units already in the tree must be as the file says (left as they "
        "are). Run bootstrap_province first, then this, to load a province's own tree."
    )

    def run(self, *, actor: User, source: IO[bytes], dry_run: bool) -> str:
        summary = import_units(actor=actor, rows=parse_unit_file(source), dry_run=dry_run)
        return f"{summary.created} units created, {summary.unchanged} already there."
