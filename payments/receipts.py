"""The acknowledgement and the settlement certificate, as bilingual PDFs.

Labels are Hindi and English side by side so one document serves both;
Devanagari is shaped by HarfBuzz through ``redportal.pdf.new_pdf``. Amounts
use the portal's one rupee formatter (Indian grouping).
"""

from __future__ import annotations

import io

import segno
from django.utils import timezone

from ots_scheme.models import FROZEN_REGISTRATION_STATUSES, Registration, RegistrationStatus
from payments.models import PaymentMode, PaymentPurpose
from payments.queries import successful_payment
from redportal.money import IST, format_inr
from redportal.pdf import FONT, new_pdf, pdf_bytes

LABEL_WIDTH = 95


class NotYetIssued(Exception):  # noqa: N818 - reads as the reason
    """The document does not exist yet for this registration."""


def mask_name(name: str) -> str:
    """Return initials only (public documents mask personal data, DESIGN §7)."""
    return " ".join(f"{word[0].upper()}." for word in (name or "").split() if word)


def _date(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "astimezone"):
        value = value.astimezone(IST)
    return value.strftime("%d-%m-%Y")


def _header(pdf, *, hi: str, en: str) -> None:
    pdf.add_page()
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 8, "मध्यांचल विद्युत वितरण निगम लि., लखनऊ", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, "Madhyanchal Vidyut Vitran Nigam Ltd, Lucknow", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, "ओटीएस थेफ्ट-23 · RED पोर्टल / OTS Theft-23 · RED portal", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 9, f"{hi} / {en}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _row(pdf, hi: str, en: str, value: str, *, bold: bool = False) -> None:
    pdf.set_font(FONT, "", 9.5)
    pdf.cell(LABEL_WIDTH, 7.5, f"{hi} / {en}", border=1)
    pdf.set_font(FONT, "B" if bold else "", 10)
    pdf.cell(0, 7.5, value, border=1, new_x="LMARGIN", new_y="NEXT")


def _qr(pdf, url: str) -> None:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=5, border=2)
    buffer.seek(0)
    pdf.ln(4)
    y = pdf.get_y()
    pdf.image(buffer, x=pdf.l_margin, y=y, w=32, h=32)
    pdf.set_xy(pdf.l_margin + 36, y + 6)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 5, "स्थिति देखने के लिए स्कैन करें / Scan to check the status\n" + url)
    pdf.set_y(y + 36)


def _payment_text(payment) -> str:
    if payment is None:
        return "—"
    parts = [format_inr(payment.amount), _date(payment.paid_at)]
    if payment.mode == PaymentMode.ONLINE:
        parts.append(payment.gateway_reference)
    else:
        parts.append(f"{payment.get_mode_display()} {payment.receipt_number}")
    return " · ".join(p for p in parts if p)


def _amount_rows(pdf, registration: Registration) -> None:
    percent = registration.payable_percent
    percent_text = f"{percent.normalize():f}%" if percent is not None else "—"
    _row(pdf, "चरण", "Phase", f"{registration.phase_number or '—'} ({percent_text})")
    _row(pdf, "राजस्व निर्धारण", "Assessment", format_inr(registration.assessment))
    _row(pdf, "देय निर्धारण", "Assessment payable", format_inr(registration.assessment_payable))
    _row(pdf, "छूट", "Waiver", format_inr(registration.waiver))
    _row(pdf, "शमन शुल्क", "Compounding fee", format_inr(registration.compounding_fee))
    _row(pdf, "पूर्व जमा", "Already deposited", format_inr(registration.deposited))
    _row(pdf, "कुल देय", "Total payable", format_inr(registration.total_payable), bold=True)


def acknowledgement_pdf(*, registration: Registration, status_url: str) -> bytes:
    """Return the acknowledgement of a paid registration fee; raise NotYetIssued."""
    if registration.status not in FROZEN_REGISTRATION_STATUSES:
        raise NotYetIssued(registration.registration_number)
    fee = successful_payment(registration, PaymentPurpose.REGISTRATION_FEE)
    pdf = new_pdf(title=f"Acknowledgement {registration.registration_number}")
    _header(pdf, hi="पंजीकरण पावती", en="Registration acknowledgement")
    _row(pdf, "पंजीकरण संख्या", "Registration number", registration.registration_number,
         bold=True)
    _row(pdf, "मामला संख्या", "Case number", registration.case.case_number)
    _row(pdf, "नाम", "Name", mask_name(registration.applicant_name))
    _row(pdf, "उपखंड", "Sub-division",
         f"{registration.sub_division.name_hi} / {registration.sub_division.name_en}")
    _amount_rows(pdf, registration)
    _row(pdf, "पंजीकरण शुल्क जमा", "Registration fee paid", _payment_text(fee))
    _row(pdf, "शेष राशि", "Balance", format_inr(registration.balance), bold=True)
    _row(pdf, "शेष राशि जमा करने की अंतिम तिथि", "Balance due by",
         _date(registration.balance_due_date), bold=True)
    pdf.ln(2)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 5, (
        "शेष राशि अंतिम तिथि तक जमा न करने पर पंजीकरण निरस्त हो जाएगा; जमा पंजीकरण शुल्क "
        "बकाया में समायोजित रहेगा।\nIf the balance is not paid by the due date the "
        "registration lapses; the fee paid stays credited against the dues."
    ))
    _qr(pdf, status_url)
    _footer(pdf)
    return pdf_bytes(pdf)


def certificate_pdf(*, registration: Registration, status_url: str) -> bytes:
    """Return the settlement certificate of a settled registration; raise NotYetIssued."""
    # DESIGN §4.2a: never "settled" unless the money credited covers the total.
    if registration.status != RegistrationStatus.SETTLED or registration.total_payable is None \
            or registration.credited < registration.total_payable:
        raise NotYetIssued(registration.registration_number)
    fee = successful_payment(registration, PaymentPurpose.REGISTRATION_FEE)
    balance = successful_payment(registration, PaymentPurpose.BALANCE)
    paid = registration.credited
    pdf = new_pdf(title=f"Settlement certificate {registration.registration_number}")
    _header(pdf, hi="समाधान प्रमाण-पत्र", en="Certificate of settlement")
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 6, (
        f"प्रमाणित किया जाता है कि मामला संख्या {registration.case.case_number} का "
        "ओटीएस थेफ्ट-23 योजना के अंतर्गत पूर्ण समाधान हो गया है।\n"
        f"This is to certify that case {registration.case.case_number} has been settled "
        "in full under the OTS Theft-23 scheme."
    ))
    pdf.ln(2)
    _row(pdf, "पंजीकरण संख्या", "Registration number", registration.registration_number,
         bold=True)
    _row(pdf, "मामला संख्या", "Case number", registration.case.case_number)
    _row(pdf, "नाम", "Name", mask_name(registration.applicant_name))
    _amount_rows(pdf, registration)
    _row(pdf, "पंजीकरण शुल्क", "Registration fee", _payment_text(fee))
    _row(pdf, "शेष राशि", "Balance", _payment_text(balance))
    _row(pdf, "कुल जमा", "Total paid", format_inr(paid), bold=True)
    _row(pdf, "समाधान तिथि", "Settled on", _date(registration.settled_at), bold=True)
    _qr(pdf, status_url)
    _footer(pdf)
    return pdf_bytes(pdf)


def _footer(pdf) -> None:
    pdf.ln(4)
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(0, 4.5, (
        "यह कंप्यूटर जनित दस्तावेज़ है, हस्ताक्षर आवश्यक नहीं। / This is a computer-generated "
        f"document; no signature is needed. {_date(timezone.now())}"
    ))
