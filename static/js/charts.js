/*
 * Draw the dashboard's Plotly charts. Each chart's figure is JSON in a
 * <script type="application/json"> element written by Django's json_script
 * (no inline script: the Content Security Policy forbids it); the container
 * names that element in data-figure.
 *
 * The container is role="img" with a text summary, so it must not hold
 * buttons: Plotly's mode bar is off, and the one thing people need from it,
 * the chart as a picture for their slides, is a button beside the chart
 * (data-png) that works from the keyboard too. Zoom with the mouse still
 * works; a double click resets it.
 */
(function () {
  "use strict";

  if (typeof window.Plotly === "undefined") {
    return; // the tables below each chart still carry the numbers
  }
  // The page's language: Swedish (static/js/plotly-locale-sv.js) or Plotly's own English.
  var locale = document.documentElement.lang === "sv" ? "sv" : "en";
  var config = {locale: locale, responsive: true, displaylogo: false, displayModeBar: false};

  document.querySelectorAll("[data-figure]").forEach(function (el) {
    var source = document.getElementById(el.dataset.figure);
    if (!source) {
      return;
    }
    var fig = JSON.parse(source.textContent);
    window.Plotly.newPlot(el, fig.data, fig.layout, config);
  });

  document.querySelectorAll("button[data-png]").forEach(function (button) {
    var chart = document.getElementById(button.dataset.png);
    if (!chart) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      window.Plotly.downloadImage(chart, {
        format: "png",
        scale: 2,
        width: chart.offsetWidth,
        height: chart.offsetHeight,
        filename: button.dataset.filename || "hyrdash"
      });
    });
  });
})();
