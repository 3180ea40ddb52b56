"""Seed the demo: org tree, demo users, schemes and synthetic cases (idempotent)."""

from pathlib import Path

from organization.services import load_org_tree, read_tree_file
from redportal import demo
from redportal.commands import CommandInputError, JsonCommand

TREE_FILE = Path(__file__).resolve().parents[2] / "data" / "mvvnl_lesa.csv"


class Command(JsonCommand):
    help = "Create the MVVNL/LESA tree, demo users, OTS-THEFT-23, DEMO-OTS-THEFT and cases."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=2000)

    def handle(self, *args, cases, **options):
        if cases < 0:
            raise CommandInputError("--cases must be 0 or more")
        tree = load_org_tree(rows=read_tree_file(TREE_FILE))
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
