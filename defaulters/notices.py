"""Printable notice of demand, in Hindi, for service at the premises (DESIGN §4.4).

domain.md "Action against defaulters": a notice of demand under the UP
Government Electrical Undertakings (Dues Recovery) Act 1958, served by post,
by hand or affixed at the premises, precedes disconnection and the recovery
certificate (RC) to the tehsil. The notice states the dues of the case and the
scheme's offer (DESIGN §4.2 quote for registering today) with its deadline,
so the person can still settle. The text is Hindi whatever the page language:
it is served on the person, in the language of the division's records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from fpdf import FPDF

from common.pdf import FONT, new_pdf, pdf_bytes
from core.money import format_inr
from ots_scheme.queries import phase_on, schemes_with_phases
from ots_scheme.services import phase_rule, rules_for
from ots_scheme.settlement import quote_in_phase
from theft_cases.models import TheftCase

ACT = "उत्तर प्रदेश सरकारी विद्युत उपक्रम (देयों की वसूली) अधिनियम, 1958"
PAY_WITHIN_DAYS = 15
# A batch is printed for one sub-division; more than this is split by filters.
BATCH_LIMIT = 300


def _date(day: dt.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


def open_schemes(today: dt.date) -> list:
    """Return the active schemes with a phase open on ``today``, real before demo."""
    return [s for s in schemes_with_phases().order_by("is_demo", "code") if phase_on(s, today)]


def current_offer(case: TheftCase, *, today: dt.date, schemes: list | None = None):
    """Return (scheme, phase, quote) of the scheme open today for the case, or None."""
    if case.status == "settled":
        return None
    for scheme in open_schemes(today) if schemes is None else schemes:
        if not scheme.eligible_from <= case.detection_date <= scheme.eligible_to:
            continue
        phase = phase_on(scheme, today)
        if phase is None:
            continue
        quote = quote_in_phase(
            rules_for(scheme), phase_rule(phase), assessment=case.assessment_amount,
            compounding_fee=case.compounding_fee, deposited=case.deposited_amount,
        )
        return scheme, phase, quote
    return None


def _row(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font(FONT, "", 10)
    pdf.cell(70, 7, label, border=1)
    pdf.cell(0, 7, value, border=1, new_x="LMARGIN", new_y="NEXT")


def _bare(name: str, kind: str) -> str:
    """Drop the unit's kind from the end of its name ("अमीनाबाद प्रथम उपखण्ड" →
    "अमीनाबाद प्रथम"): the notice says the kind once, before the name."""
    name = name.strip()
    return name[: -len(kind)].rstrip() if name.endswith(kind) else name


def _office(case: TheftCase) -> str:
    unit = case.sub_division
    division = unit.parent
    text = f"उपखण्ड अधिकारी, विद्युत वितरण उपखण्ड {_bare(unit.name_hi, 'उपखण्ड')}"
    if division is not None:
        text += f", विद्युत वितरण खण्ड {_bare(division.name_hi, 'खण्ड')}"
    return text


def draw_notice(pdf: FPDF, case: TheftCase, *, today: dt.date,
                schemes: list | None = None) -> None:
    """Add one page: the notice of demand for ``case``."""
    consumer = case.consumer
    pdf.add_page()
    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 8, "मध्यांचल विद्युत वितरण निगम लिमिटेड, लखनऊ", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, "कार्यालय: " + _office(case), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 8, "मांग सूचना (नोटिस)", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.cell(0, 5, f"({ACT} के अंतर्गत)", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, f"मामला संख्या: {case.case_number}        दिनांक: {_date(today)}",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.multi_cell(0, 6, f"सेवा में: {consumer.name}", new_x="LMARGIN", new_y="NEXT")
    if consumer.father_or_husband_name:
        pdf.multi_cell(0, 6, f"पिता / पति: {consumer.father_or_husband_name}",
                       new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, f"पता: {consumer.address}", new_x="LMARGIN", new_y="NEXT")
    if consumer.account_number:
        pdf.cell(0, 6, f"खाता संख्या: {consumer.account_number}", new_x="LMARGIN",
                 new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(
        0, 6,
        f"आपके परिसर पर दिनांक {_date(case.detection_date)} को विद्युत चोरी पाई गई "
        "(विद्युत अधिनियम 2003 की धारा 135)। इस मामले में आप पर निम्नलिखित राशि बकाया है:",
        new_x="LMARGIN", new_y="NEXT",
    )
    pdf.ln(1)
    dues = max(case.assessment_amount - case.deposited_amount, 0) + case.compounding_fee
    _row(pdf, "राजस्व निर्धारण", format_inr(case.assessment_amount))
    _row(pdf, "शमन शुल्क (धारा 152)", format_inr(case.compounding_fee))
    _row(pdf, "पूर्व में जमा", format_inr(case.deposited_amount))
    pdf.set_font(FONT, "B", 10)
    pdf.cell(70, 7, "कुल बकाया", border=1)
    pdf.cell(0, 7, format_inr(dues), border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        0, 6,
        f"आपको निर्देशित किया जाता है कि इस सूचना की प्राप्ति के {PAY_WITHIN_DAYS} दिन के "
        "भीतर बकाया राशि उपखण्ड कार्यालय में जमा करें। ऐसा न करने पर बकाया की वसूली "
        "भू-राजस्व के बकाये की भाँति तहसील को वसूली प्रमाण-पत्र (आरसी) भेजकर की जाएगी, "
        "विद्युत संयोजन विच्छेदित किया जा सकता है तथा प्राथमिकी (एफआईआर) पर विधिक "
        "कार्यवाही जारी रहेगी।",
        new_x="LMARGIN", new_y="NEXT",
    )
    offer = current_offer(case, today=today, schemes=schemes)
    if offer is not None:
        scheme, phase, quote = offer
        pdf.ln(2)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 6, f"एकमुश्त समाधान योजना: {scheme.name_hi}",
                       new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(
            0, 6,
            f"यदि आप योजना के चरण {phase.number} में दिनांक {_date(phase.ends_on)} तक "
            f"पंजीकरण करा लेते हैं तो आपको कुल {format_inr(quote.total_payable)} ही देने होंगे "
            f"({format_inr(quote.waiver)} की छूट), जिसमें पंजीकरण शुल्क "
            f"{format_inr(quote.registration_fee)} सम्मिलित है। पंजीकरण RED पोर्टल पर या "
            "उपखण्ड कार्यालय में कराया जा सकता है। योजना का लाभ लेने पर तहसील की वसूली "
            "कार्यवाही वापस ली जाती है।",
            new_x="LMARGIN", new_y="NEXT",
        )
    pdf.ln(8)
    pdf.cell(0, 6, "हस्ताक्षर: ____________________", align="R", new_x="LMARGIN",
             new_y="NEXT")
    pdf.multi_cell(0, 6, _office(case), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(
        0, 5,
        "तामील का विवरण: डाक द्वारा / हस्ते / परिसर पर चस्पा      दिनांक: ____________\n"
        "तामील कर्ता का नाम व हस्ताक्षर: ____________________",
        new_x="LMARGIN", new_y="NEXT",
    )


def notice_pdf(case: TheftCase, *, today: dt.date) -> bytes:
    """Return the notice of demand for one case as PDF bytes."""
    pdf = new_pdf(title=f"मांग सूचना {case.case_number}")
    draw_notice(pdf, case, today=today)
    return pdf_bytes(pdf)


def batch_notices_pdf(cases: Iterable[TheftCase], *, today: dt.date, title: str = "") -> bytes:
    """Return one PDF with a notice page per case (a sub-division's flagged cases)."""
    pdf = new_pdf(title=title or "मांग सूचनाएँ")
    count = 0
    schemes = open_schemes(today)
    for case in cases:
        draw_notice(pdf, case, today=today, schemes=schemes)
        count += 1
    if count == 0:
        pdf.add_page()
        pdf.cell(0, 8, "कोई फ़्लैग किया गया मामला नहीं।", new_x="LMARGIN", new_y="NEXT")
    return pdf_bytes(pdf)
