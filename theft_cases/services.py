"""Writes of case feeding: single entry, correction, bulk import (DESIGN §5).

Every function here is the one place its state change happens; each runs in
``transaction.atomic`` and queues follow-up tasks only once the data commits.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from common.queueing import broker_available, enqueue, enqueue_on_commit
from core.dates import today_ist
from organization.models import OrgUnit
from organization.scoping import sub_divisions_visible_to
from theft_cases import import_files, import_kept, importing
from theft_cases.models import CaseImport, Consumer, ImportStatus, TheftCase
from theft_cases.rows import CaseRow

logger = logging.getLogger(__name__)
# A validation writes its progress to the database at most this often.
PROGRESS_WRITE_SECONDS = 2.0

CASE_FIELDS = importing.CASE_FIELDS
CONSUMER_FIELDS = importing.CONSUMER_FIELDS
MONEY_FIELDS = importing.MONEY_FIELDS


def _sub_division_for(user, code: str) -> OrgUnit:
    unit = sub_divisions_visible_to(user).filter(code=code).first()
    if unit is None:
        raise ValidationError(_("This sub-division is outside your jurisdiction."))
    return unit


# Who re-quotes when a case's amounts change. ots_scheme sits above theft_cases
# (DESIGN §2), so it registers its handler at start-up (OtsSchemeConfig.ready).
_AMOUNTS_CHANGED: dict[str, Callable[[list[int]], int]] = {}


def on_case_amounts_changed(name: str, handler: Callable[[list[int]], int]) -> None:
    """Register ``handler(case_ids) -> queued``, called when cases' amounts change."""
    _AMOUNTS_CHANGED[name] = handler


def queue_quote_recompute(case_ids: list[int]) -> int:
    """Queue a re-quote for each case with a registration not yet frozen (§4.2).

    Call inside the transaction that changed the amounts: the tasks go out on
    commit. Returns how many were queued.
    """
    if not case_ids:
        return 0
    if not _AMOUNTS_CHANGED:
        raise ImproperlyConfigured("no app re-quotes changed cases (is 'ots_scheme' installed?)")
    return sum(handler(case_ids) for handler in _AMOUNTS_CHANGED.values())


@transaction.atomic
def case_feed(*, user, row: CaseRow) -> TheftCase:
    """Feed one case (single entry): a new consumer row and the case."""
    unit = _sub_division_for(user, row.sub_division_code)
    if TheftCase.objects.filter(case_number__iexact=row.case_number).exists():
        raise ValidationError(_("A case with this number is already on the portal."))
    consumer = Consumer(**{name: getattr(row, name) for name in CONSUMER_FIELDS})
    consumer._history_user = user
    consumer.save()
    case = TheftCase(
        case_number=row.case_number, consumer=consumer, sub_division=unit,
        fed_at=timezone.now(), fed_by=user,
        **{name: getattr(row, name) for name in CASE_FIELDS if name != "sub_division_id"},
    )
    case._history_user = user
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as exc:  # fed by someone else a moment ago
        raise ValidationError(_("A case with this number is already on the portal.")) from exc
    return case


@transaction.atomic
def case_update(*, user, case_id: int, row: CaseRow) -> TheftCase:
    """Correct a case's fields (all but its number); every change is in history."""
    case = (TheftCase.objects.select_for_update(of=("self", "consumer"))
            .select_related("consumer").get(pk=case_id))
    unit = _sub_division_for(user, row.sub_division_code)
    changed_money = False
    case_changed = False
    for name in CASE_FIELDS:
        value = unit.pk if name == "sub_division_id" else getattr(row, name)
        if getattr(case, name) != value:
            setattr(case, name, value)
            case_changed = True
            changed_money = changed_money or name in MONEY_FIELDS
    consumer = case.consumer
    person_changed = False
    for name in CONSUMER_FIELDS:
        if getattr(consumer, name) != getattr(row, name):
            setattr(consumer, name, getattr(row, name))
            person_changed = True
    if person_changed:
        consumer._history_user = user
        consumer.save()
    if case_changed:
        case._history_user = user
        case.save()
    if changed_money:
        queue_quote_recompute([case.pk])
    return case


