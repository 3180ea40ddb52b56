"""The dashboard pages, drill-down scoping, exports, PDF and /progress/."""

import csv
import io

import pytest
from openpyxl import load_workbook

URL = "/dashboard/?scheme=OTS-THEFT-23"


@pytest.mark.django_db
def test_director_sees_the_discom_with_total_row_equal_to_headline(known, as_user):
    client = as_user("director")
    response = client.get(URL)
    assert response.status_code == 200
    ctx = response.context
    assert ctx["unit"].code == "mvvnl"
    assert [row["unit"].code for row in ctx["table"]] == [
        "amausi-zone", "gomtinagar-zone", "jankipuram-zone", "lko-central"]
    assert ctx["headline"].registered == 3
    assert {c["name"]: c["value"] for c in ctx["total_cells"]}["on_portal"] == 8
    html = response.content.decode()
    assert 'id="dashboard-charts"' in html and "<script>" not in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "/dashboard/lko-central/" in html  # drill-down link


@pytest.mark.django_db
@pytest.mark.parametrize("lang, outstanding", [("en", "₹2.04 lakh"), ("hi", "2.04")])
def test_page_in_english_and_hindi_with_indian_amounts(known, as_user, lang, outstanding):
    client = as_user("director")
    client.cookies["django_language"] = lang
    html = client.get(URL).content.decode()
    assert outstanding in html
    assert "₹2,04,000.00" in html  # exact amount in the title, Indian grouping
    if lang == "en":
        assert "Uptake funnel" in html and "50.0% of eligible" in html
    else:
        assert "पात्र का 50.0%" in html and "इकाईवार प्रगति" in html


@pytest.mark.django_db
def test_drill_down_and_scope(known, as_user):
    client = as_user("director")
    response = client.get("/dashboard/aminabad/?scheme=OTS-THEFT-23")
    assert [r["unit"].code for r in response.context["table"]] == ["aminabad-1", "aminabad-2"]
    assert response.context["headline"].on_portal == 6
    xen = as_user("xen_aminabad")
    response = xen.get(URL)
    assert response.context["unit"].code == "aminabad"
    assert response.context["headline"].outstanding == 199000
    assert xen.get("/dashboard/victoria/").status_code == 404
    assert xen.get("/dashboard/chowk/").status_code == 404
    assert xen.get("/dashboard/no-such-unit/").status_code == 404
    assert xen.get("/dashboard/chowk/table.csv").status_code == 404
    je = as_user("je_aminabad")
    response = je.get(URL)
    assert response.context["unit"].code == "aminabad-1"
    assert response.context["headline"].registered == 2
    assert je.get("/dashboard/aminabad-2/").status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(known, client):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_csv_and_xlsx_exports_match_the_table(known, as_user):
    client = as_user("director")
    client.cookies["django_language"] = "en"
    response = client.get("/dashboard/aminabad/table.csv?scheme=OTS-THEFT-23")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[1] for r in rows[1:]] == ["aminabad-1", "aminabad-2", "aminabad"]
    header = rows[0]
    assert rows[-1][header.index("On the portal")] == "6"
    response = client.get("/dashboard/aminabad/table.xlsx?scheme=OTS-THEFT-23")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[-1][1] == "aminabad" and values[-1][2] == 6
    assert len(values) == 4
    # Every row of the XLSX says what the CSV says, cell by cell.
    assert [str(v[1]) for v in values[1:]] == [r[1] for r in rows[1:]]
    from decimal import Decimal

    def same(cell, text):
        if isinstance(cell, (int, float)):
            return Decimal(str(cell)) == Decimal(text)
        return str(cell if cell is not None else "") == text

    for xlsx_row, csv_row in zip(values[1:], rows[1:], strict=True):
        assert all(same(c, t) for c, t in zip(xlsx_row, csv_row, strict=True)), csv_row


@pytest.mark.django_db
def test_pdf_summary(known, as_user):
    response = as_user("director").get("/dashboard/mvvnl/summary.pdf?scheme=OTS-THEFT-23")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1  # one page for the review meeting
    text = reader.pages[0].extract_text()
    # The headline of the known dataset, in Indian grouping, with the total row.
    for figure in ["OTS-THEFT-23", "On the portal 8", "Assessed ₹3,90,000", "Eligible 6",
                   "Registered 3", "Realised ₹30,000", "Outstanding ₹2,04,000",
                   "Waiver ₹64,000", "Total 8 6 3 50.0% 1 ₹30,000 ₹2,04,000 2 1"]:
        assert figure in text, figure


@pytest.mark.django_db
def test_progress_is_public_and_aggregate_only(known, client):
    client.cookies["django_language"] = "en"
    response = client.get("/progress/?scheme=OTS-THEFT-23")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aminabad Division" in html and "Chowk Division" in html
    ctx_rows = {r["name"]: r for r in response.context["rows"]}
    assert ctx_rows["Aminabad Division"]["registered"] == 2
    assert "9876500000" not in html and "LKO/AMN" not in html


@pytest.mark.django_db
def test_scheduled_task_refreshes(known):
    from dashboard.models import SummaryRefresh
    from dashboard.tasks import refresh_dashboard_summary

    result = refresh_dashboard_summary.delay().get()
    assert {r["scheme"] for r in result} == {"OTS-THEFT-23", "DEMO-OTS-THEFT"}
    assert SummaryRefresh.objects.count() == 2
