"""Exports neutralise formulas and keep numbers as numbers (DESIGN §7)."""

from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from common.exports import csv_response, safe_cell, xlsx_bytes


def test_formula_cells_neutralised():
    assert safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    for start in "+-@":
        assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert safe_cell("राम") == "राम"
    assert safe_cell(Decimal("-5.00")) == Decimal("-5.00")
    assert safe_cell(None) == ""


def test_csv_and_xlsx_agree():
    header = ["case_number", "name", "amount"]
    rows = [["LKO/AMN/2023/0123", "=cmd|' /C calc'!A0", Decimal("123456.50")]]
    body = b"".join(csv_response(filename="x y/z.csv", header=header, rows=rows)
                    .streaming_content).decode("utf-8")
    assert body.startswith("\ufeffcase_number,name,amount")
    assert "'=cmd" in body
    sheet = load_workbook(BytesIO(xlsx_bytes(header=header, rows=rows))).active
    values = [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert values[0] == "LKO/AMN/2023/0123"
    assert values[1].startswith("'=")
    assert values[2] == 123456.5
