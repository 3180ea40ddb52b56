"""Forms of the consumer journey (validation only; no saving)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import MobileField
from common.uploads import check_document
from ots_scheme.models import IdProofType


class LookupForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=40, required=False)
    account_number = forms.CharField(
        label=_("Account number (if the theft was on a connection)"), max_length=12,
        required=False,
    )

    def clean_account_number(self):
        value = self.cleaned_data["account_number"].strip()
        if value and not re.fullmatch(r"\d{10,12}", value):
            raise forms.ValidationError(_("An account number has 10 to 12 digits."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("case_number", "").strip() and not data.get("account_number"):
            if not self.errors:
                raise forms.ValidationError(
                    _("Enter your case number (from the notice) or your account number.")
                )
        return data


class MobileForm(forms.Form):
    mobile = MobileField(label=_("Your mobile number"))


class DeclarationForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I declare that the details given are true, and I accept the terms of the "
                "scheme: the settlement is made only when the whole amount is paid by the "
                "due date."),
        error_messages={"required": _("Please accept the declaration to go on.")},
    )


class StatusForm(MobileForm):
    registration_number = forms.CharField(label=_("Registration number"), max_length=24)
    # The number alone never sends an SMS (issue 17): the registered mobile too,
    # typed as people type it (issue 16: +91, spaces, dashes).
    mobile = MobileField(label=_("Mobile number you registered with"))

    field_order = ["registration_number", "mobile"]

    def clean_registration_number(self):
        return self.cleaned_data["registration_number"].strip().upper()


class CaseNumberForm(forms.Form):
    """Find a registration by the case number on the notice (lost SMS)."""

    case_number = forms.CharField(label=_("Case number"), max_length=40,
                                  help_text=_("As written on your notice, e.g. LKO/AMN/2023/0123"))

    def clean_case_number(self):
        return self.cleaned_data["case_number"].strip()


class MobileChangeForm(CaseNumberForm):
    """The case and the new mobile, to which an OTP is sent."""

    new_mobile = MobileField(label=_("Your new mobile number"))


class MobileChangeProofForm(forms.Form):
    """The person's ID proof for a change of mobile (checked by the office)."""

    id_proof_type = forms.ChoiceField(
        label=_("ID proof"), choices=[("", "—")] + list(IdProofType.choices)
    )
    id_proof_last4 = forms.CharField(
        label=_("Last 4 digits of the ID number"), min_length=4, max_length=4,
        help_text=_("Only the last 4 digits: never the whole number."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    document = forms.FileField(
        label=_("Copy of the ID proof (PDF, JPEG or PNG, up to 2 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={"required": _("Upload a copy of your ID proof.")},
    )

    def clean_id_proof_last4(self):
        value = self.cleaned_data["id_proof_last4"].strip().upper()
        if not re.fullmatch(r"[0-9A-Z]{4}", value):
            raise forms.ValidationError(_("Give only the last 4 characters of your ID number."))
        return value

    def clean_document(self):
        upload = self.cleaned_data["document"]
        check_document(upload)
        return upload


class MobileChangeRefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to the person by SMS)"), max_length=120)