def cases_ingest(*, user, unit: OrgUnit, rows: list[dict], dry_run: bool,
                 change_reason: str, today: dt.date | None = None) -> importing.Outcome:
    """Feed or correct cases sent as rows by a machine client (DESIGN §8).

    The bulk import's pipeline (:func:`importing.run_rows`): the same row
    validator, jurisdiction check (``unit`` and below), change detection and
    history (``user`` is the author). ``dry_run`` validates only. Two clients
    feeding one new case number at once: the loser's batch is run again and
    finds the case there.
    """
    today = today or today_ist()
    if dry_run:
        return importing.run_rows(rows, user=user, prefix=unit.path, today=today,
                                  apply=False, change_reason=change_reason)
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                outcome = importing.run_rows(rows, user=user, prefix=unit.path, today=today,
                                             apply=True, change_reason=change_reason)
                queue_quote_recompute(outcome.changed_money_case_ids)
            return outcome
        except IntegrityError:
            if attempt == 2:
                raise
            logger.info("case ingest: another writer fed the same case numbers; running again")
    raise AssertionError("unreachable")


# --- Bulk import -------------------------------------------------------------------


def _progress_key(case_import_id: int) -> str:
    return f"case-import-progress:{case_import_id}"


def import_progress(case_import: CaseImport) -> int:
    """Return rows processed so far (the apply step reports through the cache)."""
    cached = cache.get(_progress_key(case_import.pk))
    return max(case_import.processed_rows, cached or 0)


def _set_progress(case_import_id: int, processed: int, *, in_database: bool) -> None:
    cache.set(_progress_key(case_import_id), processed, 3600)
    if in_database:
        CaseImport.objects.filter(pk=case_import_id).update(processed_rows=processed)


def _validation_progress(case_import_id: int) -> Callable[[int], None]:
    """Progress of a validation: the cache at once, the database every few seconds.

    The row count in the database is what the stalled-import job watches
    (and the page falls back to); each write is a commit of its own.
    """
    written = 0.0

    def progress(processed: int) -> None:
        nonlocal written
        now = time.monotonic()
        in_database = now - written >= PROGRESS_WRITE_SECONDS
        if in_database:
            written = now
        _set_progress(case_import_id, processed, in_database=in_database)

    return progress


@transaction.atomic
def import_upload(*, user, uploaded_file, language: str = "hi") -> CaseImport:
    """Keep the uploaded file and queue its validation (the preview)."""
    # function-level: a cycle, theft_cases.tasks imports this module at module level
    from theft_cases.tasks import validate_case_import

    if not broker_available():
        raise ValidationError(_("Imports are temporarily unavailable (the background "
                                "service is not answering). Nothing was stored; please "
                                "upload the file again in a few minutes."))
    case_import = CaseImport(
        uploaded_by=user, original_name=Path(uploaded_file.name).name[:255],
        status=ImportStatus.UPLOADED,
    )
    case_import.file.save(Path(uploaded_file.name).name, uploaded_file, save=False)
    case_import.save()
    enqueue_on_commit(validate_case_import, case_import.pk, language)
    return case_import


def _report_file():
    """A temporary text file for the error report (kept off the heap)."""
    return io.TextIOWrapper(tempfile.TemporaryFile(), encoding="utf-8", newline="")


def _store_counts(case_import: CaseImport, outcome: importing.Outcome) -> None:
    case_import.total_rows = outcome.processed
    case_import.created_count = outcome.created
    case_import.updated_count = outcome.updated
    case_import.unchanged_count = outcome.unchanged
    case_import.rejected_count = outcome.rejected
    case_import.rejected_rows = outcome.rejected_rows
    case_import.processed_rows = outcome.processed


def _store_result(case_import: CaseImport, outcome: importing.Outcome, report) -> None:
    _store_counts(case_import, outcome)
    if case_import.error_report:
        case_import.error_report.delete(save=False)
    if outcome.rejected:
        name = f"errors-{case_import.pk}.csv"
        report.flush()
        report.buffer.seek(0)  # stored as UTF-8 bytes, whatever the locale
        case_import.error_report.save(name, File(report.buffer), save=False)


