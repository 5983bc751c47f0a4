from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class Nq57Config(AppConfig):
    """Shared templates, template tags and static files of the project, and its plumbing: the
    worker, background imports, throttles, health, error pages."""

    name = "nq57"

    def ready(self) -> None:
        from nq57.middleware import mark_sign_in  # the app registry is ready only now

        user_logged_in.connect(mark_sign_in, dispatch_uid="nq57.mark_sign_in")
