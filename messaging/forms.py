"""The OTP form: the one OTP check of every page that asks for one (public and staff)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from messaging import otp


class OtpForm(forms.Form):
    code = forms.CharField(
        label=_("OTP"), max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "pattern": "[0-9]{6}"}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The OTP has 6 digits."))
        return code

    def verified(self, *, challenge_id: int, purpose: str, subject: str) -> bool:
        """Validate, then check the code against its challenge (one try counted).

        The one OTP check of every page that asks for one; a refusal is put on
        the ``code`` field in the person's language.
        """
        if not self.is_valid():
            return False
        try:
            otp.otp_verify(challenge_id=challenge_id, code=self.cleaned_data["code"],
                           purpose=purpose, subject=subject)
        except otp.OtpError as err:
            self.add_error("code", err.message)
            return False
        return True