def import_validate(*, case_import_id: int, language: str = "hi",
                    today: dt.date | None = None) -> CaseImport | None:
    """Validate an uploaded file and store the preview; idempotent by status."""
    with transaction.atomic():
        case_import = CaseImport.objects.select_for_update().get(pk=case_import_id)
        if case_import.status not in (ImportStatus.UPLOADED, ImportStatus.VALIDATING):
            return None
        case_import.status = ImportStatus.VALIDATING
        case_import.processed_rows = 0
        case_import.save(update_fields=["status", "processed_rows"])
    user = case_import.uploaded_by
    with override(language), _report_file() as report:
        try:
            with case_import.file.open("rb") as handle:
                case_import.total_rows = import_files.estimate_rows(handle)
                CaseImport.objects.filter(pk=case_import_id).update(
                    total_rows=case_import.total_rows
                )
                outcome = importing.run_import(
                    handle=handle, user=user, today=today or today_ist(), apply=False,
                    report_stream=report, keep_for=case_import_id,
                    progress=_validation_progress(case_import_id),
                )
        except importing.ImportFileError as exc:
            return _fail(case_import_id, exc.message())
        with transaction.atomic():
            case_import = CaseImport.objects.select_for_update().get(pk=case_import_id)
            if case_import.status != ImportStatus.VALIDATING:
                return None
            _store_result(case_import, outcome, report)
            case_import.status = ImportStatus.PREVIEWED
            case_import.message = ""
            case_import.save()
    return case_import


def _fail(case_import_id: int, message: str) -> CaseImport:
    with transaction.atomic():
        case_import = CaseImport.objects.select_for_update().get(pk=case_import_id)
        case_import.status = ImportStatus.FAILED
        case_import.message = message
        case_import.save(update_fields=["status", "message"])
    return case_import


def import_fail_unexpected(*, case_import_id: int, error: Exception,
                           language: str = "hi") -> CaseImport | None:
    """Mark a validating or applying import failed after an unexpected error.

    The tasks call this for any error the pipeline did not turn into a
    refusal of its own, so an import never waits for ever; an apply has
    rolled back, so nothing of it was written. A database that cannot be
    reached is left to the stalled-import sweep, which queues it again.
    """
    from django.db import DatabaseError, InterfaceError, OperationalError

    if isinstance(error, (OperationalError, InterfaceError)):
        raise error
    logger.exception("case import %s stopped on an unexpected error", case_import_id,
                     exc_info=error)
    with override(language):
        message = _("The import stopped on an unexpected error (%(error)s). Nothing was "
                    "applied. Check the file against the import template, or send it to "
                    "IT support.") % {"error": error.__class__.__name__}
    try:
        with transaction.atomic():
            case_import = CaseImport.objects.select_for_update().filter(
                pk=case_import_id).first()
            if case_import is None or case_import.status not in (
                    ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.APPLYING):
                return None
            case_import.status = ImportStatus.FAILED
            case_import.message = message
            case_import.save(update_fields=["status", "message"])
    except DatabaseError:
        raise error from None
    return case_import


@transaction.atomic
def import_confirm(*, user, case_import_id: int, language: str = "hi") -> CaseImport:
    """Accept the preview: queue the apply step (once)."""
    # function-level: a cycle, theft_cases.tasks imports this module at module level
    from theft_cases.tasks import apply_case_import

    case_import = CaseImport.objects.select_for_update().get(pk=case_import_id)
    if case_import.uploaded_by_id != user.pk and not user.is_superuser:
        raise PermissionDenied
    if case_import.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("This import is not waiting for confirmation."))
    if not broker_available():
        raise ValidationError(_("Imports are temporarily unavailable (the background "
                                "service is not answering). Nothing was applied; please "
                                "confirm again in a few minutes."))
    case_import.status = ImportStatus.APPLYING
    case_import.save(update_fields=["status"])
    cache.delete(_progress_key(case_import.pk))
    enqueue_on_commit(apply_case_import, case_import.pk, language)
    return case_import


@transaction.atomic
def import_cancel(*, user, case_import_id: int) -> CaseImport:
    """Drop a previewed import without applying it."""
    case_import = CaseImport.objects.select_for_update().get(pk=case_import_id)
    if case_import.uploaded_by_id != user.pk and not user.is_superuser:
        raise PermissionDenied
    if case_import.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("This import is not waiting for confirmation."))
    case_import.status = ImportStatus.CANCELLED
    case_import.save(update_fields=["status"])
    import_kept.drop(case_import.pk)
    return case_import


