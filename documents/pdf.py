"""DOCX to PDF with LibreOffice in headless mode, the same layout as the Word file.

Each conversion runs with its own temporary LibreOffice profile: two conversions sharing a
profile block each other (or fail) when they run at once.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 120
logger = logging.getLogger(__name__)


class PdfUnavailable(Exception):
    """LibreOffice is not installed on the server (or the LIBREOFFICE setting names nothing)."""

    def __init__(self) -> None:
        super().__init__(
            _("Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; hãy tải bản DOCX.")
        )


class PdfFailed(Exception):
    """LibreOffice ran but gave no PDF (what it wrote is in the log)."""


def _binary() -> str | None:
    configured = getattr(settings, "LIBREOFFICE", "soffice")
    return shutil.which(configured) or (
        shutil.which("libreoffice") if configured == "soffice" else None
    )


def pdf_available() -> bool:
    return _binary() is not None


def _command(binary: str, work: Path, source: Path) -> list[str]:
    return [
        binary,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(work),
        str(source),
    ]


def _convert(binary: str, work: Path, source: Path) -> Path:
    """Run LibreOffice; the PDF's path, or PdfFailed with a message for people (what
    LibreOffice wrote goes to the log, not to the user)."""
    try:
        done = subprocess.run(
            _command(binary, work, source), capture_output=True, timeout=TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired as exc:
        message = _("LibreOffice không chuyển xong sau %(seconds)s giây.")
        raise PdfFailed(message % {"seconds": TIMEOUT_SECONDS}) from exc
    result = source.with_suffix(".pdf")
    if done.returncode != 0 or not result.exists():
        logger.warning(
            "LibreOffice gave no PDF (exit %s): %s",
            done.returncode,
            done.stderr.decode(errors="replace").strip(),
        )
        raise PdfFailed(_("Máy chủ không chuyển được báo cáo sang PDF; hãy tải bản DOCX."))
    return result


def to_pdf(docx: bytes) -> bytes:
    binary = _binary()
    if binary is None:
        raise PdfUnavailable
    with tempfile.TemporaryDirectory(prefix="nq57-pdf-") as folder:
        work = Path(folder)
        source = work / "report.docx"
        source.write_bytes(docx)
        return _convert(binary, work, source).read_bytes()
