"""Where uploads and generated reports are written (settings.STORAGES["default"])."""

from __future__ import annotations

import contextlib
import os
from typing import Any

from django.core.files.storage import FileSystemStorage


class MediaStorage(FileSystemStorage):
    """The file system storage, leaving nothing behind when a write fails: a disk that fills up
    mid-upload (ENOSPC) used to leave the partial file on disk. The error still reaches the
    caller, whose transaction then saves no row (nq57.errors shows a 507)."""

    def _save(self, name: str, content: Any) -> str:
        try:
            return super()._save(name, content)  # type: ignore[misc]  # untyped in the stubs
        except FileExistsError:
            raise
        except OSError:
            # Every stored name is generated (uuid), so the file at this path is this write's.
            with contextlib.suppress(OSError):
                os.remove(self.path(name))
            raise
