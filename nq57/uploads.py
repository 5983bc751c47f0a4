"""Uploaded files: type checked from the content (not the name), size limited by settings,
stored under a generated name. One check serves evidence, report attachments and imports."""

from __future__ import annotations

import uuid
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


def checked_upload(upload: UploadedFile, allowed: dict[str, bytes] = DOCUMENT_MAGIC) -> str:
    """Validate the upload and give it a generated name; returns the sender's original name."""
    if upload.size and upload.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
        raise forms.ValidationError(_("Tệp lớn hơn %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB})
    original = PurePath(upload.name or "").name  # drops any path the browser sent
    extension = PurePath(original).suffix.lower()
    magic = allowed.get(extension)
    upload.seek(0)
    if magic is None or upload.read(len(magic)) != magic:
        kinds = ", ".join(dict.fromkeys(e.lstrip(".").upper() for e in allowed))
        raise forms.ValidationError(_("Chỉ nhận tệp %(kinds)s.") % {"kinds": kinds})
    upload.seek(0)
    upload.name = f"{uuid.uuid4().hex}{extension}"  # never the sender's name on disk
    return original
