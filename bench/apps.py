from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks only: the national-size dataset generator and the timing runners; no models."""

    name = "bench"
