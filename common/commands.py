"""Base for the portal's management commands: one JSON object on stdout.

DESIGN §3: on bad input a command prints ``{"error": "..."}`` and exits 2,
having changed nothing.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError, handle_default_options
from django.db import connections

from core.errors import ServiceError


class CommandInputError(ServiceError):
    """Bad input to a command: reported as ``{"error": ...}`` with exit status 2."""


class JsonCommand(BaseCommand):
    def _fail(self, message: str):
        self.stdout.write(json.dumps({"error": message}, ensure_ascii=False))
        sys.exit(2)

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except ServiceError as exc:
            # The one refusal family (core.errors): any service's refusal is
            # the command's ``{"error"}``, whatever app raised it.
            self._fail(str(exc.message))
        except CommandError as exc:
            self._fail(str(exc))

    def emit(self, payload: dict) -> None:
        self.stdout.write(json.dumps(payload, ensure_ascii=False, default=str))

    def run_from_argv(self, argv):
        parser = self.create_parser(argv[0], argv[1])
        # Argument errors raise CommandError instead of exiting with usage text.
        parser.called_from_command_line = False
        try:
            options = parser.parse_args(argv[2:])
        except CommandError as exc:
            self._fail(str(exc).removeprefix("Error: "))
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        finally:
            connections.close_all()
