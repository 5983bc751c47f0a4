"""Comparing workbooks by what they hold: two saves of the same content differ in bytes
(openpyxl stamps the time into the document properties and the zip entries)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook


def cells(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's rows of values, by sheet name."""
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
