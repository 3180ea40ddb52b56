"""Celery tasks of theft_cases: thin wrappers over services."""

from celery import shared_task  # noqa: F401

from theft_cases import services

# --- Bulk import (theft_cases/importing.py) ---


@shared_task(acks_late=True)
def validate_case_import(case_import_id: int, language: str = "hi") -> None:
    """Build the preview of an uploaded division list (idempotent by status)."""
    try:
        services.import_validate(case_import_id=case_import_id, language=language)
    except Exception as exc:
        # A file no rule foresaw must end "failed" with a message, never stay
        # "validating" for ever (issue 17).
        services.import_fail_unexpected(case_import_id=case_import_id, error=exc, language=language)


@shared_task(acks_late=True)
def apply_case_import(case_import_id: int, language: str = "hi") -> None:
    """Apply a confirmed import in one transaction (idempotent by status)."""
    try:
        services.import_apply(case_import_id=case_import_id, language=language)
    except Exception as exc:
        services.import_fail_unexpected(case_import_id=case_import_id, error=exc, language=language)


@shared_task(name="theft_cases.tasks.resume_stalled_imports")
def resume_stalled_imports() -> int:
    """Queue again imports whose task was lost or whose worker died."""
    return services.resume_stalled_imports()
