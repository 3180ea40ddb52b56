"""Seed the demo: org tree, demo users, schemes and synthetic cases (idempotent).

The project's command (it builds across every app through ``redportal.demo``).
"""

from pathlib import Path

from django.conf import settings

from common.commands import CommandInputError, JsonCommand
from organization.services import org_tree_load, read_tree_file
from redportal import demo

TREE_FILE = Path(settings.BASE_DIR) / "organization" / "data" / "mvvnl_lesa.csv"


class Command(JsonCommand):
    help = "Create the MVVNL/LESA tree, demo users, OTS-THEFT-23, DEMO-OTS-THEFT and cases."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=2000)

    def handle(self, *args, cases, **options):
        if cases < 0:
            raise CommandInputError("--cases must be 0 or more")
        tree = org_tree_load(rows=read_tree_file(TREE_FILE))
        users = demo.ensure_users()
        schemes = demo.ensure_schemes()
        created = demo.ensure_cases(cases)
        self.emit(
            {
                "units": tree,
                "users_created": users,
                "schemes_created": schemes,
                "cases_created": created,
            }
        )
