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
 *
 * Every chart is fitted to its width, on a phone as on a wide screen, and again
 * when the window changes size (a resize handler, rather than Plotly's responsive
 * mode, which would only stretch the plot):
 * - the layout variant for the width (layout.meta.responsive, from
 *   hyrdash.lib.chart_style.responsive: small multiples one or two a row, shorter
 *   bar labels);
 * - the title and subtitle wrapped to the width, long category labels too;
 * - then, measured on the drawn chart, the top margin made room for the title
 *   (and a legend above the plot), the bottom margin for the axes' labels and the
 *   legend below them, so that no text lies on other text. The plot area keeps
 *   the height the figure asked for; the chart grows instead.
 * A drawn chart has data-drawn set to the width it was fitted to.
 *
 * Drill-down: a trace whose meta names a page (meta.href for every point, meta.hrefs one
 * per point; hyrdash.lib.chart_style.linked) opens it when one of its points is clicked,
 * with a pointer over such a point. Keyboard users have the same links in the tables.
 *
 * Charts are drawn as they come into view (an IntersectionObserver): those in or near
 * the window first, then the rest one at a time while the browser is idle, so the
 * first charts appear sooner and, soon after, every chart is drawn (a page read from
 * top to bottom never waits; printing draws any not drawn yet). Each chart's first
 * drawing is marked for the Performance API: "chart-drawn" (its id in the detail),
 * and "charts-all-drawn" when the last one is (bench/browser.py reads them).
 */
