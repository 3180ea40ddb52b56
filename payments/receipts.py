"""The acknowledgement and the settlement certificate, as bilingual PDFs.

Labels are Hindi and English side by side so one document serves both;
Devanagari is shaped by HarfBuzz through ``common.pdf.new_pdf``. Amounts
use the portal's one rupee formatter (Indian grouping).

Each document carries a QR code to ``/verify/<code>/``, where anyone (a
police station, a tehsil, a court clerk) can check that it is genuine. The
code is the document's kind and registration id signed with the secret key
(django.core.signing, HMAC-SHA256): it cannot be guessed from a registration
or case number, and a changed character makes it "not found". The codes on
paper outlive a change of ``DJANGO_SECRET_KEY`` only while the old key stays
in ``SECRET_KEY_FALLBACKS``.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import segno
from django.core import signing
from django.utils import timezone
from fpdf.fonts import FontFace

from common.pdf import FONT, new_pdf, pdf_bytes
from core.dates import IST
from core.money import format_inr
from ots_scheme.models import FROZEN_REGISTRATION_STATUSES, Registration, RegistrationStatus
from payments.models import PaymentMode, PaymentPurpose
from payments.queries import successful_payment

LABEL_WIDTH = 80
BOLD = FontFace(emphasis="BOLD")

ACKNOWLEDGEMENT = "acknowledgement"
CERTIFICATE = "certificate"
# One letter per kind inside the signed value keeps the QR small.
_KIND_LETTERS = {ACKNOWLEDGEMENT: "a", CERTIFICATE: "c"}
_LETTER_KINDS = {letter: kind for kind, letter in _KIND_LETTERS.items()}
_SIGNER_SALT = "redportal.payments.verify"


class NotYetIssued(Exception):  # noqa: N818 - reads as the reason
    """The document does not exist yet for this registration."""


def mask_name(name: str) -> str:
    """Return initials only (public pages mask personal data, DESIGN §7)."""
    return " ".join(f"{word[0].upper()}." for word in (name or "").split() if word)


def _signer() -> signing.Signer:
    # "." is outside the signature's URL-safe base64 alphabet, so it can
    # separate the value from the signature inside one path segment.
    return signing.Signer(salt=_SIGNER_SALT, sep=".")


def document_code(*, registration: Registration, kind: str) -> str:
    """Return the signed code of the document ``kind`` of ``registration``."""
    return _signer().sign(f"{_KIND_LETTERS[kind]}{registration.pk}")


@dataclass(frozen=True)
class VerifiedDocument:
    """What the public check of a document shows (and nothing more)."""

    kind: str
    scheme_name_hi: str
    scheme_name_en: str
    scheme_is_demo: bool
    case_number: str
    masked_name: str
    settled_on: dt.date | None
    amount: Decimal


def document_verify(*, code: str) -> VerifiedDocument | None:
    """Return the facts behind a document code, or None when it is not genuine.

    A code that was tampered with, or whose document has not been issued (a
    certificate of a registration not settled, an acknowledgement without a
    credited fee), is not genuine.
    """
    try:
        value = _signer().unsign(code[:200])
    except signing.BadSignature:
        return None
    kind = _LETTER_KINDS.get(value[:1])
    if kind is None or not value[1:].isdigit():
        return None
    registration = (Registration.objects.select_related("scheme", "case")
                    .filter(pk=int(value[1:])).first())
    if registration is None:
        return None
    common = {
        "kind": kind,
        "scheme_name_hi": registration.scheme.name_hi,
        "scheme_name_en": registration.scheme.name_en,
        "scheme_is_demo": registration.scheme.is_demo,
        "case_number": registration.case.case_number,
        "masked_name": mask_name(registration.applicant_name),
    }
    if kind == CERTIFICATE:
        if registration.status != RegistrationStatus.SETTLED:
            return None
        return VerifiedDocument(settled_on=_ist_date(registration.settled_at),
                                amount=registration.credited, **common)
    fee = successful_payment(registration, PaymentPurpose.REGISTRATION_FEE)
    if registration.status not in FROZEN_REGISTRATION_STATUSES or fee is None:
        return None
    return VerifiedDocument(settled_on=None, amount=fee.amount, **common)


def _ist_date(value) -> dt.date | None:
    return value.astimezone(IST).date() if value is not None else None


def _date(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "astimezone"):
        value = value.astimezone(IST)
    return value.strftime("%d-%m-%Y")


def _watermark(pdf) -> None:
    """Mark every page of a demo scheme's document across its face."""
    with pdf.local_context(text_color=(200, 30, 30), fill_opacity=0.18):
        pdf.set_font(FONT, "B", 60)
        with pdf.rotation(45, x=pdf.w / 2, y=pdf.h / 2):
            pdf.text(pdf.w / 2 - 95, pdf.h / 2, "DEMO · डेमो")
        pdf.set_font(FONT, "B", 14)
        with pdf.rotation(45, x=pdf.w / 2, y=pdf.h / 2):
            pdf.text(pdf.w / 2 - 80, pdf.h / 2 + 14,
                     "मान्य नहीं — केवल आज़माने हेतु / Not valid — for trying the portal")


