"""Forms of the settlement pages: the public calculator."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from redportal.money import parse_rupees


class RupeeField(forms.Field):
    """Rupees as typed by a person: ``123456.50``, ``1,23,456.50`` or ``₹ 2,000``."""

    default_error_messages = {
        "invalid": _("Enter an amount in rupees, for example 1,23,456.50."),
        "negative": _("The amount cannot be negative."),
    }

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        value = str(value).strip() if value is not None else ""
        if not value:
            return None
        if len(value) > 20:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            amount = parse_rupees(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if amount >= Decimal("1e12"):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount


class CalculatorForm(forms.Form):
    assessment = RupeeField(label=_("Assessment (revenue assessment) ₹"))
    compounding_fee = RupeeField(
        label=_("Compounding fee still due ₹"), required=False,
        help_text=_("Section 152; leave empty if none."),
    )
    deposited = RupeeField(
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
