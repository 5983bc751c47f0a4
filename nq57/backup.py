"""Backups that restore (`manage.py backup` / `restore`): one archive holding the database and
every uploaded or generated file, with a manifest of the files' checksums.

Plain tools, no extra package: PostgreSQL through `pg_dump -Fc` / `pg_restore --clean
--single-transaction` (what any PostgreSQL administrator knows, restorable by hand without
this code), SQLite through its online backup API. django-dbbackup would add a dependency and a
storage layer for the same two commands.

Restore is all-or-nothing for each half and leaves nothing of the present behind: the database
is restored in one transaction, the media folder is unpacked beside the live one, checked
against the manifest, then swapped in whole — a file uploaded after the backup does not stay as
an orphan. Stop the web servers and the worker first (README §7)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """The archive cannot be made or restored; nothing was changed by a failed restore of the
    part that failed."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[Path]:
    if root.exists():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


def media_checksums(root: Path | None = None) -> dict[str, str]:
    """Every file under the media folder, by relative path, with its SHA-256."""
    root = Path(root or settings.MEDIA_ROOT)
    return {str(p.relative_to(root)): _sha256(p) for p in _media_files(root)}


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """libpq arguments and environment for the current database (the test database included)."""
    conf = connection.settings_dict
    args = ["--dbname", conf["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if conf.get(key):
            args += [flag, str(conf[key])]
    env = dict(os.environ)
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def _dump_database(target: Path) -> str:
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)
        return "postgresql"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return "sqlite"
    raise BackupError(f"unsupported database: {connection.vendor}")


def _restore_database(source: Path, engine: str) -> None:
    if engine != connection.vendor:
        raise BackupError(
            f"the archive holds a {engine} database, this system runs {connection.vendor}"
        )
    if engine == "postgresql":
        connection.close()
        args, env = _pg_env()
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run([*command, *args, str(source)], env)
        return
    connection.ensure_connection()
    with sqlite3.connect(source) as saved:
        saved.backup(connection.connection)


def create_backup(folder: Path, *, now: datetime | None = None) -> Path:
    """Write `nq57-backup-<time>.tar` in `folder`: the database, the media folder, the manifest.
    Returns its path."""
    stamp = (now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / f"nq57-backup-{stamp}.tar"
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=folder) as work:
        dump = Path(work) / "database"
        engine = _dump_database(dump)
        checksums = media_checksums(media)
        manifest = {
            "format": FORMAT,
            "created_at": (now or timezone.now()).isoformat(),
            "engine": engine,
            "database_sha256": _sha256(dump),
            "media": checksums,
        }
        partial = archive.with_suffix(".tar.part")
        with tarfile.open(partial, "w") as tar:
            manifest_file = Path(work) / MANIFEST
            manifest_file.write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
            tar.add(manifest_file, arcname=MANIFEST)
            tar.add(dump, arcname="database")
            for relative in checksums:
                tar.add(media / relative, arcname=f"media/{relative}")
        partial.replace(archive)  # a backup cut short never looks complete
    archive.chmod(0o600)
    return archive


def read_manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        member = tar.extractfile(MANIFEST)
        if member is None:
            raise BackupError("no manifest in the archive")
        manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError("unknown archive format")
    return manifest


def restore_backup(archive: Path) -> dict[str, Any]:
    """Put the database and the media folder back as they were in `archive`. Returns the
    manifest."""
    manifest = read_manifest(archive)
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent) as work:
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")  # refuses absolute paths, links out, devices
        unpacked = Path(work)
        if _sha256(unpacked / "database") != manifest["database_sha256"]:
            raise BackupError("the database dump does not match its checksum")
        restored_media = unpacked / "media"
        restored_media.mkdir(exist_ok=True)
        if media_checksums(restored_media) != manifest["media"]:
            raise BackupError("the media files do not match the manifest")
        _restore_database(unpacked / "database", manifest["engine"])
        old = unpacked / "media-before-restore"
        if media.exists():
            media.rename(old)
        restored_media.rename(media)
        shutil.rmtree(old, ignore_errors=True)
    return manifest
