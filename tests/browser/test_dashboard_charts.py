"""The dashboard's "top 10 divisions" charts are drawn with the page's figures (issue 16)."""

import pytest

from dashboard import queries
from organization.models import OrgUnit
from tests.dashboard.conftest import known  # noqa: F401 - the hand-counted dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READ_CHART = """(id) => {
  const chart = Chart.getChart(document.getElementById(id));
  const meta = chart.getDatasetMeta(0);
  return {
    indexAxis: chart.options.indexAxis,
    labels: chart.data.labels,
    values: chart.data.datasets[0].data,
    // Horizontal bars run from the value axis' base to x: drawn means wide.
    widths: meta.data.map((bar) => Math.abs(bar.x - bar.base)),
    valueAxis: chart.scales.x.type, labelAxis: chart.scales.y.type,
  };
}"""


@pytest.fixture
def director_page(page, live_server, client, users):
    client.force_login(users["director"])
    page.context.add_cookies([
        {"name": "sessionid", "value": client.cookies["sessionid"].value,
         "url": live_server.url},
    ])
    return page


def test_top_divisions_charts_are_drawn_with_the_figures(director_page, live_server,
                                                         known):  # noqa: F811
    page = director_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/dashboard/?scheme=OTS-THEFT-23")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-top-cases')")
    aminabad = OrgUnit.objects.get(code="aminabad").name_hi
    chowk = OrgUnit.objects.get(code="chowk").name_hi

    cases = page.evaluate(READ_CHART, "chart-top-cases")
    # By hand: Aminabad division has 6 cases on the portal (4 + 2), Chowk 2.
    assert cases["labels"] == [aminabad, chowk]
    assert cases["values"] == [6, 2]
    assert cases["indexAxis"] == "y"
    assert (cases["valueAxis"], cases["labelAxis"]) == ("linear", "category")
    assert all(width > 5 for width in cases["widths"]), cases
    assert cases["widths"][0] > cases["widths"][1] * 2

    outstanding = page.evaluate(READ_CHART, "chart-top-outstanding")
    root = OrgUnit.objects.get(parent__isnull=True)
    scheme = known
    figures = {row["unit"].name_hi: float(row["figures"].outstanding)
               for row in queries.divisions(user=None, scheme=scheme, unit=root)}
    expected = sorted(figures.items(), key=lambda item: item[1], reverse=True)
    assert list(zip(outstanding["labels"], outstanding["values"], strict=True)) == expected
    assert all(width > 0 for width, value in zip(outstanding["widths"], outstanding["values"],
                                                 strict=True) if value > 0)
