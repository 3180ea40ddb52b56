"""Forms of the action queue: the filters and the record-action form (no saving here)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import AmountField
from core.dates import today_ist
from defaulters.models import ActionKind, ActionStatus
from organization.scoping import sub_divisions_visible_to

STATUS_CHOICES = [
    ("", _("Not closed")),
    (ActionStatus.OPEN, _("Open")),
    (ActionStatus.IN_PROGRESS, _("In progress")),
    (ActionStatus.CLOSED, _("Closed")),
    ("all", _("All")),
]
MOBILE_CHOICES = [("", _("Any")), ("yes", _("Has a mobile")), ("no", _("No mobile"))]


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    escalated = forms.BooleanField(label=_("Escalated only"), required=False)
    sub_division = forms.ModelChoiceField(
        label=_("Sub-division"), queryset=None, required=False, empty_label=_("All")
    )
    min_amount = AmountField(label=_("Assessment from (₹)"), required=False)
    max_amount = AmountField(label=_("Assessment up to (₹)"), required=False)
    has_mobile = forms.ChoiceField(label=_("Mobile"), choices=MOBILE_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices only from the officer's own jurisdiction.
        self.fields["sub_division"].queryset = sub_divisions_visible_to(user).order_by("path")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_amount"), cleaned.get("max_amount")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("The lower amount is above the upper amount."))
        return cleaned


class RecordActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Action"), choices=ActionKind.choices)
    done_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    remarks = forms.CharField(
        label=_("Remarks"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = today_ist()
        self.fields["done_on"].initial = today
        self.fields["done_on"].widget.attrs["max"] = today.isoformat()

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on > today_ist():
            raise forms.ValidationError(_("The date of the action cannot be in the future."))
        return done_on
