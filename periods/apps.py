from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    """The reporting calendar: periods, their dates and codes, and which one is open or current."""

    name = "periods"
