"""Forms of the payments app: validation only, no saving (STYLE.md)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import AmountField
from core.dates import today_ist
from payments.models import PaymentMode, PaymentPurpose

COUNTER_MODE_CHOICES = [
    (PaymentMode.CASH, PaymentMode.CASH.label),
    (PaymentMode.CHEQUE, PaymentMode.CHEQUE.label),
    (PaymentMode.DD, PaymentMode.DD.label),
]


class CounterPaymentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Payment for"), choices=PaymentPurpose.choices)
    amount = AmountField(label=_("Amount (₹)"), positive=True)
    mode = forms.ChoiceField(label=_("Mode"), choices=COUNTER_MODE_CHOICES)
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40)
    received_on = forms.DateField(
        label=_("Receipt date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

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


class HeldApplyForm(forms.Form):
    note = forms.CharField(label=_("Why the money is applied"), max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RefundForm(forms.Form):
    payment = forms.ChoiceField(label=_("Payment refunded"))
    amount = AmountField(label=_("Amount refunded (₹)"), positive=True)
    through_bank = forms.BooleanField(
        label=_("Send the refund through the payment gateway"), required=False,
        help_text=_("For an online payment: the gateway refunds it and gives the reference."),
    )
    reference = forms.CharField(label=_("Bank's refund reference"), max_length=64,
                                required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if not data.get("through_bank") and not (data.get("reference") or "").strip():
            self.add_error("reference", _("Enter the bank's refund reference, or send the "
                                          "refund through the payment gateway."))
        return data

    def __init__(self, *args, payments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment"].choices = [
            (str(p.pk), f"{p.order_id} · {p.get_purpose_display()} · {p.amount}")
            for p in payments
        ]
