from getpass import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from org.services import bootstrap_province


class Command(BaseCommand):
    help = (
        "On an empty database: create the province (root unit) and its first system administrator."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", default="40")
        parser.add_argument("--name", default="Tỉnh Nghệ An")
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-email", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        password = getpass("Password: ")
        admin = bootstrap_province(
            code=options["code"],
            name=options["name"],
            admin_username=options["admin_username"],
            admin_email=options["admin_email"],
            admin_password=password,
        )
        self.stdout.write(f"Province {admin.unit} created; administrator {admin.username}.")
