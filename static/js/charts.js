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

  // Printing (@media print in hyrdash.css: A4 landscape, one chart a page): each chart is
  // drawn at the paper's width for the print, then at the window's again.
  // A4 landscape less its margins is 277 x 190 mm (1047 x 718 px); the heading, key
  // figures and comment need some of the height.
  var PRINT_WIDTH = 1000;
  var PRINT_HEIGHT = 470;
  var printing = false;
  function drawFor(print) {
    if (print === printing) {
      return;
    }
    printing = print;
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      if (!el.layout) {
        return;
      }
      if (print) {
        el.dataset.screenHeight = el.layout.height || "";
        window.Plotly.relayout(el, {
          width: PRINT_WIDTH,
          height: Math.min(el.layout.height || PRINT_HEIGHT, PRINT_HEIGHT),
          autosize: false
        });
      } else {
        var height = Number(el.dataset.screenHeight) || null;
        window.Plotly.relayout(el, {width: null, height: height, autosize: true});
        window.Plotly.Plots.resize(el);
      }
    });
  }
  window.addEventListener("beforeprint", function () { drawFor(true); });
  window.addEventListener("afterprint", function () { drawFor(false); });
  window.matchMedia("print").addEventListener("change", function (event) {
    drawFor(event.matches);
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
