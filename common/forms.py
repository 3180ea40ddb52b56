"""Form pieces every app shares: the rupee amount field.

Every form where a person types an amount (the calculator, the case form, the
counter payment) uses :class:`AmountField`, so they all read amounts with the
one parser (``core.money.parse_amount``, DESIGN §5) and explain a refusal the
same way, in the reader's language. ``core`` stays free of Django; the
sentences for the parser's codes live here.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.mobile import normalise_mobile
from core.money import AmountError, parse_amount

# One sentence per ``AmountError.code``: what is wrong and how to write it.
AMOUNT_MESSAGES = {
    "empty": _("Enter an amount in rupees, for example 1,23,456.50."),
    "sign": _("Write the amount without a + or − sign: it cannot be negative."),
    "exponent": _("Write the amount in full, for example 1,00,000 (not 1e5)."),
    "space": _("Remove the spaces or _ inside the amount: write 1,00,000 or 100000."),
    "grouping": _(
        "The commas are in the wrong places: write 1,23,456 (Indian), 123,456 "
        "(international) or 123456."
    ),
    "point": _("Write digits on both sides of the point, for example 0.50 or 12.00."),
    "decimals": _("At most two digits after the point (paise), for example 123456.50."),
    "too_large": _("The amount is too large: at most 12 digits before the point."),
    "script": _("Write the amount with the digits 0–9 or ०–९."),
    "mixed": _("Use one kind of digits in an amount: 0–9 or ०–९, not both."),
    "not_a_number": _("Enter an amount in rupees, for example 1,23,456.50."),
}


def amount_message(code: str):
    """Return the sentence for an ``AmountError.code`` in the active language."""
    return AMOUNT_MESSAGES.get(code, AMOUNT_MESSAGES["not_a_number"])


class AmountField(forms.Field):
    """Rupees as typed: ``123456.50``, ``1,23,456.50``, ``₹ 2,000``, ``१,२३,४५६``.

    Cleans to a ``Decimal`` with two decimals (``None`` when left empty and
    not required). A refusal keeps the typed text in the form and says what
    is wrong (one message per parser code). ``positive=True`` also refuses
    zero (a payment of ₹0 is not a payment).
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        **AMOUNT_MESSAGES,
        "zero": _("The amount must be more than zero."),
    }

    def __init__(self, *, positive: bool = False, **kwargs):
        self.positive = positive
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        try:
            amount = parse_amount(value)
        except AmountError as error:
            code = error.code if error.code in self.error_messages else "not_a_number"
            raise forms.ValidationError(self.error_messages[code], code=code) from None
        if self.positive and amount == 0:
            raise forms.ValidationError(self.error_messages["zero"], code="zero")
        return amount

    def prepare_value(self, value):
        # An initial Decimal shows as plain digits ("123456.50"), which the
        # parser reads back unchanged.
        if isinstance(value, Decimal):
            return f"{value:f}"
        return value


MOBILE_INVALID = _("Enter a 10-digit mobile number starting with 6, 7, 8 or 9.")


class MobileField(forms.CharField):
    """A mobile as people type it (``+91 98765 43210``), cleaned to 10 digits.

    No ``maxlength`` on the input: the browser would silently cut
    ``+91 98765 43210`` (15 characters); the normaliser refuses long input.
    """

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": MOBILE_INVALID})
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        mobile = normalise_mobile(value)
        if not mobile:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return mobile
