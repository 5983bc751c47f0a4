"""Uploaded files: type checked from the whole content (not the name, not only the first bytes),
size limited by settings, stored under a generated name. One check serves evidence, report
attachments, directives and imports.

What the check refuses, beyond a wrong first few bytes:
- anything carrying HTML or script a browser could be talked into rendering (HTML behind a
  `%PDF` header), or an executable (a PDF/MZ polyglot);
- an Office file that is not one (any other ZIP renamed), that carries macros, or that would
  unpack to more than OFFICE_MAX_UNPACKED_MB (a "zip bomb": a small file that fills a worker's
  memory when opened). The sizes checked are those the archive declares; Python's zipfile never
  unpacks more than declared, so the bound holds for every later reader (openpyxl,
  python-docx)."""

from __future__ import annotations

import re
import uuid
import zipfile
from pathlib import PurePath
from typing import IO

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# Accepted extensions, each with the bytes its content must start with.
DOCUMENT_MAGIC = {
    ".pdf": b"%PDF-",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG\r\n\x1a\n",
}
XLSX_ONLY = {".xlsx": DOCUMENT_MAGIC[".xlsx"]}
# An Office file is a ZIP with these parts; any other ZIP (a .jar, an .apk) renamed is refused.
_OFFICE_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
_OFFICE_MAX_PARTS = 10_000
# Markup a browser would render or run if it ever sniffed the file as HTML, and executables.
_ACTIVE_CONTENT = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|object|embed|svg|meta\s+http-equiv)"
    rb"[\s>/]",
    re.IGNORECASE,
)
_EXECUTABLE = re.compile(rb"This program cannot be run in DOS mode|\x7fELF[\x01\x02]")


class OfficeFileRefused(Exception):
    """The archive is not an Office file this system reads; the message says why, in Vietnamese."""


def check_office_archive(
    source: IO[bytes], required_part: str, not_office: str | None = None
) -> None:
    """Refuse a ZIP that is not an Office file with `required_part`, carries macros, has too
    many parts, or declares more than OFFICE_MAX_UNPACKED_MB unpacked (in all: the declared
    sizes bind every reader). Reads only the archive's directory. `not_office`: the message
    when it is no Office file at all."""
    limit = settings.OFFICE_MAX_UNPACKED_MB * 1024 * 1024
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise OfficeFileRefused(not_office or _("Tệp không phải là tệp Office hợp lệ.")) from exc
    finally:
        source.seek(0)
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or required_part not in names:
        raise OfficeFileRefused(not_office or _("Tệp không phải là tệp Office hợp lệ."))
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise OfficeFileRefused(_("Tệp có macro; hãy lưu lại dưới dạng không có macro."))
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > _OFFICE_MAX_PARTS or unpacked > limit:
        raise OfficeFileRefused(
            _("Tệp giải nén ra quá lớn (hơn %(mb)s MB); hãy chia nhỏ tệp.")
            % {"mb": settings.OFFICE_MAX_UNPACKED_MB}
        )


def _whole(upload: UploadedFile) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _content_problem(upload: UploadedFile, extension: str, wrong_kind: str) -> str | None:
    """Why the content is refused, or None."""
    if extension in _OFFICE_PARTS:
        try:
            check_office_archive(upload, _OFFICE_PARTS[extension], wrong_kind)
        except OfficeFileRefused as exc:
            return str(exc)
        return None
    data = _whole(upload)
    if _ACTIVE_CONTENT.search(data) or _EXECUTABLE.search(data):
        return _("Tệp có nội dung không được phép (mã HTML, mã chạy được).")
    return None


def checked_upload(upload: UploadedFile, allowed: dict[str, bytes] = DOCUMENT_MAGIC) -> str:
    """Validate the upload and give it a generated name; returns the sender's original name."""
    if upload.size and upload.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
        raise forms.ValidationError(_("Tệp lớn hơn %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB})
    original = PurePath(upload.name or "").name  # drops any path the browser sent
    extension = PurePath(original).suffix.lower()
    magic = allowed.get(extension)
    upload.seek(0)
    valid = magic is not None and upload.read(len(magic)) == magic
    upload.seek(0)
    kinds = ", ".join(dict.fromkeys(e.lstrip(".").upper() for e in allowed))
    wrong_kind = _("Chỉ nhận tệp %(kinds)s.") % {"kinds": kinds}
    if not valid:
        raise forms.ValidationError(wrong_kind)
    problem = _content_problem(upload, extension, wrong_kind)
    if problem:
        raise forms.ValidationError(problem)
    upload.seek(0)
    upload.name = f"{uuid.uuid4().hex}{extension}"  # never the sender's name on disk
    return original
