"""``import_cases PATH --as USERNAME [--dry-run]``: bulk import of DESIGN §5.

Runs the web import's code path synchronously and prints the counts and the
rejected rows with their reasons as one JSON object.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import translation

from common.commands import CommandInputError, JsonCommand
from core.dates import today_ist
from organization.scoping import is_staff_user
from theft_cases import importing
from theft_cases.models import ImportStatus
from theft_cases.services import import_from_path


class Command(JsonCommand):
    help = "Import theft cases from a CSV or XLSX division list (DESIGN §5)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--as", dest="username", required=True)
        parser.add_argument("--dry-run", action="store_true",
                            help="validate and report, write nothing")

    def handle(self, *args, path, username, dry_run, **options):
        translation.activate("en")
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None or not is_staff_user(user):
            raise CommandInputError(f"unknown staff user: {username}")
        file_path = Path(path)
        if not file_path.is_file():
            raise CommandInputError(f"cannot read file: {path}")
        try:
            if dry_run:
                with open(file_path, "rb") as handle:
                    outcome = importing.run_import(
                        handle=handle, user=user, today=today_ist(), apply=False
                    )
                counts, entries = outcome.counts(), outcome.rejected_rows
            else:
                case_import = import_from_path(user=user, path=file_path, language="en")
                if case_import.status != ImportStatus.APPLIED:
                    raise CommandInputError(case_import.message or "import failed")
                counts = {
                    "created": case_import.created_count,
                    "updated": case_import.updated_count,
                    "unchanged": case_import.unchanged_count,
                    "rejected": case_import.rejected_count,
                }
                entries = case_import.rejected_rows
        except importing.ImportFileError as exc:
            raise CommandInputError(exc.message()) from exc
        except OSError as exc:
            raise CommandInputError(f"cannot read file: {exc}") from exc
        payload = {**counts, "dry_run": dry_run,
                   "rejected_rows": [importing.describe_rejection(e) for e in entries]}
        if not dry_run:
            payload["import_id"] = case_import.pk
        self.emit(payload)
