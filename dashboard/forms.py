"""The division's count of cases to feed (no saving here: dashboard.services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import today_ist


class FeedingTargetForm(forms.Form):
    cases_to_feed = forms.IntegerField(
        label=_("Theft cases on the division's registers"), min_value=0, max_value=10_000_000,
        help_text=_("Cases detected in the scheme's window and older than a month, by the "
                    "division's own count (fed and not yet fed)."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    counted_on = forms.DateField(
        label=_("Counted on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = today_ist()
        self.fields["counted_on"].initial = today
        self.fields["counted_on"].widget.attrs["max"] = today.isoformat()

    def clean_counted_on(self):
        counted_on = self.cleaned_data["counted_on"]
        if counted_on > today_ist():
            raise forms.ValidationError(_("The date of the count cannot be in the future."))
        return counted_on
