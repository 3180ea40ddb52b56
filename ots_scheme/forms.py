"""Forms of the settlement pages: the public calculator."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import AmountField


class CalculatorForm(forms.Form):
    assessment = AmountField(label=_("Assessment (revenue assessment) ₹"))
    compounding_fee = AmountField(
        label=_("Compounding fee still due ₹"), required=False,
        help_text=_("Section 152; leave empty if none."),
    )
    deposited = AmountField(
        label=_("Already deposited against the assessment ₹"), required=False,
        help_text=_("Leave empty if nothing was deposited."),
    )

    def amounts(self) -> dict:
        """Return the cleaned amounts, empties as zero."""
        data = self.cleaned_data
        return {
            "assessment": data["assessment"],
            "compounding_fee": data.get("compounding_fee") or Decimal("0"),
            "deposited": data.get("deposited") or Decimal("0"),
        }
