"""Rendered pages, for the tests: DOCX → PDF through LibreOffice (several files in one run), PDF →
page images and word positions through poppler (pdftoppm, pdftotext), and the check a drafter
makes by eye: the page with the signature also holds the end of the text."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from documents.pdf import TIMEOUT_SECONDS, pdf_available

DPI = 36
TOP_MARGIN_PT = 20 * 72 / 25.4  # the page's top margin (20 mm); the page number sits above it
SIGNATURE_WORD = "Nơi"  # "Nơi nhận:", the first line of the signature block


def require_renderers() -> None:
    """LibreOffice and poppler must be there on CI (`make` installs them); elsewhere the test is
    skipped."""
    if pdf_available() and shutil.which("pdftoppm") and shutil.which("pdftotext"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice and poppler-utils must be installed on CI")
    pytest.skip("LibreOffice or poppler-utils is not installed")


def to_pdfs(documents: Sequence[bytes], folder: Path) -> list[Path]:
    """Every DOCX converted in one LibreOffice run (one start instead of one per file)."""
    sources = []
    for n, data in enumerate(documents):
        source = folder / f"d{n}.docx"
        source.write_bytes(data)
        sources.append(source)
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    assert binary is not None
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [binary, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(folder), *map(str, sources)],
        capture_output=True, check=True, timeout=TIMEOUT_SECONDS,
    )  # fmt: skip
    return [source.with_suffix(".pdf") for source in sources]


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    assert found is not None
    return int(found.group(1))


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def _word_top(pdf: Path, page: int, word: str) -> float | None:
    """Where `word` first stands on the page (points from the top), from pdftotext's boxes."""
    html = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    for y_min, text in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html):
        if text == word:
            return float(y_min)
    return None


@dataclass(frozen=True)
class Image:
    """A page rendered in grey levels (PGM from pdftoppm), one byte per pixel."""

    width: int
    height: int
    pixels: bytes

    def inked_rows(self, top: int, bottom: int) -> int:
        """How many pixel rows between `top` and `bottom` hold something darker than paper."""
        rows = 0
        for y in range(max(top, 0), min(bottom, self.height)):
            row = self.pixels[y * self.width : (y + 1) * self.width]
            rows += min(row) < 128
        return rows


def render(pdf: Path, page: int) -> Image:
    with tempfile.TemporaryDirectory() as folder:
        stem = Path(folder) / "page"
        subprocess.run(
            ["pdftoppm", "-gray", "-r", str(DPI), "-f", str(page), "-l", str(page),
             "-singlefile", str(pdf), str(stem)],
            capture_output=True, check=True,
        )  # fmt: skip
        data = stem.with_suffix(".pgm").read_bytes()
    magic, width, height, _maximum, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    return Image(int(width), int(height), pixels)


def signature_page_holds_text(pdf: Path) -> bool:
    """The page where the signature block starts shows text above it (the last paragraphs), not
    only the page number: a drafter never signs a page holding only the signature and "Nơi
    nhận"."""
    for page in range(1, page_count(pdf) + 1):
        top = _word_top(pdf, page, SIGNATURE_WORD)
        if top is None or "Nơi nhận" not in page_text(pdf, page):
            continue
        image = render(pdf, page)
        scale = DPI / 72
        return image.inked_rows(round(TOP_MARGIN_PT * scale), round(top * scale) - 2) > 0
    raise AssertionError("no page holds the signature block")