def _header(pdf, registration: Registration, *, hi: str, en: str) -> None:
    pdf.add_page()
    scheme = registration.scheme
    if scheme.is_demo:
        _watermark(pdf)
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 8, "मध्यांचल विद्युत वितरण निगम लि., लखनऊ", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, "Madhyanchal Vidyut Vitran Nigam Ltd, Lucknow", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9.5)
    pdf.multi_cell(0, 5, f"{scheme.name_hi}\n{scheme.name_en}", align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "B", 14)
    title = f"{hi} / {en}"
    if scheme.is_demo:
        title = f"[DEMO · डेमो] {title}"
    pdf.cell(0, 9, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _rows(pdf, rows) -> None:
    """Draw (hindi, english, value, bold) rows as a two-column bordered table."""
    pdf.set_font(FONT, "", 9.5)
    with pdf.table(col_widths=(LABEL_WIDTH, pdf.epw - LABEL_WIDTH), first_row_as_headings=False,
                   line_height=5.5, padding=1.2) as table:
        for hi, en, value, bold in rows:
            row = table.row()
            row.cell(f"{hi} / {en}")
            row.cell(value or "—", style=BOLD if bold else None)


def _person_rows(registration: Registration) -> list:
    case = registration.case
    sub_division = registration.sub_division
    police = " · ".join(part for part in (case.fir_number, case.police_station) if part)
    return [
        ("पंजीकरण संख्या", "Registration number", registration.registration_number, True),
        ("मामला संख्या", "Case number", case.case_number, True),
        ("नाम", "Name", registration.applicant_name, True),
        ("पिता / पति का नाम", "Father's / husband's name",
         registration.father_or_husband_name, False),
        ("परिसर का पता", "Address of the premises", registration.address, False),
        ("एफ़आईआर संख्या · थाना", "FIR number · police station", police, False),
        ("उपखण्ड", "Sub-division", f"{sub_division.name_hi} / {sub_division.name_en}", False),
    ]


def _qr(pdf, url: str) -> None:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=5, border=4)
    buffer.seek(0)
    pdf.ln(4)
    if pdf.get_y() + 36 > pdf.h - pdf.b_margin:
        pdf.add_page()
    y = pdf.get_y()
    pdf.image(buffer, x=pdf.l_margin, y=y, w=34, h=34)
    pdf.set_xy(pdf.l_margin + 38, y + 4)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 5, (
        "यह दस्तावेज़ असली है या नहीं, स्कैन करके या इस पते पर जाँचें:\n"
        "Scan, or open this address, to check that this document is genuine:\n" + url
    ))
    pdf.set_y(y + 38)


def _payment_text(payment) -> str:
    if payment is None:
        return "—"
    parts = [format_inr(payment.amount), _date(payment.paid_at)]
    if payment.mode == PaymentMode.ONLINE:
        parts.append(payment.gateway_reference)
    else:
        parts.append(f"{payment.get_mode_display()} {payment.receipt_number}")
    return " · ".join(p for p in parts if p)


