"""Altair charts for the dashboard: pure functions from a query's frame to a chart.

Axis titles are Chinese (UI text). Years are ordinal, with every calendar year of the
selection on the axis, so a year without data shows as a labelled gap, never as zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import polars as pl

from dashboards.labels import COLUMNS, NO_DATA, SEVERITY

GRADES = ["优", "良", "中", "差"]
GRADE_COLORS = ["#2e7d32", "#66bb6a", "#ffa726", "#e53935"]
SEVERITIES = list(SEVERITY.values())
SEVERITY_COLORS = ["#e53935", "#fb8c00", "#90a4ae"]


def _year_axis(years: Sequence[int]) -> alt.X:
    return alt.X("year:O", title="年度", scale=alt.Scale(domain=[int(y) for y in years]),
                 axis=alt.Axis(labelAngle=0))


def _no_data_marks(years_without_data: Sequence[int], value: str, title: str) -> alt.Chart | None:
    """A "无数据" label sitting on the axis at each year without data (shares the y scale)."""
    if not years_without_data:
        return None
    frame = pl.DataFrame({"year": [int(y) for y in years_without_data], value: 0.0, "label": NO_DATA})
    return (
        alt.Chart(frame)
        .mark_text(color="#888", fontSize=13, baseline="bottom", dy=-4)
        .encode(x="year:O", y=alt.Y(f"{value}:Q", title=title), text="label:N")
    )


def _with_no_data(
    chart: alt.Chart, years_without_data: Sequence[int], value: str, title: str
) -> alt.Chart | alt.LayerChart:
    marks = _no_data_marks(years_without_data, value, title)
    return chart if marks is None else alt.layer(chart, marks)


def yearly_bars(
    frame: pl.DataFrame,
    value: str,
    *,
    years: Sequence[int],
    years_without_data: Sequence[int] = (),
    color: str | None = None,
    value_format: str = ",.2f",
) -> alt.Chart | alt.LayerChart:
    """Bars per year (grouped by ``color`` when given, e.g. one bar per unit)."""
    title = COLUMNS.get(value, value)
    base = alt.Chart(frame.filter(pl.col(value).is_not_null())).mark_bar().encode(
        x=_year_axis(years),
        y=alt.Y(f"{value}:Q", title=title),
        tooltip=[alt.Tooltip("year:O", title="年度"), alt.Tooltip(f"{value}:Q", title=title, format=value_format)],
    )
    if color:
        color_title = COLUMNS.get(color, color)
        base = base.encode(
            xOffset=alt.XOffset(f"{color}:N"),
            color=alt.Color(f"{color}:N", title=color_title, legend=alt.Legend(orient="right", labelLimit=200)),
            tooltip=[
                alt.Tooltip(f"{color}:N", title=color_title),
                alt.Tooltip("year:O", title="年度"),
                alt.Tooltip(f"{value}:Q", title=title, format=value_format),
            ],
        )
    return _with_no_data(base.properties(height=260), years_without_data, value, title)


def stacked_counts(
    long: pl.DataFrame,
    *,
    x: str,
    category: str,
    categories: Sequence[str],
    colors: Sequence[str],
    x_title: str,
    y_title: str,
    x_domain: Sequence | None = None,
    years_without_data: Sequence[int] = (),
    label_angle: int = 0,
) -> alt.Chart | alt.LayerChart:
    """Stacked bars of ``count`` per ``x``, stacked by ``category`` in a fixed order."""
    axis = alt.Axis(labelAngle=label_angle, labelLimit=200)
    scale = alt.Scale(domain=list(x_domain)) if x_domain is not None else alt.Undefined
    x_enc = alt.X(f"{x}:O", title=x_title, scale=scale, axis=axis)
    chart = (
        alt.Chart(long.filter(pl.col("count") > 0))
        .mark_bar()
        .encode(
            x=x_enc,
            y=alt.Y("count:Q", title=y_title, stack="zero"),
            color=alt.Color(f"{category}:N", title=COLUMNS.get(category, category),
                            scale=alt.Scale(domain=list(categories), range=list(colors))),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip(f"{x}:O", title=x_title), alt.Tooltip(f"{category}:N"),
                     alt.Tooltip("count:Q", title=y_title)],
        )
        .properties(height=260)
    )
    return _with_no_data(chart, years_without_data, "count", y_title)


MAX_TICKS = 3000  # beyond this many forms the ticks are a fixed sample (the boxes use every form)


def box_stats(frame: pl.DataFrame, value: str) -> pl.DataFrame:
    """Min, quartiles, median and max of ``value`` per unit (what a box plot draws)."""
    v = pl.col(value)
    return frame.group_by("department_name").agg(
        n=v.count(), lo=v.min(), q1=v.quantile(0.25, "linear"), median=v.median(),
        q3=v.quantile(0.75, "linear"), hi=v.max(),
    )


def distribution_by_unit(frame: pl.DataFrame, value: str) -> alt.LayerChart:
    """Box plot of ``value`` per unit (computed here, so the browser gets one row per unit),
    with the forms as ticks beside it (a sample of MAX_TICKS when there are more)."""
    title = COLUMNS.get(value, value)
    y = alt.Y("department_name:N", title="实施单位", axis=alt.Axis(labelLimit=220))
    stats = alt.Chart(box_stats(frame, value)).encode(y=y)
    whisker = stats.mark_rule(color="#555").encode(x=alt.X("lo:Q", title=title, scale=alt.Scale(zero=False)), x2="hi:Q")
    box = stats.mark_bar(size=18, opacity=0.35).encode(
        x="q1:Q", x2="q3:Q",
        tooltip=[alt.Tooltip("department_name:N", title="实施单位"), alt.Tooltip("n:Q", title="自评表数"),
                 alt.Tooltip("lo:Q", title="最小", format=".2f"), alt.Tooltip("q1:Q", title="下四分位", format=".2f"),
                 alt.Tooltip("median:Q", title="中位数", format=".2f"), alt.Tooltip("q3:Q", title="上四分位", format=".2f"),
                 alt.Tooltip("hi:Q", title="最大", format=".2f")],
    )
    median = stats.mark_tick(color="#222", thickness=2, size=20).encode(x="median:Q")
    shown = frame if frame.height <= MAX_TICKS else frame.sample(MAX_TICKS, seed=0)
    ticks = (
        alt.Chart(shown.select("department_name", "project_name", "year", value))
        .mark_tick(thickness=1.5, size=14, opacity=0.7)
        .encode(
            y=y,
            x=f"{value}:Q",
            color=alt.Color("year:N", title="年度"),
            tooltip=[
                alt.Tooltip("project_name:N", title="项目名称"),
                alt.Tooltip("year:O", title="年度"),
                alt.Tooltip(f"{value}:Q", title=title, format=".2f"),
            ],
        )
    )
    n_units = max(frame["department_name"].n_unique(), 1)
    return alt.layer(whisker, box, median, ticks).properties(height=max(180, 50 * n_units))


def points_lost(frame: pl.DataFrame, category: str) -> alt.Chart:
    """Horizontal stacked bars: mean points lost per form, per unit, by indicator category."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("department_name:N", title="实施单位", axis=alt.Axis(labelLimit=220)),
            x=alt.X("points_lost_per_form:Q", title="每表平均失分", stack="zero"),
            color=alt.Color(f"{category}:N", title=COLUMNS[category], sort=alt.SortField("sort_order")),
            order=alt.Order("sort_order:Q"),
            tooltip=[
                alt.Tooltip("department_name:N", title="实施单位"),
                alt.Tooltip(f"{category}:N", title=COLUMNS[category]),
                alt.Tooltip("points_lost:Q", title="失分合计", format=".2f"),
                alt.Tooltip("points_lost_per_form:Q", title="每表平均失分", format=".2f"),
            ],
        )
        .properties(height=max(180, 50 * frame["department_name"].n_unique()))
    )


def horizontal_bars(frame: pl.DataFrame, *, y: str, x: str, color: str | None = None,
                    color_domain: Sequence[str] | None = None,
                    color_range: Sequence[str] | None = None) -> alt.Chart:
    """Plain horizontal bars (findings per rule)."""
    enc = {
        "y": alt.Y(f"{y}:N", title=COLUMNS.get(y, y), sort="-x", axis=alt.Axis(labelLimit=260)),
        "x": alt.X(f"{x}:Q", title=COLUMNS.get(x, x)),
        "tooltip": [alt.Tooltip(f"{c}:N" if c != x else f"{c}:Q", title=COLUMNS.get(c, c))
                    for c in [y, x] + ([color] if color else [])],
    }
    if color:
        scale = alt.Scale(domain=list(color_domain), range=list(color_range)) if color_domain else alt.Scale()
        enc["color"] = alt.Color(f"{color}:N", title=COLUMNS.get(color, color), scale=scale)
    return alt.Chart(frame).mark_bar().encode(**enc).properties(height=max(180, 36 * frame.height))
