/* Director dashboard: sortable unit table and Chart.js charts.
 * Data comes from the json_script block "dashboard-charts"; labels reach the
 * page only as text (Chart.js draws them on canvas), never through innerHTML. */
(function () {
  "use strict";

  function sortTable(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var descending = th.getAttribute("aria-sort") !== "descending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute("data-sort-value") || "";
      var y = b.cells[col].getAttribute("data-sort-value") || "";
      var nx = parseFloat(x), ny = parseFloat(y);
      var cmp = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return descending ? -cmp : cmp;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    table.querySelectorAll("[data-sort-col]").forEach(function (button) {
      button.addEventListener("click", function () {
        sortTable(table, parseInt(button.getAttribute("data-sort-col"), 10),
                  button.closest("th"));
      });
    });
  });

  var source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var indian = new Intl.NumberFormat("en-IN");
  var rupees = new Intl.NumberFormat("en-IN", {style: "currency", currency: "INR",
                                               maximumFractionDigits: 0});
  var common = {responsive: true, animation: false};

  // Horizontal bars: the names run down the y axis and the figures along x.
  // Left to Chart.js, the axes came out the other way round and the bars blank.
  function horizontalScales(format) {
    return {
      x: {type: "linear", beginAtZero: true,
          ticks: {callback: function (v) { return format.format(v); }}},
      y: {type: "category"}
    };
  }

  function chart(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { return new Chart(canvas, config); }
  }

  chart("chart-daily", {
    type: "bar",
    data: {labels: data.days, datasets: [
      {label: data.labels.registrations, data: data.registrations, yAxisID: "y"},
      {label: data.labels.realised, data: data.realised, type: "line", yAxisID: "y1"}
    ]},
    options: Object.assign({}, common, {scales: {
      y: {position: "left", ticks: {callback: function (v) { return indian.format(v); }}},
      y1: {position: "right", grid: {drawOnChartArea: false},
           ticks: {callback: function (v) { return rupees.format(v); }}}
    }})
  });
  chart("chart-phases", {
    type: "bar",
    data: {labels: data.phases, datasets: [
      {label: data.labels.registrations, data: data.phase_counts}]},
    options: common
  });
  chart("chart-top-cases", {
    type: "bar",
    data: {labels: data.top_cases_labels, datasets: [
      {label: data.labels.cases, data: data.top_cases}]},
    options: Object.assign({}, common, {indexAxis: "y", scales: horizontalScales(indian)})
  });
  chart("chart-top-outstanding", {
    type: "bar",
    data: {labels: data.top_outstanding_labels, datasets: [
      {label: data.labels.outstanding, data: data.top_outstanding}]},
    options: Object.assign({}, common, {indexAxis: "y", scales: horizontalScales(rupees),
      plugins: {tooltip: {callbacks: {
        label: function (ctx) { return rupees.format(ctx.parsed.x); }}}}})
  });
})();
