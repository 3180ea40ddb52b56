"""Public pages of the settlement engine: the calculator (DESIGN §1, §4.2)."""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.dates import today_ist
from ots_scheme.forms import CalculatorForm
from ots_scheme.queries import calculator_schemes

FIELDS = ("assessment", "compounding_fee", "deposited")

# Which cases a browser has proven (OTP, its registrations) is the consumer
# journey's to say; consumers sits above ots_scheme (DESIGN §2) and registers
# its reader at start-up (ConsumersConfig.ready).
_PROVEN_CASES: dict[str, Callable] = {}


def on_proven_cases(reader: Callable) -> None:
    """Register ``reader(session) -> [TheftCase]``, the cases this browser proved."""
    _PROVEN_CASES["reader"] = reader


def _cases_proven_by(session) -> list:
    try:
        reader = _PROVEN_CASES["reader"]
    except KeyError:
        raise ImproperlyConfigured("no app says which cases a browser proved "
                                   "(is 'consumers' installed?)") from None
    return reader(session)


def calculator_context(data=None) -> dict:
    """Return the calculator's form and its phases, quoted when ``data`` is valid."""
    bound = data is not None and any(name in data for name in FIELDS)
    form = CalculatorForm(data if bound else None)
    amounts = form.amounts() if bound and form.is_valid() else None
    today = today_ist()
    return {
        "calculator_form": form,
        "calculator_schemes": calculator_schemes(today=today, amounts=amounts),
        "calculator_quoted": amounts is not None,
        # Part of the key of the cached headings ("now", days left).
        "calculator_today": today,
    }


def _case_amounts(case) -> dict:
    return {"assessment": case.assessment_amount, "compounding_fee": case.compounding_fee,
            "deposited": case.deposited_amount}


@require_http_methods(["GET", "POST"])
def calculator(request):
    """Show what a consumer pays in each phase, live as they type (htmx).

    After OTP the person may pick their own case instead of typing amounts
    (``?case=<case number>``); only cases this browser has proven are offered.
    """
    data = request.POST if request.method == "POST" else request.GET
    my_cases = _cases_proven_by(request.session)
    picked = next((c for c in my_cases if c.case_number == request.GET.get("case")), None)
    if picked is not None:
        data = {name: str(value) for name, value in _case_amounts(picked).items()}
    context = calculator_context(data)
    context.update({"my_cases": my_cases, "picked_case": picked})
    if request.htmx:
        return render(request, "ots_scheme/_calculator_results.html", context)
    return render(request, "ots_scheme/calculator.html", context)
