from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data loading only: no models, no views; it calls the apps' services."""

    name = "demo"
