"""Every write to the register: one transaction each, permission checked inside via org.access.
Registering a document is managing the programme of its issuer (the standing office, sysadmin)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directives.models import Directive
from nq57.uploads import checked_upload
from org import access
from org.access import Action
from org.models import Unit, User
from tasks.models import Task
from tasks.queries import tasks_visible_to

_UPDATABLE = ("number", "issued_on", "kind", "subject", "issuer")


def _tasks_unseen(actor: User, tasks: Sequence[Task]) -> bool:
    wanted = {task.pk for task in tasks}
    seen = set(tasks_visible_to(actor).filter(pk__in=wanted).values_list("pk", flat=True))
    return bool(wanted - seen)


def _prepare(
    actor: User, directive: Directive, tasks: Sequence[Task] | None, upload: UploadedFile | None
) -> str | None:
    """Check the date, the tasks (only those the actor sees) and the file, all at once; put the
    file on the directive and return the name of the file it replaces, if any."""
    errors: dict[str, list[str]] = {}
    if directive.issued_on and directive.issued_on > timezone.localdate():
        errors["issued_on"] = [_("Ngày ban hành không được sau hôm nay.")]
    if tasks and _tasks_unseen(actor, tasks):
        errors["tasks"] = [_("Có nhiệm vụ không tồn tại hoặc bạn không được xem.")]
    original = None
    if upload is not None:
        try:
            original = checked_upload(upload)
        except forms.ValidationError as exc:
            errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if upload is None:
        return None
    replaced = directive.file.name or None
    directive.file = upload  # type: ignore[assignment]
    directive.original_name = original or ""
    return replaced


def _delete_file_on_commit(directive: Directive, name: str | None) -> None:
    """Remove a stored file only once the change is committed (a rollback keeps it)."""
    if name:
        storage = directive.file.storage
        transaction.on_commit(lambda: storage.delete(name))


@contextmanager
def _new_file_dropped_on_error(directive: Directive) -> Iterator[None]:
    """A file this change stored is deleted again when the change then fails: the row that
    would name it is rolled back, and the file would be left behind nameless."""
    before = directive.file.name
    try:
        yield
    except BaseException:
        stored = directive.file.name
        if stored and stored != before and directive.file._committed:
            directive.file.storage.delete(stored)
        raise


def _save(directive: Directive) -> None:
    # A document's symbol is written in capitals (Decree 30/2020/NĐ-CP): "12-cv/bcđ" is 12-CV/BCĐ,
    # so the same document typed twice is caught on SQLite and PostgreSQL alike.
    directive.number = directive.number.strip().upper()
    directive.full_clean(exclude=["entered_by"])  # the actor, given as a saved object
    directive.save()


@transaction.atomic
def create_directive(
    *,
    actor: User,
    issuer: Unit,
    number: str,
    issued_on: date,
    kind: str,
    subject: str,
    tasks: Sequence[Task] = (),
    upload: UploadedFile | None = None,
) -> Directive:
    access.authorize(actor, Action.MANAGE_PROGRAMME, issuer)
    directive = Directive(
        issuer=issuer,
        number=number,
        issued_on=issued_on,
        kind=kind,
        subject=subject,
        entered_by=actor,
    )
    _prepare(actor, directive, tasks, upload)
    with _new_file_dropped_on_error(directive):
        _save(directive)
        directive.tasks.set(tasks)
    return directive


@transaction.atomic
def update_directive(
    *,
    actor: User,
    directive: Directive,
    tasks: Sequence[Task] | None = None,
    upload: UploadedFile | None = None,
    remove_file: bool = False,
    **changes: Any,
) -> Directive:
    """Change what was registered; `tasks` replaces the linked tasks, `upload` the file. Both the
    current issuer and a new one must be the actor's to manage."""
    unknown = set(changes) - set(_UPDATABLE)
    if unknown:
        raise ValueError(f"not updatable here: {sorted(unknown)}")
    directive = Directive.objects.select_for_update().select_related("issuer").get(pk=directive.pk)
    access.authorize(actor, Action.MANAGE_PROGRAMME, directive.issuer)
    if "issuer" in changes:
        access.authorize(actor, Action.MANAGE_PROGRAMME, changes["issuer"])
    for name, value in changes.items():
        setattr(directive, name, value)
    replaced = _prepare(actor, directive, tasks, upload)
    if upload is None and remove_file:
        replaced = directive.file.name or None
        directive.file.name, directive.original_name = "", ""
    with _new_file_dropped_on_error(directive):
        _save(directive)
        if tasks is not None:
            directive.tasks.set(tasks)
    _delete_file_on_commit(directive, replaced)
    return directive


@transaction.atomic
def delete_directive(*, actor: User, directive: Directive) -> None:
    directive = Directive.objects.select_for_update().select_related("issuer").get(pk=directive.pk)
    access.authorize(actor, Action.MANAGE_PROGRAMME, directive.issuer)
    _delete_file_on_commit(directive, directive.file.name or None)
    directive.delete()
