"""The short public forms' markup (redportal/templatetags/public_forms.py).

The tag writes the markup itself, escaping every value: what a person typed,
labels, help texts and errors all arrive as text, never as markup.
"""

from django import forms
from django.utils import translation

from messaging.forms import OtpForm
from redportal.templatetags.public_forms import public_fields


class Sample(forms.Form):
    a = forms.CharField(help_text='Help <b>&</b> "q"', required=False, widget=forms.TextInput(
        attrs={"placeholder": "x<y", "autocomplete": "off", "readonly": True, "data-z": None}))
    b = forms.CharField(widget=forms.HiddenInput)
    c = forms.CharField(widget=forms.PasswordInput, label="P & <q>")

    def clean(self):
        raise forms.ValidationError('Non-field <err> & "x"')


def test_every_value_is_escaped_and_attributes_sorted_as_django_does():
    form = Sample({"a": 'v"<', "b": "h&", "c": "pw"})
    form.is_valid()
    assert str(public_fields(form)) == (
        '<div class="alert alert-danger" role="alert"><ul class="mb-0 ps-3"><li>Non-field '
        '&lt;err&gt; &amp; &quot;x&quot;</li></ul></div><div class="mb-3" id="div_id_a">'
        '<label class="form-label" for="id_a">A</label><input aria-describedby="id_a_help" '
        'autocomplete="off" class="form-control" id="id_a" name="a" placeholder="x&lt;y" '
        'type="text" value="v&quot;&lt;" readonly><div class="form-text" id="id_a_help">Help '
        '&lt;b&gt;&amp;&lt;/b&gt; &quot;q&quot;</div></div><input type="hidden" name="b" '
        'value="h&amp;" id="id_b"><div class="mb-3" id="div_id_c"><label class="form-label" '
        'for="id_c">P &amp; &lt;q&gt;<span class="asteriskField">*</span></label><input '
        'class="form-control" id="id_c" name="c" type="password" required></div>')


def test_a_field_error_is_tied_to_its_input():
    with translation.override("en"):
        form = OtpForm({"code": "1"})
        form.is_valid()
        drawn = str(public_fields(form))
    assert drawn == (
        '<div class="mb-3" id="div_id_code"><label class="form-label" for="id_code">OTP'
        '<span class="asteriskField">*</span></label><input aria-describedby="id_code_error" '
        'aria-invalid="true" autocomplete="one-time-code" class="form-control is-invalid" '
        'id="id_code" inputmode="numeric" maxlength="6" minlength="6" name="code" '
        'pattern="[0-9]{6}" type="text" value="1" required><div class="invalid-feedback" '
        'id="id_code_error"><strong>Ensure this value has at least 6 characters (it has 1).'
        '</strong></div></div>')
