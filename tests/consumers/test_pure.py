"""Masking and upload checks: pure helpers, no database."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from common.uploads import check_document, sniff
from consumers.masking import mask_digits, mask_name
from tests.consumers.conftest import EXE, PDF, PNG


def test_mask_name_keeps_initials_only():
    assert mask_name("Ram Kumar Verma") == "R. K. V."
    assert mask_name("राम कुमार") == "र. क."
    assert mask_name("") == ""


def test_mask_digits_keeps_last_four():
    assert mask_digits("9876543210") == "••••••3210"
    assert mask_digits("123456789012") == "••••••••9012"
    assert mask_digits("") == ""
    assert "12" not in mask_digits("12")


@pytest.mark.parametrize("head,ext", [(PDF, "pdf"), (PNG, "png"),
                                      (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpg"), (EXE, "")])
def test_sniff_by_content(head, ext):
    assert sniff(head) == ext


def test_renamed_executable_refused():
    with pytest.raises(ValidationError):
        check_document(SimpleUploadedFile("photo.jpg", EXE, "image/jpeg"))


def test_pdf_named_anything_accepted_with_true_extension():
    upload = SimpleUploadedFile("scan.exe", PDF)
    assert check_document(upload) == "pdf"
    assert upload.checked_extension == "pdf"


def test_size_limit():
    with pytest.raises(ValidationError):
        check_document(SimpleUploadedFile("a.pdf", PDF + b"0" * 100), max_bytes=50)