def _amount_rows(registration: Registration) -> list:
    percent = registration.payable_percent
    percent_text = f"{percent.normalize():f}%" if percent is not None else "—"
    return [
        ("योजना का चरण", "Scheme phase",
         f"{registration.phase_number or '—'} ({percent_text})", False),
        ("राजस्व निर्धारण", "Assessment", format_inr(registration.assessment), False),
        ("देय निर्धारण", "Assessment payable",
         format_inr(registration.assessment_payable), False),
        ("छूट", "Waiver", format_inr(registration.waiver), False),
        ("शमन शुल्क", "Compounding fee", format_inr(registration.compounding_fee), False),
        ("पूर्व जमा", "Already deposited", format_inr(registration.deposited), False),
        ("कुल देय", "Total payable", format_inr(registration.total_payable), True),
    ]


def acknowledgement_pdf(*, registration: Registration, verify_url: str) -> bytes:
    """Return the acknowledgement of a paid registration fee; raise NotYetIssued."""
    fee = successful_payment(registration, PaymentPurpose.REGISTRATION_FEE)
    if registration.status not in FROZEN_REGISTRATION_STATUSES or fee is None:
        raise NotYetIssued(registration.registration_number)
    pdf = new_pdf(title=f"Acknowledgement {registration.registration_number}")
    _header(pdf, registration, hi="पंजीकरण पावती", en="Registration acknowledgement")
    rows = _person_rows(registration) + _amount_rows(registration) + [
        ("पंजीकरण शुल्क जमा", "Registration fee paid", _payment_text(fee), True),
        ("शेष राशि", "Balance", format_inr(registration.balance), True),
        ("शेष राशि जमा करने की अंतिम तिथि", "Balance due by",
         _date(registration.balance_due_date), True),
    ]
    _rows(pdf, rows)
    pdf.ln(2)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 5, (
        "शेष राशि अंतिम तिथि तक जमा न करने पर पंजीकरण निरस्त हो जाएगा; जमा पंजीकरण शुल्क "
        "बकाया में समायोजित रहेगा।\nIf the balance is not paid by the due date the "
        "registration lapses; the fee paid stays credited against the dues."
    ))
    _qr(pdf, verify_url)
    _footer(pdf)
    return pdf_bytes(pdf)


def certificate_pdf(*, registration: Registration, verify_url: str) -> bytes:
    """Return the settlement certificate of a settled registration; raise NotYetIssued."""
    # DESIGN §4.2a: never "settled" unless the money credited covers the total.
    if registration.status != RegistrationStatus.SETTLED or registration.total_payable is None \
            or registration.credited < registration.total_payable:
        raise NotYetIssued(registration.registration_number)
    fee = successful_payment(registration, PaymentPurpose.REGISTRATION_FEE)
    balance = successful_payment(registration, PaymentPurpose.BALANCE)
    scheme = registration.scheme
    case_number = registration.case.case_number
    pdf = new_pdf(title=f"Settlement certificate {registration.registration_number}")
    _header(pdf, registration, hi="समाधान प्रमाण-पत्र", en="Certificate of settlement")
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 6, (
        f"प्रमाणित किया जाता है कि मामला संख्या {case_number} का "
        f"“{scheme.name_hi}” योजना के अंतर्गत पूर्ण समाधान हो गया है।\n"
        f"This is to certify that case {case_number} has been settled "
        f"in full under the scheme “{scheme.name_en}”."
    ))
    pdf.ln(2)
    rows = _person_rows(registration) + _amount_rows(registration) + [
        ("पंजीकरण शुल्क", "Registration fee", _payment_text(fee), False),
        ("शेष राशि", "Balance", _payment_text(balance), False),
        ("कुल जमा", "Total paid", format_inr(registration.credited), True),
        ("समाधान तिथि", "Settled on", _date(registration.settled_at), True),
    ]
    _rows(pdf, rows)
    _qr(pdf, verify_url)
    _footer(pdf)
    return pdf_bytes(pdf)


def _footer(pdf) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(0, 4.5, (
        "यह कंप्यूटर जनित दस्तावेज़ है, हस्ताक्षर आवश्यक नहीं। / This is a computer-generated "
        f"document; no signature is needed. {_date(timezone.now())}"
    ))
