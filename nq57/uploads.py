"""Uploaded files: type checked from the content (not the name), size limited by settings,
stored under a generated name. One check serves evidence, report attachments and imports."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# Accepted extensions, each with the bytes its content must start with.
DOCUMENT_MAGIC = {
    ".pdf": b"%PDF",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG",
}
XLSX_ONLY = {".xlsx": DOCUMENT_MAGIC[".xlsx"]}
# An Office file is a ZIP with these parts; any other ZIP (a .jar, an .apk) renamed is refused.
_OFFICE_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}


def _is_office_file(upload: UploadedFile, part: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and part in names


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
    if valid and extension in _OFFICE_PARTS:
        valid = _is_office_file(upload, _OFFICE_PARTS[extension])
    if not valid:
        kinds = ", ".join(dict.fromkeys(e.lstrip(".").upper() for e in allowed))
        raise forms.ValidationError(_("Chỉ nhận tệp %(kinds)s.") % {"kinds": kinds})
    upload.seek(0)
    upload.name = f"{uuid.uuid4().hex}{extension}"  # never the sender's name on disk
    return original
