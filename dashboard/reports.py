"""What the dashboard pages, exports and the PDF show, built from dashboard.queries.

Kept apart from views so the page, the CSV/XLSX table and the printable
summary list the same figures in the same order.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.exports import csv_response, xlsx_response
from common.language import active_language
from common.pdf import FONT, new_pdf, pdf_bytes
from core.dates import IST
from core.money import format_inr
from dashboard import feeding_queries, queries
from organization.models import OrgUnit, UnitKind
from organization.scoping import units_visible_to, visible_in, visible_to
from payments import ledger_feed
from payments.models import LedgerEntry

# (figure, label, kind) — the columns of the table and its exports.
COLUMNS = [
    ("on_portal", gettext_lazy("On the portal"), "count"),
    ("assessed", gettext_lazy("Assessed (₹)"), "money"),
    ("fed_last_7_days", gettext_lazy("Fed in the last 7 days"), "count"),
    ("eligible", gettext_lazy("Eligible"), "count"),
    ("reminded", gettext_lazy("Reminded / noticed"), "count"),
    ("started", gettext_lazy("Started (fee unpaid)"), "count"),
    ("registered", gettext_lazy("Registered"), "count"),
    ("registered_percent", gettext_lazy("Registered % of eligible"), "percent"),
    ("fee_paid", gettext_lazy("Awaiting verification"), "count"),
    ("verified", gettext_lazy("Verified"), "count"),
    ("settled", gettext_lazy("Settled"), "count"),
    ("realised", gettext_lazy("Realised (₹)"), "money"),
    ("waiver", gettext_lazy("Waiver granted (₹)"), "money"),
    ("outstanding", gettext_lazy("Outstanding (₹)"), "money"),
    ("flagged", gettext_lazy("Flagged"), "count"),
    ("actions_taken", gettext_lazy("Actions taken"), "count"),
]
PAGE_COLUMNS = ["on_portal", "fed_last_7_days", "eligible", "reminded", "registered",
                "registered_percent", "settled", "realised", "outstanding", "flagged"]
QUALITY = [
    ("without_mobile", gettext_lazy("Cases without mobile")),
    ("without_fir", gettext_lazy("Cases without FIR number")),
    ("without_account", gettext_lazy("Cases without account number (excl. NC)")),
    ("awaiting_verification",
     gettext_lazy("Registrations awaiting verification for more than 3 days")),
]


def _value(figures: queries.Figures, name: str):
    return getattr(figures, name)


def _cells(figures, columns):
    return [{"name": name, "kind": kind, "value": _value(figures, name)}
            for name, _label, kind in columns]


def _chart_number(value) -> float:
    # Chart.js plots numbers; the exact Decimal stays in the table.
    return float(value or 0)


def dashboard_context(*, user, scheme, unit: OrgUnit) -> dict:
    headline, rows = queries.unit_figures(user=user, scheme=scheme, unit=unit)
    page_columns = [c for c in COLUMNS if c[0] in PAGE_COLUMNS]
    table = [{"unit": row["unit"], "figures": row["figures"],
              "cells": _cells(row["figures"], page_columns),
              "drill": row["unit"].kind != UnitKind.SUB_DIVISION or row["unit"] != unit}
             for row in rows]
    division_rows = queries.divisions(user=user, scheme=scheme, unit=unit)
    by_cases = queries.top_divisions(division_rows, key="on_portal")
    by_outstanding = queries.top_divisions(division_rows, key="outstanding")
    daily = queries.daily_series(user=user, scheme=scheme, unit=unit)
    phases = sorted(headline.by_phase.items(), key=lambda item: int(item[0]))
    visible_codes = set(units_visible_to(user).values_list("code", flat=True))
    refresh = queries.freshness(scheme)
    charts = {
        "days": [row["day"].isoformat() for row in daily],
        "registrations": [row["registrations"] for row in daily],
        "realised": [_chart_number(row["realised"]) for row in daily],
        "phases": [_("Phase %(n)s") % {"n": number} for number, _count in phases],
        "phase_counts": [count for _number, count in phases],
        "top_cases_labels": [r["unit"].name for r in by_cases],
        "top_cases": [r["figures"].on_portal for r in by_cases],
        "top_outstanding_labels": [r["unit"].name for r in by_outstanding],
        "top_outstanding": [_chart_number(r["figures"].outstanding) for r in by_outstanding],
        "labels": {
            "registrations": _("Registrations"), "realised": _("₹ realised"),
            "cases": _("Theft cases"), "outstanding": _("Outstanding ₹"),
        },
    }
    return {
        "scheme": scheme, "schemes": queries.selectable_schemes(), "unit": unit,
        "breadcrumbs": [u for u in unit.ancestors() if u.code in visible_codes],
        "headline": headline, "funnel": queries.funnel(headline),
        "columns": page_columns, "table": table,
        "total_cells": _cells(headline, page_columns),
        "quality": [{"label": label, "value": getattr(headline, name)}
                    for name, label in QUALITY],
        "charts": charts, "refresh": refresh,
        "feeding": feeding_queries.feeding_coverage(user=user, scheme=scheme, unit=unit),
        "feeding_refresh": feeding_queries.feeding_freshness(scheme),
        "unposted": unposted_by_division(user=user, unit=unit),
        "refreshed_at": timezone.localtime(refresh.refreshed_at, IST) if refresh else None,
    }


# The unposted figures count live ledger rows (an anti-join over every entry
# older than 24 h): kept per viewer, unit and language until the ledger
# changes (a new entry or posting) or a minute passes (entries cross the 24 h
# line with time), within DESIGN §6's "figures at most 60 s old".
UNPOSTED_FRESH_SECONDS = 60


def unposted_by_division(*, user, unit: OrgUnit) -> list[dict]:
    """Entries billing has not posted for 24 h, per division (DESIGN §8)."""
    key = (f"dashboard:unposted:{ledger_feed.ledger_version()}:{user.pk}:{unit.pk}:"
           f"{active_language()}")
    figures = cache.get(key)
    if figures is None:
        entries = visible_in(unit, visible_to(user, LedgerEntry.objects.all()))
        figures = ledger_feed.unposted_by_division(entries)
        cache.set(key, figures, UNPOSTED_FRESH_SECONDS)
    return figures


def _export_rows(*, user, scheme, unit):
    headline, rows = queries.unit_figures(user=user, scheme=scheme, unit=unit)
    header = [_("Unit"), _("Code")] + [str(label) for _n, label, _k in COLUMNS]
    body = []
    for row in rows:
        body.append([row["unit"].name, row["unit"].code]
                    + [_value(row["figures"], name) for name, _l, _k in COLUMNS])
    body.append([_("Total"), unit.code] + [_value(headline, name) for name, _l, _k in COLUMNS])
    return header, body


def table_download(*, user, scheme, unit, fmt: str):
    from django.http import Http404

    header, body = _export_rows(user=user, scheme=scheme, unit=unit)
    filename = f"dashboard-{unit.code}-{scheme.code}"
    if fmt == "csv":
        return csv_response(filename=f"{filename}.csv", header=header, rows=body)
    if fmt == "xlsx":
        return xlsx_response(filename=f"{filename}.xlsx", header=header, rows=body,
                             title=unit.code)
    raise Http404


def _pdf_value(value, kind):
    if kind == "money":
        return format_inr(value, decimals=0)
    if kind == "percent":
        return "" if value is None else f"{value}%"
    return format_inr(value, decimals=0, symbol=False)


def summary_pdf_bytes(*, user, scheme, unit) -> bytes:
    """One A4 page for a review meeting: headline, funnel and the child units."""
    headline, rows = queries.unit_figures(user=user, scheme=scheme, unit=unit)
    refresh = queries.freshness(scheme)
    pdf = new_pdf(title=f"{scheme.code} {unit.code}", orientation="L")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, f"{scheme.name_hi} / {scheme.code}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    when = (timezone.localtime(refresh.refreshed_at, IST).strftime("%d-%m-%Y %H:%M")
            if refresh else "")
    pdf.cell(0, 6, f"{unit.name_hi} / {unit.name_en} — आँकड़े / figures as of {when} IST",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(FONT, "", 9)
    bilingual = [
        ("मामले पोर्टल पर / On the portal", headline.on_portal, "count"),
        ("निर्धारण / Assessed", headline.assessed, "money"),
        ("पात्र / Eligible", headline.eligible, "count"),
        ("पंजीकृत / Registered", headline.registered, "count"),
        ("पात्र का % / % of eligible", headline.registered_percent, "percent"),
        ("निस्तारित / Settled", headline.settled, "count"),
        ("वसूली / Realised", headline.realised, "money"),
        ("छूट / Waiver", headline.waiver, "money"),
        ("बकाया / Outstanding", headline.outstanding, "money"),
        ("चिह्नित / Flagged", headline.flagged, "count"),
        ("कार्यवाही / Actions taken", headline.actions_taken, "count"),
        ("पिछले 7 दिन में फीड / Fed in 7 days", headline.fed_last_7_days, "count"),
    ]
    for index, (label, value, kind) in enumerate(bilingual):
        pdf.cell(62, 6, label, border=1)
        pdf.cell(30, 6, _pdf_value(value, kind), border=1, align="R",
                 new_x="LMARGIN" if index % 3 == 2 else "RIGHT",
                 new_y="NEXT" if index % 3 == 2 else "TOP")
    pdf.ln(2)
    steps = queries.funnel(headline)
    pdf.set_font(FONT, "B", 9)
    pdf.cell(0, 6, "उपयोग फ़नल / Uptake funnel", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8)
    pdf.cell(0, 5, "  →  ".join(
        f"{step['label']} {_pdf_value(step['count'], 'count')}"
        + (f" ({step['conversion']}%)" if step["conversion"] is not None else "")
        for step in steps), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    columns = [("on_portal", "पोर्टल पर\nOn portal", "count"),
               ("eligible", "पात्र\nEligible", "count"),
               ("registered", "पंजीकृत\nRegistered", "count"),
               ("registered_percent", "%\nof eligible", "percent"),
               ("settled", "निस्तारित\nSettled", "count"),
               ("realised", "वसूली\nRealised", "money"),
               ("outstanding", "बकाया\nOutstanding", "money"),
               ("flagged", "चिह्नित\nFlagged", "count"),
               ("fed_last_7_days", "7 दिन में फीड\nFed 7 days", "count")]
    widths = [58] + [24] * len(columns)
    pdf.set_font(FONT, "B", 8)
    pdf.multi_cell(widths[0], 5, "इकाई\nUnit", border=1, new_x="RIGHT", new_y="TOP")
    for width, (_n, label, _k) in zip(widths[1:], columns, strict=True):
        pdf.multi_cell(width, 5, label, border=1, align="R", new_x="RIGHT", new_y="TOP")
    pdf.ln(10)
    pdf.set_font(FONT, "", 8)
    line = 5 if len(rows) <= 14 else 4
    for label, figures, bold in [(r["unit"].name_hi, r["figures"], False) for r in rows] + [
            ("योग / Total", headline, True)]:
        pdf.set_font(FONT, "B" if bold else "", 8)
        pdf.cell(widths[0], line, label, border=1)
        for width, (name, _l, kind) in zip(widths[1:], columns, strict=True):
            pdf.cell(width, line, _pdf_value(getattr(figures, name), kind), border=1,
                     align="R")
        pdf.ln(line)
    return pdf_bytes(pdf)


def progress_context(*, scheme) -> dict:
    """Aggregate figures per division for /progress/ (no personal data), cached."""
    key = f"dashboard:progress:{scheme.pk}:{active_language()}"
    refresh = queries.freshness(scheme)
    stamp = refresh.refreshed_at.isoformat() if refresh else ""
    cached = cache.get(key)
    if cached is not None and cached["stamp"] == stamp:
        return cached["context"]
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
    rows = queries.divisions(user=None, scheme=scheme, unit=root) if root else []
    rows.sort(key=lambda r: r["unit"].path)
    total = queries.Figures()
    for row in rows:
        total.add(row["figures"])
    context = {
        "scheme": scheme,
        "rows": [{"name": r["unit"].name, "registered": r["figures"].registered,
                  "settled": r["figures"].settled, "realised": r["figures"].realised}
                 for r in rows],
        "total": {"registered": total.registered, "settled": total.settled,
                  "realised": total.realised},
        "refreshed_at": timezone.localtime(refresh.refreshed_at, IST) if refresh else None,
    }
    cache.set(key, {"stamp": stamp, "context": context}, 60 * 60)
    return context
