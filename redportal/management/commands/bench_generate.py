"""``bench_generate --cases N [--registrations M] [--seed S]``: data for ``bench/``.

Set-based on PostgreSQL (``INSERT … SELECT FROM generate_series``), chunked
``bulk_create`` elsewhere; see :mod:`bench.benchdata`. Each run adds N
new cases numbered after the synthetic ones already there (``BG/0000001`` …).
"""

from bench.benchdata import BenchInputError, generate
from common.commands import CommandInputError, JsonCommand


class Command(JsonCommand):
    help = "Generate synthetic theft cases, registrations and payments at scale."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--registrations", type=int, default=None,
                            help="default: one case in five")
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument("--scheme", default="OTS-THEFT-23")

    def handle(self, *args, **options):
        cases = options["cases"]
        registrations = options["registrations"]
        if registrations is None:
            registrations = max(0, cases) // 5
        try:
            result = generate(cases=cases, registrations=registrations,
                              seed=options["seed"], scheme_code=options["scheme"])
        except BenchInputError as exc:
            raise CommandInputError(str(exc)) from exc
        self.emit(result)
