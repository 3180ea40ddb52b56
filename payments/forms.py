"""Forms of the payments app: validation only, no saving (STYLE.md)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from payments.models import PaymentMode, PaymentPurpose
from redportal.money import parse_rupees, today_ist

COUNTER_MODE_CHOICES = [
    (PaymentMode.CASH, PaymentMode.CASH.label),
    (PaymentMode.CHEQUE, PaymentMode.CHEQUE.label),
    (PaymentMode.DD, PaymentMode.DD.label),
]


class CounterPaymentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Payment for"), choices=PaymentPurpose.choices)
    amount = forms.CharField(
        label=_("Amount (₹)"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=COUNTER_MODE_CHOICES)
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40)
    received_on = forms.DateField(
        label=_("Receipt date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_amount(self):
        try:
            amount = parse_rupees(self.cleaned_data["amount"])
        except ValueError as exc:
            raise forms.ValidationError(_("Enter the amount in rupees, e.g. 12346.00.")) from exc
        if amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount

    def clean_receipt_number(self):
        return self.cleaned_data["receipt_number"].strip()

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > today_ist():
            raise forms.ValidationError(_("The receipt date cannot be in the future."))
        return day


class MissingPaymentForm(forms.Form):
    registration_number = forms.CharField(label=_("Registration number"), max_length=24)
    bank_reference = forms.CharField(
        label=_("Bank reference / transaction number"), max_length=64,
        help_text=_("As shown in your bank's SMS or payment receipt."),
    )

    def clean_registration_number(self):
        return self.cleaned_data["registration_number"].strip().upper()

    def clean_bank_reference(self):
        return self.cleaned_data["bank_reference"].strip()


class ResolveMissingForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. credited after the bank's answer, refunded by the bank on "
                    "(date), or paid at the counter (receipt number)."),
    )
