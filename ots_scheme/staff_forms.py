"""Staff forms for registrations: list filters, reject, assisted registration."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import MobileField
from common.uploads import check_document
from messaging.forms import OtpForm
from organization.scoping import sub_divisions_visible_to
from ots_scheme.forms import DetailsForm
from ots_scheme.models import RegistrationStatus
from ots_scheme.registrations import needing_attention


class RegistrationFilterForm(forms.Form):
    q = forms.CharField(label=_("Registration or case number"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All"))] + list(RegistrationStatus.choices),
    )
    sub_division = forms.ModelChoiceField(label=_("Sub-division"), required=False,
                                          queryset=None)
    awaiting_verification = forms.BooleanField(label=_("Awaiting verification"),
                                               required=False)
    identity_check = forms.BooleanField(label=_("Identity check required"), required=False)
    needs_attention = forms.BooleanField(label=_("Paid, needs attention"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_division"].queryset = sub_divisions_visible_to(user).order_by("name_en")

    def apply(self, queryset):
        """Narrow an already scoped queryset by the chosen filters."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"].strip():
            q = data["q"].strip()
            queryset = queryset.filter(registration_number__iexact=q) | queryset.filter(
                case__case_number__iexact=q)
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["sub_division"]:
            queryset = queryset.filter(sub_division=data["sub_division"])
        if data["awaiting_verification"]:
            queryset = queryset.filter(status=RegistrationStatus.FEE_PAID)
        if data["identity_check"]:
            queryset = queryset.filter(identity_check_required=True)
        if data["needs_attention"]:
            queryset = needing_attention(queryset)
        return queryset


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to the person by SMS)"), max_length=120,
                             widget=forms.TextInput())


class AssistedForm(DetailsForm):
    """The consumer's details form, filled by an officer for a walk-in person."""

    case_number = forms.CharField(label=_("Case number"), max_length=40)
    mobile = MobileField(
        label=_("The person's mobile (an OTP is sent to it for consent)"), required=False,
    )
    consent_document = forms.FileField(
        label=_("Signed declaration of consent (when the person has no mobile)"),
        required=False,
    )
    field_order = ["case_number", "mobile", "consent_document"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("has_document", True)  # the officer sees the ID in person
        super().__init__(*args, **kwargs)
        self.fields["id_document"].help_text = ""

    def clean_consent_document(self):
        upload = self.cleaned_data.get("consent_document")
        if upload:
            check_document(upload)
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("mobile") and not data.get("consent_document"):
            raise forms.ValidationError(_(
                "Give the person's mobile for an OTP, or upload their signed declaration "
                "of consent."))
        return data

    def details(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items()
                if k not in ("id_document", "consent_document", "case_number", "mobile")}


class ConsentOtpForm(OtpForm):
    pass