(function () {
  "use strict";

  if (typeof window.Plotly === "undefined") {
    return; // the tables below each chart still carry the numbers
  }
  var Plotly = window.Plotly;
  // The page's language: Swedish (static/js/plotly-locale-sv.js) or Plotly's own English.
  var locale = document.documentElement.lang === "sv" ? "sv" : "en";
  // Not Plotly's responsive mode: a narrower window is more than a narrower plot (below).
  var config = {locale: locale, displaylogo: false, displayModeBar: false};

  // Printing (@media print in hyrdash.css: A4 landscape, one chart a page): each chart is
  // drawn at the paper's width for the print, then at the window's again.
  // A4 landscape less its margins is 277 x 190 mm (1047 x 718 px); the heading, key
  // figures and comment need some of the height.
  var PRINT_WIDTH = 1000;
  var PRINT_HEIGHT = 470;
  var GAP = 10; // px between a chart's title, legend and axis labels
  var TITLE_PAD = 8; // px above the title
  var SUBTITLE_SCALE = 0.7; // Plotly draws <sup> at 70 % of the font size
  var LABEL_SHARE = 0.4; // a category axis's labels may take this share of the width
  // Text the plot area's edges must make room for: tick labels, axis titles,
  // annotations (panel titles), bar labels.
  var PLOT_TEXT = [
    ".xaxislayer-above text", ".yaxislayer-above text",
    ".infolayer g[class^='g-x'] text", ".infolayer g[class^='g-y'] text",
    ".annotation-text-g text", "text.bartext"
  ].join(", ");
  var printing = false;
  // Charts this far below (or above) the window are drawn as if in it.
  var NEAR = "200px 0px";

  function copy(value) {
    return JSON.parse(JSON.stringify(value));
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function merge(target, extra) {
    Object.keys(extra).forEach(function (key) {
      if (isObject(extra[key]) && isObject(target[key])) {
        merge(target[key], extra[key]);
      } else {
        target[key] = copy(extra[key]);
      }
    });
    return target;
  }

  // --- wrapping text to a width ------------------------------------------------------

  var measure = document.createElement("canvas").getContext("2d");

  function textWidth(text, size, family, bold) {
    measure.font = (bold ? "bold " : "") + size + "px " + family;
    return measure.measureText(text).width;
  }

  function plain(text) {
    return String(text).replace(/<br\s*\/?>/gi, " ").replace(/<[^>]+>/g, "");
  }

  // Words into lines no wider than `width` px (a word longer than that stands alone).
  function wrapWords(text, width, size, family, bold) {
    var lines = [];
    var line = "";
    plain(text).split(/\s+/).filter(Boolean).forEach(function (word) {
      var longer = line ? line + " " + word : word;
      if (line && textWidth(longer, size, family, bold) > width) {
        lines.push(line);
        line = word;
      } else {
        line = longer;
      }
    });
    if (line) {
      lines.push(line);
    }
    return lines;
  }

  function fontOf(layout) {
    var font = layout.font || {};
    return {family: font.family || "sans-serif", size: font.size || 12};
  }

  // "Title<br><sup>Subtitle</sup>" wrapped to the chart's width, the subtitle's lines
  // each in <sup>; the title then hangs from the top of the chart.
  function wrapTitle(layout, width) {
    var title = layout.title;
    if (!title || !title.text) {
      return;
    }
    var family = fontOf(layout).family;
    var size = (title.font && title.font.size) || 17;
    var room = width - ((title.pad && title.pad.l) || 0) - 2 * GAP;
    var lines = [];
    String(title.text).split(/<br\s*\/?>/i).forEach(function (part) {
      var sub = /^\s*<sup>([\s\S]*)<\/sup>\s*$/i.exec(part);
      if (sub) {
        wrapWords(sub[1], room, size * SUBTITLE_SCALE, family).forEach(function (line) {
          lines.push("<sup>" + line + "</sup>");
        });
      } else {
        lines = lines.concat(wrapWords(part, room, size, family));
      }
    });
    title.text = lines.join("<br>");
    // Hung from the top of the chart; fitted() then moves it TITLE_PAD px down (Plotly
    // places a title of several lines anchored at the top too high by a line or so).
    title.yref = "container";
    title.y = 1;
    title.yanchor = "top";
    title.pad = merge(title.pad || {}, {t: 0});
  }

  function axisKey(ref, letter) {
    return letter + "axis" + String(ref || letter).slice(1);
  }

  // Horizontal bars with long category labels (departments, survey statements): the
  // labels wrapped so that they take at most LABEL_SHARE of the width, and the plot made
  // tall enough for their lines. Returns the plot area's height that needs, in px.
  function wrapCategories(data, layout, width) {
    var family = fontOf(layout).family;
    var size = fontOf(layout).size;
    var room = width * LABEL_SHARE;
    var labels = {};
    var needed = 0;
    data.forEach(function (trace) {
      if (trace.orientation === "h" && Array.isArray(trace.y)) {
        var key = axisKey(trace.yaxis, "y");
        labels[key] = (labels[key] || []).concat(trace.y);
      }
    });
    Object.keys(labels).forEach(function (key) {
      var axis = layout[key] = layout[key] || {};
      var values = labels[key].filter(function (v, i, all) { return all.indexOf(v) === i; });
      var texts = axis.ticktext || values;
      var long = values.some(function (v) { return textWidth(plain(v), size, family) > room; });
      if (long && !axis.tickvals && axis.showticklabels !== false) {
        axis.tickmode = "array";
        axis.tickvals = values;
        texts = axis.ticktext = values.map(function (v) {
          if (textWidth(plain(v), size, family) <= room) {
            return v;
          }
          return wrapWords(v, room, size, family).join("<br>");
        });
      }
      var lines = Math.max.apply(null, texts.map(function (t) {
        return String(t).split(/<br\s*\/?>/i).length;
      }));
      var domain = axis.domain || [0, 1];
      var share = Math.max(domain[1] - domain[0], 0.05);
      needed = Math.max(needed, (values.length * (lines * size * 1.3 + 4)) / share);
    });
    return needed;
  }

  // --- fitting the margins to what was drawn -----------------------------------------

  // The figure's variant for the width: the first whose `below` exceeds it, or none.
  function variantFor(figure, width) {
    var variants = (figure.layout && figure.layout.meta && figure.layout.meta.responsive) || [];
    for (var i = 0; i < variants.length; i++) {
      if (width < variants[i].below) {
        return variants[i];
      }
    }
    return {};
  }

  function dataFor(figure, width) {
    var changes = variantFor(figure, width).data || [];
    return (figure.data || []).map(function (trace, i) {
      return changes[i] ? merge(copy(trace), changes[i]) : trace;
    });
  }

  function layoutFor(figure, width) {
    var layout = merge(copy(figure.layout || {}), variantFor(figure, width).layout || {});
    wrapTitle(layout, width);
    var margin = layout.margin || {};
    var plotHeight = (layout.height || 450) - (margin.t || 0) - (margin.b || 0);
    var needed = wrapCategories(figure.data || [], layout, width);
    if (needed > plotHeight) {
      layout.height = Math.ceil((layout.height || 450) + needed - plotHeight);
    }
    if (layout.legend) {
      layout.legend.maxheight = 100000; // px: never a scrolling legend; the chart grows
    }
    return layout;
  }

  function within(el) {
    var origin = el.getBoundingClientRect();
    return function (node) {
      var box = node.getBoundingClientRect();
      return {top: box.top - origin.top, bottom: box.bottom - origin.top, height: box.height};
    };
  }

  function legendAbove(layout) {
    return Boolean(layout.legend) && typeof layout.legend.y === "number" && layout.legend.y > 0.5;
  }

  // The margins, height and legend place that make room for every text around the plot.
  function fitted(el, layout) {
    var size = el._fullLayout._size;
    var boxOf = within(el);
    var plotTop = size.t;
    var plotBottom = size.t + size.h;
    var above = 0;
    var below = 0;
    el.querySelectorAll(PLOT_TEXT).forEach(function (node) {
      var box = boxOf(node);
      if (box.height > 0 && node.textContent.trim()) {
        above = Math.max(above, plotTop - box.top);
        below = Math.max(below, box.bottom - plotBottom);
      }
    });
    var title = el.querySelector(".gtitle");
    var titleBox = title && title.textContent.trim() ? boxOf(title) : null;
    var shift = titleBox ? TITLE_PAD - titleBox.top : 0;
    var titleBottom = titleBox ? titleBox.bottom + shift : 0;
    var legend = el._fullLayout.showlegend ? el.querySelector(".legend") : null;
    var legendHeight = legend ? boxOf(legend).height : 0;
    var top = legendHeight > 0 && legendAbove(layout);
    var margin = layout.margin || {};
    var plotHeight = (layout.height || el._fullLayout.height) - (margin.t || 0) - (margin.b || 0);
    var marginTop = titleBottom + GAP + (top ? legendHeight + GAP : 0) + above;
    var marginBottom = below + GAP + (legendHeight > 0 && !top ? legendHeight + GAP : 0);
    var height = Math.round(Math.max(plotHeight, 80) + marginTop + marginBottom);
    if (printing) {
      height = Math.min(height, PRINT_HEIGHT);
    }
    var update = {height: height, "margin.t": Math.ceil(marginTop), "margin.b": Math.ceil(marginBottom)};
    if (titleBox) {
      update["title.y"] = 1 - shift / height;
    }
    monthlyTicks(el, update);
    if (legendHeight > 0) {
      update["legend.yref"] = "container";
      update["legend.xref"] = "container";
      update["legend.x"] = 0;
      update["legend.xanchor"] = "left";
      if (top) {
        update["legend.yanchor"] = "top";
        update["legend.y"] = 1 - (titleBottom + GAP) / height;
      } else {
        update["legend.yanchor"] = "bottom";
        update["legend.y"] = GAP / height;
      }
    }
    return update;
  }

  // A date axis of a few months: Plotly may tick every few days, and "%b %Y" then says
  // "dec 2024" three times. The series are monthly: tick every month instead.
  function monthlyTicks(el, update) {
    Object.keys(el._fullLayout).forEach(function (key) {
      var axis = el._fullLayout[key];
      if (!/^xaxis\d*$/.test(key) || !axis || axis.type !== "date" || !axis._vals) {
        return;
      }
      var texts = axis._vals.map(function (tick) { return tick.text; });
      if (texts.some(function (text, i) { return i > 0 && text === texts[i - 1]; })) {
        update[key + ".dtick"] = "M1";
        update[key + ".tick0"] = "2000-01-01";
      }
    });
  }

  function chartWidth(el) {
    // (A chart never drawn narrower than a small phone: 0 wide while hidden, say.)
    return printing ? PRINT_WIDTH : Math.max(Math.floor(el.getBoundingClientRect().width), 280);
  }

  // --- drill-down: a click on a point of a scope opens that scope's page --------------

  function hrefOf(point) {
    var meta = point && point.data && point.data.meta;
    var href = null;
    if (meta && Array.isArray(meta.hrefs)) {
      href = meta.hrefs[point.pointIndex];
    } else if (meta) {
      href = meta.href;
    }
    // Only the site's own pages (a path), never another site or a script.
    return typeof href === "string" && /^\/(?!\/)/.test(href) ? href : null;
  }

  // The page of the points clicked: several lines at the month clicked (hover "x
  // unified") may name different pages; then the point nearest the pointer decides.
  function clickedHref(el, event) {
    var points = (event.points || []).filter(hrefOf);
    if (!points.length) {
      return null;
    }
    var mouse = event.event;
    if (points.length === 1 || !mouse || typeof mouse.clientY !== "number") {
      return hrefOf(points[0]);
    }
    var y = mouse.clientY - el.getBoundingClientRect().top;
    var best = points[0];
    var distance = Infinity;
    points.forEach(function (point) {
      var axis = point.yaxis;
      if (!axis || typeof axis.l2p !== "function" || typeof point.y !== "number") {
        return;
      }
      var away = Math.abs(axis._offset + axis.l2p(point.y) - y);
      if (away < distance) {
        distance = away;
        best = point;
      }
    });
    return hrefOf(best);
  }

  function drillDown(el) {
    if (el.hyrdashDrill) {
      return;
    }
    el.hyrdashDrill = true;
    el.on("plotly_click", function (event) {
      var href = clickedHref(el, event);
      if (href) {
        window.location.assign(href);
      }
    });
    el.on("plotly_hover", function (event) {
      el.classList.toggle("drill", (event.points || []).some(hrefOf));
    });
    el.on("plotly_unhover", function () {
      el.classList.remove("drill");
    });
  }

  function draw(el) {
    var figure = el.hyrdashFigure;
    var width = chartWidth(el);
    var data = dataFor(figure, width);
    var layout = layoutFor(figure, width);
    // The width given, not left to autosize: Plotly.react keeps the width it sized to first.
    layout.width = width;
    layout.autosize = false;
    var turn = (el.hyrdashTurn || 0) + 1;
    el.hyrdashTurn = turn;
    delete el.dataset.drawn;
    return Plotly.react(el, data, layout, config)
      .then(function () {
        drillDown(el);
        return turn === el.hyrdashTurn ? Plotly.relayout(el, fitted(el, layout)) : null;
      })
      .then(function () {
        if (turn === el.hyrdashTurn) {
          el.dataset.drawn = String(width);
          if (!el.hyrdashShown) {
            el.hyrdashShown = true;
            shown(el);
          }
        }
      });
  }

  // --- drawing as the charts come into view --------------------------------------------

  var charts = [];
  var pending = []; // charts never drawn, in the page's order
  var shownCount = 0;
  var observer = null;

  function mark(name, detail) {
    if (window.performance && typeof window.performance.mark === "function") {
      try {
        window.performance.mark(name, {detail: detail});
      } catch (error) {
        window.performance.mark(name); // a browser without marks' details
      }
    }
  }

  function shown(el) {
    shownCount += 1;
    mark("chart-drawn", el.id);
    if (shownCount === charts.length) {
      mark("charts-all-drawn", charts.length);
    }
  }

  // A chart's first drawing (at once, whatever its turn); its promise.
  function drawNow(el) {
    var index = pending.indexOf(el);
    if (index < 0) {
      return Promise.resolve();
    }
    pending.splice(index, 1);
    if (observer) {
      observer.unobserve(el);
    }
    return draw(el);
  }

  function whenIdle(callback) {
    if (window.requestIdleCallback) {
      window.requestIdleCallback(callback, {timeout: 500});
    } else {
      window.setTimeout(callback, 1);
    }
  }
  var drawingTheRest = false;

  // The charts not in view, one at a time, each when the browser has nothing else to do.
  function drawTheRest() {
    if (drawingTheRest) {
      return;
    }
    drawingTheRest = true;
    (function next() {
      whenIdle(function () {
        if (!pending.length) {
          return;
        }
        drawNow(pending[0]).then(next, next);
      });
    })();
  }

  document.querySelectorAll("[data-figure]").forEach(function (el) {
    var source = document.getElementById(el.dataset.figure);
    if (!source) {
      return;
    }
    el.hyrdashFigure = JSON.parse(source.textContent);
    charts.push(el);
    pending.push(el);
  });

  if ("IntersectionObserver" in window) {
    // Its first report names the charts in view now: drawn first, the rest once they are.
    observer = new IntersectionObserver(function (entries) {
      var inView = entries.filter(function (entry) { return entry.isIntersecting; });
      Promise.all(inView.map(function (entry) { return drawNow(entry.target); }))
        .then(drawTheRest, drawTheRest);
    }, {rootMargin: NEAR});
    pending.forEach(function (el) { observer.observe(el); });
  } else {
    pending.slice().forEach(drawNow);
  }

  function redraw(force) {
    charts.forEach(function (el) {
      if (pending.indexOf(el) >= 0) {
        if (printing) {
          drawNow(el); // every chart on paper, at the paper's width
        }
        return; // drawn in its turn, at the width of then
      }
      if (force || el.dataset.drawn !== String(chartWidth(el))) {
        draw(el);
      }
    });
  }

  var waiting = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(waiting);
    waiting = window.setTimeout(function () { redraw(false); }, 150);
  });

  function drawFor(print) {
    if (print !== printing) {
      printing = print;
      redraw(true);
    }
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
      drawNow(chart).then(function () {
        Plotly.downloadImage(chart, {
          format: "png",
          scale: 2,
          width: chart.offsetWidth,
          height: chart.offsetHeight,
          filename: button.dataset.filename || "hyrdash"
        });
      });
    });
  });
})();
