from django.apps import AppConfig


class Nq57Config(AppConfig):
    """Shared templates, template tags and static files of the project."""

    name = "nq57"
