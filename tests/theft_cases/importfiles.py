"""Build division-list files (CSV / XLSX) for import tests."""

import csv
import datetime as dt
import io

from openpyxl import Workbook

from theft_cases.rows import COLUMNS


def good_row(n: int, **changes) -> dict:
    row = {
        "case_number": f"LKO/AMN/2023/{n:04d}",
        "detection_date": "15-06-2023",
        "account_number": f"{1200000000 + n}",
        "name": f"राम कुमार {n}",
        "father_or_husband_name": "श्याम लाल",
        "address": f"{n}/12, अमीनाबाद, लखनऊ",
        "mobile": f"98{n:08d}",
        "sub_division_code": "aminabad-1",
        "category": "LMV-1",
        "theft_type": "direct",
        "load_kw": "2",
        "fir_number": "",
        "police_station": "",
        "assessment_amount": "1,23,456.50",
        "compounding_fee": "8000",
        "deposited_amount": "0",
    }
    row.update(changes)
    return row


def csv_bytes(rows, *, columns=COLUMNS, bom=True, blank_lines=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
        if blank_lines:
            writer.writerow([""] * len(columns))
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows, *, columns=COLUMNS, date_cells=False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(columns))
    for row in rows:
        values = []
        for c in columns:
            value = row.get(c, "")
            if date_cells and c == "detection_date" and value:
                day, month, year = (int(p) for p in value.replace("/", "-").split("-"))
                value = dt.datetime(year, month, day)
            values.append(value if value != "" else None)
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
