"""Print the settlement quote of DESIGN §4.2 as one JSON object (DESIGN §3)."""

import datetime as dt
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from common.commands import CommandInputError, JsonCommand
from common.forms import amount_message
from core.dates import today_ist
from core.money import AmountError, parse_amount
from ots_scheme import services
from ots_scheme.settlement import QuoteError, quote

LABELS = {
    "assessment": _("Assessment"),
    "compounding_fee": _("Compounding fee"),
    "deposited": _("Earlier deposits"),
}


def _amount(text: str, *, name: str) -> Decimal:
    """Read one option by the one amount parser (DESIGN §5), or refuse it."""
    try:
        return parse_amount(text)
    except AmountError as error:
        raise CommandInputError(
            f"{LABELS[name]} “{text}”: {amount_message(error.code)}"
        ) from None


class Command(JsonCommand):
    help = (
        "Quote a registration: --assessment A --compounding-fee C [--deposited D] "
        "--on YYYY-MM-DD [--scheme CODE]."
    )

    def add_arguments(self, parser):
        parser.add_argument("--assessment", required=True, help="rupees, e.g. 123456.50")
        parser.add_argument("--compounding-fee", required=True, help="rupees still due")
        parser.add_argument("--deposited", default="0", help="rupees already deposited")
        parser.add_argument("--on", default=None, help="registration date YYYY-MM-DD (IST)")
        parser.add_argument("--scheme", default="OTS-THEFT-23")

    def handle(self, *args, assessment, compounding_fee, deposited, on, scheme, **options):
        # Operators and scripts read the messages: English, whatever the locale.
        with translation.override("en"):
            try:
                day = dt.date.fromisoformat(on) if on else today_ist()
            except ValueError:
                raise CommandInputError(
                    f"--on must be a date YYYY-MM-DD (got {on!r})"
                ) from None
            try:
                amounts = {
                    "assessment": _amount(assessment, name="assessment"),
                    "compounding_fee": _amount(compounding_fee, name="compounding_fee"),
                    "deposited": _amount(deposited, name="deposited"),
                }
                rules = services.rules_for(services.scheme_by_code(scheme))
                result = quote(rules, on=day, **amounts)
            except QuoteError as error:
                raise CommandInputError(services.error_message(error)) from error
        self.emit(result.as_json())
