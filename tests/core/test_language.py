"""One rule says which of the portal's two languages a request reads (Hindi first)."""

from django.utils import translation

from common.language import active_language, in_active_language


def test_english_only_when_asked_for_anything_else_is_hindi():
    for code, expected in (("en", "en"), ("en-gb", "en"), ("hi", "hi"), ("hi-in", "hi"),
                           ("fr", "hi")):
        with translation.override(code):
            assert active_language() == expected, code
    with translation.override(None):
        assert active_language() == "hi"


def test_text_in_the_active_language_falls_back_to_the_other():
    with translation.override("en"):
        assert in_active_language("लखनऊ", "Lucknow") == "Lucknow"
        assert in_active_language("लखनऊ", "") == "लखनऊ"
    with translation.override("hi"):
        assert in_active_language("लखनऊ", "Lucknow") == "लखनऊ"
        assert in_active_language("", "Lucknow") == "Lucknow"
