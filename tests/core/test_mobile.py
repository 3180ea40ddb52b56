"""One mobile normaliser for every form, import and search (issue 16)."""

import pytest

from consumers.forms import MobileForm
from core.mobile import normalise_mobile


@pytest.mark.parametrize(
    ("typed", "mobile"),
    [
        ("9876543210", "9876543210"),
        ("+91 98765 43210", "9876543210"),
        ("+91-98765-43210", "9876543210"),
        ("+919876543210", "9876543210"),
        ("91 98765 43210", "9876543210"),
        ("919876543210", "9876543210"),
        ("0091 98765 43210", "9876543210"),
        ("098765 43210", "9876543210"),
        ("0 9876-543-210", "9876543210"),
        ("(0) 98765 43210", "9876543210"),
        ("98765\u00a043210", "9876543210"),  # a pasted no-break space
        ("98765–43210", "9876543210"),  # an en dash from a word processor
        ("९८७६५४३२१०", "9876543210"),  # a Hindi phone keyboard
        (" 6000000000 ", "6000000000"),
        (9876543210, "9876543210"),  # a spreadsheet number cell
        (9876543210.0, "9876543210"),
        ("9198765432", "9198765432"),  # ten digits starting 91 are a mobile as they are
        # Not mobiles:
        ("", ""),
        (None, ""),
        (True, ""),
        ("5876543210", ""),  # starts 5
        ("987654321", ""),  # nine digits
        ("98765432100", ""),  # eleven digits, no 0 in front
        ("+92 98765 43210", ""),  # another country
        ("9876543210x", ""),
        ("98765 4321O", ""),  # letter O
        ("9" * 10_000, ""),
        ("12345678901234567890", ""),
        (9876543210.5, ""),
        ("+91 +91 98765 43210", ""),
        ("\x00", ""),
    ],
)
def test_normalise_mobile(typed, mobile):
    assert normalise_mobile(typed) == mobile


def test_the_mobile_input_is_not_cut_by_the_browser():
    html = str(MobileForm()["mobile"])
    assert "maxlength" not in html
    assert 'inputmode="tel"' in html


@pytest.mark.parametrize("typed", ["+91 98765 43210", "098765-43210", "91 9876543210"])
def test_the_form_accepts_what_people_type(typed):
    form = MobileForm({"mobile": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["mobile"] == "9876543210"


def test_the_form_refuses_a_wrong_number_with_a_message():
    form = MobileForm({"mobile": "12345"})
    assert not form.is_valid()
    assert "10 अंकों का मोबाइल" in form.errors["mobile"][0]
