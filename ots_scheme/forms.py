"""Forms of the settlement pages: the public calculator, a registration's details."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import AmountField
from common.uploads import check_document
from ots_scheme.models import IdProofType


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


class DetailsForm(forms.Form):
    """The person's full details (DESIGN §1); the same form serves staff."""

    applicant_name = forms.CharField(label=_("Full name"), max_length=200)
    father_or_husband_name = forms.CharField(
        label=_("Father's / husband's name"), max_length=200
    )
    address = forms.CharField(label=_("Address of the premises"),
                              widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    id_proof_type = forms.ChoiceField(
        label=_("ID proof"), choices=[("", "—")] + list(IdProofType.choices)
    )
    id_proof_last4 = forms.CharField(
        label=_("Last 4 digits of the ID number"), min_length=4, max_length=4,
        help_text=_("Only the last 4 digits: never the whole number."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    id_document = forms.FileField(
        label=_("Copy of the ID proof (PDF, JPEG or PNG, up to 2 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={"required": _("Upload a copy of your ID proof.")},
    )

    def __init__(self, *args, has_document: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_document = has_document
        # Required (and marked so) until a copy is attached; then optional.
        self.fields["id_document"].required = not has_document
        if has_document:
            self.fields["id_document"].help_text = _(
                "A document is already attached; upload again only to replace it."
            )

    def clean_id_proof_last4(self):
        value = self.cleaned_data["id_proof_last4"].strip().upper()
        if not re.fullmatch(r"[0-9A-Z]{4}", value):
            raise forms.ValidationError(_("Give only the last 4 characters of your ID number."))
        return value

    def clean_id_document(self):
        upload = self.cleaned_data.get("id_document")
        if upload:
            check_document(upload)
        elif not self.has_document:
            raise forms.ValidationError(_("Upload a copy of your ID proof."))
        return upload

    def session_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "id_document"}
