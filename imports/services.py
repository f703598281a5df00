"""Every write of a register import: upload, check, save and undo.

The check and the save are background work (``tasks.py``): they report their progress through
the cache, which every process of the portal shares, because the save's own transaction is not
visible to the page that shows the progress until it commits.
"""

import hashlib
from contextlib import contextmanager
from types import SimpleNamespace

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from coopportal.uploads import read_upload

from .engine import ENTITIES, REGISTER_MODELS, Run, chunks, guess_mapping
from .models import ImportedRecord, ImportStatus, RecordAction, RegisterImport

PROGRESS_SECONDS = 6 * 60 * 60


def import_upload(*, user, file_name, content: bytes, consent_on=None, consent_informed=False) -> RegisterImport:
    """Keep an uploaded file as a new import waiting to be checked; the caller enqueues the check."""
    if consent_on is not None and not consent_informed:
        raise ValidationError(
            {
                "consent_informed": ValidationError(
                    _("Confirm that the people were told their ethnicity is sensitive personal data."),
                    code="consent_not_informed",
                )
            }
        )
    register_import = RegisterImport(
        created_by=user,
        file_name=file_name[:255],
        file_sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        consent_on=consent_on,
        consent_informed=consent_informed,
    )
    register_import.full_clean(exclude=["content"])
    register_import.save()
    return register_import


def progress_key(register_import_pk):
    """The cache key of an import's progress."""
    return f"register-import-progress-{register_import_pk}"