def import_apply(*, case_import_id: int, language: str = "hi",
                 today: dt.date | None = None) -> CaseImport | None:
    """Apply a confirmed import in one transaction; idempotent by status."""
    try:
        with transaction.atomic(), override(language), _report_file() as report:
            case_import = CaseImport.objects.select_for_update().get(pk=case_import_id)
            if case_import.status != ImportStatus.APPLYING:
                return None
            today = today or today_ist()
            # The rows the preview kept, when they still hold; else the file again.
            outcome = importing.apply_kept(
                case_import=case_import, user=case_import.uploaded_by, today=today,
                change_reason=f"import {case_import.pk}")
            if outcome is None:
                with case_import.file.open("rb") as handle:
                    outcome = importing.run_import(
                        handle=handle, user=case_import.uploaded_by, today=today,
                        apply=True, report_stream=report,
                        change_reason=f"import {case_import.pk}",
                        progress=lambda n: _set_progress(case_import_id, n,
                                                         in_database=False),
                    )
                _store_result(case_import, outcome, report)
            else:
                _store_counts(case_import, outcome)
                _set_progress(case_import_id, outcome.processed, in_database=False)
            import_kept.drop(case_import.pk)
            case_import.status = ImportStatus.APPLIED
            case_import.applied_at = timezone.now()
            case_import.message = ""
            case_import.save()
            queue_quote_recompute(outcome.changed_money_case_ids)
    except importing.ImportFileError as exc:
        with override(language):
            return _fail(case_import_id, exc.message())
    return case_import


def import_from_path(*, user, path: Path, language: str = "en",
                     today: dt.date | None = None) -> CaseImport:
    """Import a file from disk (the command): upload, validate, apply, synchronously.

    The file is checked before anything is stored, so a refused file leaves
    no trace.
    """
    with open(path, "rb") as handle:
        import_files.check_file(handle)
        case_import = CaseImport(
            uploaded_by=user, original_name=path.name[:255], status=ImportStatus.UPLOADED
        )
        case_import.file.save(path.name, File(handle), save=False)
    case_import.save()
    import_validate(case_import_id=case_import.pk, language=language, today=today)
    case_import.refresh_from_db()
    if case_import.status != ImportStatus.PREVIEWED:
        return case_import
    CaseImport.objects.filter(pk=case_import.pk).update(status=ImportStatus.APPLYING)
    import_apply(case_import_id=case_import.pk, language=language, today=today)
    case_import.refresh_from_db()
    return case_import


def resume_stalled_imports(*, stalled_after: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Queue again the imports whose task was lost or whose worker died.

    An upload queued while the broker was down, a validation that stopped
    making progress, or an apply whose worker was killed (its transaction
    rolled back, so nothing was half-written) is queued once more. The tasks
    are idempotent by status and the apply holds a row lock for its whole
    transaction, so a copy queued beside a slow but living task only waits
    and then finds nothing to do.
    """
    # function-level: a cycle, theft_cases.tasks imports this module at module level
    from theft_cases.tasks import apply_case_import, validate_case_import

    cutoff = timezone.now() - stalled_after
    queued = 0
    waiting = CaseImport.objects.filter(
        status__in=[ImportStatus.UPLOADED, ImportStatus.VALIDATING], uploaded_at__lt=cutoff
    ).values_list("pk", "status", "processed_rows")
    for pk, status, processed in waiting:
        key = f"case-import-stall:{pk}"
        if status == ImportStatus.UPLOADED or cache.get(key) == processed:
            queued += enqueue(validate_case_import, pk)
        cache.set(key, processed, int(stalled_after.total_seconds() * 3))
    with transaction.atomic():
        # Locked rows are being applied right now; the rest lost their worker.
        idle = list(CaseImport.objects.select_for_update(skip_locked=True)
                    .filter(status=ImportStatus.APPLYING, uploaded_at__lt=cutoff)
                    .values_list("pk", flat=True))
    for pk in idle:
        queued += enqueue(apply_case_import, pk)
    import_kept.drop_stale(now=timezone.now())
    return queued
