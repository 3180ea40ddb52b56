"""Load (or update) the organisation tree from a CSV file, idempotently."""

from pathlib import Path

from common.commands import CommandInputError, JsonCommand
from organization.services import org_tree_load, read_tree_file


class Command(JsonCommand):
    help = "Load the OrgUnit tree from a CSV (kind,code,parent_code,name_en,name_hi)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandInputError(f"no such file: {path}")
        # An OrgTreeError (a ServiceError) is printed as {"error"} by JsonCommand.
        counts = org_tree_load(rows=read_tree_file(file))
        self.emit(counts)