def progress_of(register_import):
    """``{"done", "total", "percent"}`` of the work under way, from the cache; zeros when none is known."""
    progress = cache.get(progress_key(register_import.pk)) or {"done": 0, "total": 0}
    total = progress["total"]
    progress["percent"] = 100 if not register_import.is_busy else (100 * progress["done"] // total if total else 0)
    return progress


def _progress_reporter(register_import_pk):
    last = {"done": -1}
    cache.delete(progress_key(register_import_pk))  # a new piece of work starts from nothing

    def report(done, total):
        # Every row would be thousands of cache writes; one in fifty rows, and the last, is enough to watch.
        if done == total or done - last["done"] >= 50:
            last["done"] = done
            cache.set(progress_key(register_import_pk), {"done": done, "total": total}, PROGRESS_SECONDS)

    return report


@contextmanager
def _history_user(user):
    """History rows written outside a request (the worker) name the user who asked for the work."""
    previous = getattr(HistoricalRecords.context, "request", None)
    if previous is None:
        HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del HistoricalRecords.context.request


def _set_status(register_import, status, **fields):
    register_import.status = status
    for name, value in fields.items():
        setattr(register_import, name, value)
    register_import.save(update_fields=["status", *fields])


def _read(register_import):
    """The import's sheets, or None with the import marked as failed and the reason kept."""
    try:
        return read_upload(bytes(register_import.content), register_import.file_name)
    except ValidationError as error:
        _set_status(register_import, ImportStatus.FAILED, failure=" ".join(error.messages))
        return None


def _run(register_import, sheets, *, user, commit, expected=None):
    run = Run(
        user=user,
        consent_on=register_import.consent_on,
        consent_informed=register_import.consent_informed,
        governance=register_import.mapping.get("governance", {}),
        progress=_progress_reporter(register_import.pk),
    )
    with _history_user(user):
        return run.run(sheets, register_import.mapping.get("sheets", {}), commit=commit, expected=expected)


def import_check(*, register_import: RegisterImport) -> RegisterImport:
    """Read the file with its mapping (guessed on the first check) and record what a save would do.

    Nothing of the register is written: the run rolls back. The import keeps the counts, the
    refused rows and the notes for the preview.
    """
    _set_status(register_import, ImportStatus.CHECKING)
    sheets = _read(register_import)
    if sheets is None:
        return register_import
    if not register_import.mapping.get("sheets"):
        register_import.mapping = {**register_import.mapping, "sheets": guess_mapping(sheets)}
    report = _run(register_import, sheets, user=register_import.created_by, commit=False)
    register_import.sheets = [
        {"name": sheet.name, "rows": len(sheet.rows), **register_import.mapping["sheets"].get(sheet.name, {})}
        for sheet in sheets
    ]
    _set_status(
        register_import,
        ImportStatus.CHECKED,
        mapping=register_import.mapping,
        sheets=register_import.sheets,
        counts=report.counts_dict(),
        plan_digest=report.digest,
        errors=[problem.as_dict() for problem in report.errors],
        notes=report.notes,
        organisations=report.organisations,
        checked_at=timezone.now(),
        failure="",
    )
    register_import.communes.set(report.communes)
    return register_import


def import_remap(*, register_import: RegisterImport, mapping: dict) -> RegisterImport:
    """Keep a corrected mapping (sheets, columns, governance choices) and queue the check again.

    Raises ValidationError unless the import is checked and not saved. The caller enqueues the check.
    """
    if register_import.status != ImportStatus.CHECKED:
        raise ValidationError(
            _("Only a checked import that has not been saved can be corrected."), code="import_not_correctable"
        )
    _set_status(register_import, ImportStatus.QUEUED, mapping=mapping, errors=[])
    cache.delete(progress_key(register_import.pk))
    return register_import


def import_queue_save(*, register_import: RegisterImport) -> RegisterImport:
    """Mark a checked import as being saved, so that a second click cannot save it twice; the caller enqueues it.

    Call it with the import's row locked (``select_for_update``). Raises ValidationError when the
    import is being saved or was saved, has refused rows or changes nothing.
    """
    if register_import.status in (ImportStatus.SAVING, ImportStatus.SAVED):
        raise ValidationError(_("This import is already being saved or has been saved."), code="import_saving")
    if not register_import.may_be_saved:
        raise ValidationError(
            _("Only a checked import with no refused row and something to change can be saved."),
            code="import_not_ready",
        )
    _set_status(register_import, ImportStatus.SAVING)
    cache.delete(progress_key(register_import.pk))
    return register_import


def import_save(*, register_import: RegisterImport, user) -> RegisterImport:
    """Save every row, or none: the same run as the check, kept when no row is refused.

    The register may have changed since the check: a row refused now leaves the import checked,
    with the new reasons, and nothing saved.
    """
    if register_import.status not in (ImportStatus.CHECKED, ImportStatus.SAVING) or register_import.errors:
        raise ValidationError(_("Only a checked import without refused rows can be saved."), code="import_not_ready")
    _set_status(register_import, ImportStatus.SAVING)
    sheets = _read(register_import)
    if sheets is None:
        return register_import
    with transaction.atomic():
        report = _run(register_import, sheets, user=user, commit=True, expected=register_import.plan_digest)
        if not report.committed:
            changed = (
                []
                if report.errors
                else [
                    _(
                        "The register has changed since this file was checked: the save would now do something "
                        "else. Nothing was saved; read the new preview and save again."
                    )
                ]
            )
            _set_status(
                register_import,
                ImportStatus.CHECKED,
                counts=report.counts_dict(),
                plan_digest=report.digest,
                errors=[problem.as_dict() for problem in report.errors],
                notes=[*changed, *report.notes],
                checked_at=timezone.now(),
            )
            return register_import
        content_types = {entity: ContentType.objects.get_for_model(model) for entity, model in REGISTER_MODELS.items()}
        ImportedRecord.objects.bulk_create(
            ImportedRecord(
                register_import=register_import,
                content_type=content_types[entity],
                object_id=pk,
                action=RecordAction.CREATED if action == "create" else RecordAction.UPDATED,
                history_id=report.history.get((entity, pk), [None, None])[0],
                previous_history_id=report.history.get((entity, pk), [None, None])[1],
                position=position,
            )
            for position, (entity, pk, action) in enumerate(report.written)
        )
        _set_status(
            register_import,
            ImportStatus.SAVED,
            counts=report.counts_dict(),
            notes=report.notes,
            saved_at=timezone.now(),
            saved_by=user,
        )
        register_import.communes.set(report.communes)
    return register_import


def _records_by_entity(register_import):
    by_entity = {entity: [] for entity in ENTITIES}
    entity_of = {ContentType.objects.get_for_model(model).pk: entity for entity, model in REGISTER_MODELS.items()}
    for record in register_import.records.all():
        by_entity[entity_of[record.content_type_id]].append(record)
    return by_entity


def undo_blockers(register_import: RegisterImport) -> list[str]:
    """Why the import cannot be undone: an undo is refused once anything it wrote has been changed since.

    Returns one sentence per row changed later (by a form, another import or the admin) and one per
    row of the register that now depends on a row the import created; an empty list means it can be undone.
    """
    if register_import.status != ImportStatus.SAVED:
        return [_("Only a saved import can be undone.")]
    blockers = []
    records = _records_by_entity(register_import)
    for entity, entity_records in records.items():
        model = REGISTER_MODELS[entity]
        written = {record.object_id: record.history_id for record in entity_records}
        latest = {}
        for chunk in chunks(list(written)):
            latest.update(
                model.history.filter(id__in=chunk)
                .values("id")
                .annotate(last=Max("history_id"))
                .values_list("id", "last")
            )
        changed = [pk for pk, history_id in written.items() if history_id is not None and latest.get(pk) != history_id]
        for instance in model.objects.filter(pk__in=changed[:20]):
            blockers.append(
                _("%(kind)s “%(name)s” has been changed since the import.")
                % {"kind": model._meta.verbose_name.capitalize(), "name": instance}
            )
        if len(changed) > 20:
            blockers.append(_("… and %(count)s more rows changed since the import.") % {"count": len(changed) - 20})
    return blockers


def import_undo(*, register_import: RegisterImport, user) -> RegisterImport:
    """Remove what the import created and put back what it changed, all or nothing.

    Rows it created go, with their history (they never were, as far as the figures are concerned);
    rows it changed get their values from before the import back, the change kept in their history.
    Raises ValidationError with the reasons when ``undo_blockers`` finds any.
    """
    blockers = undo_blockers(register_import)
    if blockers:
        raise ValidationError(blockers, code="import_cannot_be_undone")
    records = _records_by_entity(register_import)
    try:
        with transaction.atomic(), _history_user(user):
            for entity in reversed(ENTITIES):
                model = REGISTER_MODELS[entity]
                created = [r.object_id for r in records[entity] if r.action == RecordAction.CREATED]
                for chunk in chunks(created):
                    for instance in model.objects.filter(pk__in=chunk):
                        instance.delete()
                    _delete_history(model, chunk)
            for entity in ENTITIES:
                model = REGISTER_MODELS[entity]
                for record in records[entity]:
                    if record.action == RecordAction.UPDATED and record.previous_history_id:
                        _restore(model, record)
            register_import.communes.clear()
            _set_status(register_import, ImportStatus.UNDONE, undone_at=timezone.now(), undone_by=user)
    except (ProtectedError, IntegrityError) as error:
        raise ValidationError(
            _("Something the import created is now used elsewhere in the register: %(detail)s")
            % {"detail": ", ".join(str(obj) for obj in getattr(error, "protected_objects", []))[:500]},
            code="import_cannot_be_undone",
        ) from error
    return register_import


def _restore(model, record):
    """Put back the values a row had before the import, checked by its model's rules; the history keeps both."""
    previous = model.history.get(history_id=record.previous_history_id)
    instance = model.objects.get(pk=record.object_id)
    for model_field in model._meta.concrete_fields:
        if not model_field.primary_key:
            setattr(instance, model_field.attname, getattr(previous, model_field.attname))
    instance.full_clean()
    instance.save()


def _delete_history(model, pks):
    """The history of rows that never were: their entries, and those of their many-to-many fields (sectors)."""
    history_ids = list(model.history.filter(id__in=pks).values_list("history_id", flat=True))
    for related in apps.get_models():
        for model_field in related._meta.fields:
            if model_field.name == "history" and model_field.related_model is model.history.model:
                related.objects.filter(history__in=history_ids).delete()
    model.history.filter(history_id__in=history_ids).delete()
