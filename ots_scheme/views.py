"""Public pages of the settlement engine: the calculator (DESIGN §1, §4.2)."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ots_scheme.forms import CalculatorForm
from ots_scheme.queries import calculator_schemes
from redportal.money import today_ist

FIELDS = ("assessment", "compounding_fee", "deposited")


def calculator_context(data=None) -> dict:
    """Return the calculator's form and its phases, quoted when ``data`` is valid."""
    bound = data is not None and any(name in data for name in FIELDS)
    form = CalculatorForm(data if bound else None)
    amounts = form.amounts() if bound and form.is_valid() else None
    return {
        "calculator_form": form,
        "calculator_schemes": calculator_schemes(today=today_ist(), amounts=amounts),
        "calculator_quoted": amounts is not None,
    }


@require_http_methods(["GET", "POST"])
def calculator(request):
    """Show what a consumer pays in each phase, live as they type (htmx)."""
    data = request.POST if request.method == "POST" else request.GET
    context = calculator_context(data)
    if request.htmx:
        return render(request, "ots_scheme/_calculator_results.html", context)
    return render(request, "ots_scheme/calculator.html", context)
