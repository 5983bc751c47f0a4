"""Links reversed once: pages and reports with hundreds of links to a few hundred paths spent a
tenth of their rendering in `reverse`."""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, reverse


def cached_reverse(name: str, *args: str) -> str:
    """`reverse(name, args=args)`, computed once per script prefix, name and arguments (paths
    only, never data; bounded)."""
    return _path(get_script_prefix(), name, args)


@lru_cache(maxsize=8192)
def _path(script_prefix: str, name: str, args: tuple[str, ...]) -> str:
    return reverse(name, args=args)
