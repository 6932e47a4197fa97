"""Native, editable charts for the deck (see deck.py): the data goes into the chart's
embedded workbook, so whoever edits the deck can change a figure in PowerPoint.

Kept apart from deck.py, which lays out the slides, because chart styling is most of
the code and is what changes when the steering group wants a chart to look different.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.oxml.ns import qn
from pptx.util import Pt

if TYPE_CHECKING:
    from hyrdash.lib.deck import ChartSpec

DataLabels = Literal["auto", "all", "last", "none"]

CHART_TYPES = {
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "clustered_bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "bar_horizontal": XL_CHART_TYPE.BAR_CLUSTERED,
}

# Colour-blind safe (Okabe-Ito based), dark first: the first series reads best.
PALETTE = ("1F4E79", "E69F00", "009E73", "56B4E9", "CC79A7", "D55E00", "7F7F7F", "000000")
TEXT = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x59, 0x59, 0x59)
GRID = RGBColor(0xD9, 0xD9, 0xD9)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)


def _category_label(spec: ChartSpec, category: str) -> str:
    return f"{category}*" if category in spec.marked_categories else category


def _chart_data(spec: ChartSpec) -> CategoryChartData:
    """The chart's data. A None, or a NaN from pandas, stays out of the chart's cache
    and of its workbook: a gap in the line, never a zero."""
    data = CategoryChartData(number_format=spec.number_format)
    data.categories = [_category_label(spec, c) for c in spec.categories]
    for series in spec.series:
        data.add_series(series.name, [_value(v) for v in series.values])
    return data


def _value(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def add_chart(slide, box: tuple[int, int, int, int], chart_spec: ChartSpec, alt_text: str):
    """A native chart in `box` (left, top, width, height); returns its graphic frame.
    `alt_text` is what screen readers say, as the accessibility checker asks."""
    frame = slide.shapes.add_chart(CHART_TYPES[chart_spec.kind], *box, _chart_data(chart_spec))
    frame._element.nvGraphicFramePr.cNvPr.set("descr", alt_text)
    chart = frame.chart
    chart.has_title = False  # the slide's title says it; a lone series would become one
    chart.font.size = Pt(14)
    chart.font.color.rgb = TEXT
    _style_legend(chart, chart_spec)
    _style_axes(chart, chart_spec)
    pairs = zip(chart.plots[0].series, chart_spec.series, strict=True)
    for index, (plot_series, series) in enumerate(pairs):
        color = RGBColor.from_string(series.color or PALETTE[index % len(PALETTE)])
        _style_series(plot_series, chart_spec, color, series.name in chart_spec.dashed_series)
        _label_points(plot_series, series.values, chart_spec)
    if chart_spec.kind != "line":
        chart.plots[0].gap_width = 60
        chart.plots[0].overlap = 0
    return frame


def _style_legend(chart, spec: ChartSpec) -> None:
    """A legend at the bottom, only when there is more than one series to tell apart."""
    chart.has_legend = len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(14)


def _style_axes(chart, spec: ChartSpec) -> None:
    value_axis, category_axis = chart.value_axis, chart.category_axis
    value_axis.tick_labels.number_format = spec.axis_number_format or spec.number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.tick_labels.font.size = Pt(12)
    value_axis.major_gridlines.format.line.color.rgb = GRID
    value_axis.format.line.fill.background()
    if spec.value_axis_min is not None:
        value_axis.minimum_scale = spec.value_axis_min
    if spec.unit_label:
        value_axis.has_title = True
        value_axis.axis_title.text_frame.text = spec.unit_label
        font = value_axis.axis_title.text_frame.paragraphs[0].runs[0].font
        font.size, font.bold, font.language_id = Pt(12), False, MSO_LANGUAGE_ID.SWEDISH
        font.color.rgb = MUTED
    category_axis.tick_labels.font.size = Pt(12)
    # Category names beside the lowest value, not at zero: negative bars (eNPS, a
    # correction) would otherwise run over them.
    category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    category_axis.format.line.color.rgb = GRID
    if spec.kind == "bar_horizontal":
        # Read top to bottom in the given order; the value axis stays at the bottom.
        category_axis.reverse_order = True
        value_axis._element.find(qn("c:crosses")).set("val", "max")
    _thin_category_labels(category_axis, len(spec.categories))


def _thin_category_labels(category_axis, count: int) -> None:
    """At most about twelve category labels (every third month of a three-year
    series) in PowerPoint. LibreOffice ignores the skip and turns the labels instead."""
    skip = math.ceil(count / 12)
    if skip > 1:
        axis = category_axis._element
        follower = axis.find(qn("c:noMultiLvlLbl"))  # the schema wants the skips before it
        for name in ("c:tickLblSkip", "c:tickMarkSkip"):
            follower.addprevious(axis.makeelement(qn(name), {"val": str(skip)}))


def _style_series(plot_series, spec: ChartSpec, color: RGBColor, dashed: bool) -> None:
    line = plot_series.format.line
    if spec.kind == "line":
        line.color.rgb = color
        line.width = Pt(2.5)
        line.dash_style = MSO_LINE_DASH_STYLE.DASH if dashed else MSO_LINE_DASH_STYLE.SOLID
        plot_series.smooth = False
        many = len(spec.categories) > 24
        plot_series.marker.style = XL_MARKER_STYLE.NONE if many else XL_MARKER_STYLE.CIRCLE
        plot_series.marker.size = 6
        plot_series.marker.format.fill.solid()
        plot_series.marker.format.fill.fore_color.rgb = color
        plot_series.marker.format.line.color.rgb = color
        return
    # A dashed bar series (e.g. budget) is an outline: hollow bar, dashed edge.
    plot_series.invert_if_negative = False
    plot_series.format.fill.solid()
    plot_series.format.fill.fore_color.rgb = WHITE if dashed else color
    line.color.rgb = color
    line.width = Pt(1.5)
    line.dash_style = MSO_LINE_DASH_STYLE.DASH if dashed else MSO_LINE_DASH_STYLE.SOLID


def _label_mode(spec: ChartSpec) -> DataLabels:
    """'auto': lines get their last value labelled (the month everyone asks about);
    bars get every value while the labels still have room, else none."""
    if spec.data_labels != "auto":
        return spec.data_labels
    if spec.kind == "line":
        return "last"
    points = len(spec.categories) * len(spec.series)
    room = 30 if spec.kind == "bar_horizontal" else 16
    return "all" if points <= room else "none"


ABOVE, OUTSIDE_END = XL_LABEL_POSITION.ABOVE, XL_LABEL_POSITION.OUTSIDE_END


def _label_points(plot_series, values: Sequence[float | None], spec: ChartSpec) -> None:
    mode = _label_mode(spec)
    if mode == "all":
        labels = plot_series.data_labels
        labels.number_format, labels.number_format_is_linked = spec.number_format, False
        labels.show_value = True
        labels.font.size = Pt(12)
        labels.position = ABOVE if spec.kind == "line" else OUTSIDE_END
    elif mode == "last":
        filled = [i for i, v in enumerate(values) if _value(v) is not None]
        if filled:
            label = plot_series.points[filled[-1]].data_label
            label.show_value = True
            label.font.size, label.font.bold = Pt(12), True
            label.position = XL_LABEL_POSITION.RIGHT if spec.kind == "line" else OUTSIDE_END
