"""Fixed-size pages of the profile charts: 16:9 slides (960×540, exported at scale 2:
1920×1080 pixels) and A4 print pages.

A chart whose rows do not fit the page at a readable size (the share of social
housing of 60 communes, the calendar of 16 communes) is split into several
pages "(1/3)", "(2/3)"…: each page keeps the reference bars (EPCI, department,
region), the axis range, legend, notes and source of the whole chart, so every
image is self-explanatory on its own slide. The other charts are laid out again
at the page size (title, legend and notes keep their distance from the top in
pixels).

Pure functions on figure dicts: no Dash, no kaleido. The same pages are the
PNG export (ZIP, command line) and the print pages of tall charts; the
presentation mode lays the same charts out again for a screen
(`export.presentation`: lower slides, larger text, notes under the chart).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

from ..data import store
from ..figures.common import EXPORT_HEIGHT, EXPORT_WIDTH
from ..views import territoire as tv
from ..views.chart import Chart
from . import key_slides

PRINT_WIDTH = 660
"""Width (CSS px) of a chart on an A4 portrait page with 12 mm margins (186 mm = 703 px)."""
PRINT_HEIGHT = 860
"""Height (CSS px) of a print page of a tall chart, leaving room for a heading and summary."""

ROW_PX = {"parts": 16, "calendrier": 32, "bailleurs": 26}
"""Smallest readable height of one row (px at the page size) of the charts with one
row per commune or landlord; other charts are never split. A calendar row holds one
line of milestones and their 11 px labels: 32 px keeps a 9-commune calendar on one
slide."""
KEY_FIGURES = "chiffres"
"""`Page.key` of the key-figures slide (a table drawn as a figure)."""
PROGRAMME_TABLE = "programmes"
"""`Page.key` of the programme-table slides."""
TABLE_IDS = {KEY_FIGURES: ("territoire-graph-chiffres", "chiffres-cles"),
             PROGRAMME_TABLE: ("territoire-graph-programmes", "communes-programme")}
"""(graph id, file indicator) of the table slides."""
FIXED_TRACES = ("Référence",)
"""Traces whose rows are repeated on every page (the reference bars)."""
# Per-point arrays of a trace (a page keeps the items of its rows). A heat map's
# rows are its y values: z, customdata, text are lists of rows; x (columns) stays.
POINT_KEYS = ("x", "y", "text", "customdata", "textposition", "texttemplate", "hovertext",
              "hovertemplate", "ids", "width", "base", "offset")
NESTED_POINT_KEYS = {"marker": ("color", "size", "symbol", "opacity"),
                     "textfont": ("color", "size", "family")}
HEATMAP_ROW_KEYS = ("y", "z", "customdata", "text", "hovertext")


@dataclass(frozen=True)
class Page:
    """One fixed-size page of a chart: figure dict, and what names and describes it."""

    key: str
    graph_id: str
    indicator: str
    """File-name indicator: `taux-logements-sociaux`, `taux-logements-sociaux-2-sur-3`."""
    title: str
    """Chart title, with "(2/3)" when the chart is split."""
    figure: dict
    summary: str
    number: int = 1
    count: int = 1
    rows: tuple[int, int] | None = None
    """Ranks (1-based) of the first and last row of a split chart on this page."""


# --- layout helpers ------------------------------------------------------------------------

def _title_text(layout: dict) -> str:
    meta = layout.get("meta") or {}
    return str(meta.get("title", ""))


def refit(figure: dict, width: int, height: int, *, shared: bool = True) -> dict:
    """A copy of `figure` laid out at `width`×`height` px.

    Title and legend placed relative to the container (`yref="container"`) keep
    their distance in pixels from the top; everything else is in pixels from
    the plot area already. Trace data are shared with `figure` when `shared`
    (the map's outlines are not copied); the layout is a deep copy.
    """
    layout = copy.deepcopy(figure.get("layout", {}))
    old_height = float(layout.get("height") or height)
    for key in ("title", "legend"):
        part = layout.get(key)
        if isinstance(part, dict) and part.get("yref") == "container" and "y" in part:
            from_top = (1 - float(part["y"])) * old_height
            part["y"] = max(0.0, 1 - from_top / height)
    layout.update(width=width, height=height, autosize=False)
    data = list(figure.get("data", ())) if shared else copy.deepcopy(figure.get("data", []))
    return {"data": data, "layout": layout}


def _set_title(layout: dict, title: str) -> None:
    layout.setdefault("title", {})["text"] = f"<b>{title}</b>"
    layout["meta"] = {**(layout.get("meta") or {}), "title": title}


# --- splitting a chart into pages ----------------------------------------------------------

def _category_order(figure: dict) -> list:
    """Rows of the y axis in their drawn order."""
    yaxis = figure["layout"].get("yaxis") or {}
    order = list(yaxis.get("categoryarray") or [])
    for trace in figure["data"]:
        for y in trace.get("y") or ():
            if y not in order:
                order.append(y)
    return order


def rows_per_page(figure: dict, key: str, height: int) -> int:
    """How many rows of the chart fit a page `height` px high at a readable size."""
    margin = figure["layout"].get("margin") or {}
    plot = height - int(margin.get("t", 0)) - int(margin.get("b", 0))
    return max(1, plot // ROW_PX[key])


def _subset_trace(trace: dict, keep: set) -> dict:
    """A copy of the trace restricted to the points whose y is in `keep`."""
    ys = list(trace.get("y") or ())
    index = [i for i, y in enumerate(ys) if y in keep]
    out = dict(trace)
    n = len(ys)
    if trace.get("type") == "heatmap":
        keys: tuple[str, ...] = HEATMAP_ROW_KEYS
    else:
        keys = POINT_KEYS
    for k in keys:
        value = trace.get(k)
        if isinstance(value, list | tuple) and len(value) == n:
            out[k] = [value[i] for i in index]
    if trace.get("type") != "heatmap":
        for parent, children in NESTED_POINT_KEYS.items():
            nested = trace.get(parent)
            if not isinstance(nested, dict):
                continue
            copied = dict(nested)
            for k in children:
                value = nested.get(k)
                if isinstance(value, list | tuple) and len(value) == n:
                    copied[k] = [value[i] for i in index]
            out[parent] = copied
    return out


def split(figure: dict, key: str, width: int, height: int) -> list[tuple[dict, tuple[int, int]]]:
    """The figure cut into pages of `width`×`height` px by rows of its y axis.

    Returns (page figure, (first rank, last rank)) pairs; one page when every
    row fits. Rows of `FIXED_TRACES` are on every page; pages are balanced (62
    rows in pages of 30 at most: 31 + 31, not 30 + 30 + 2).
    """
    order = _category_order(figure)
    fixed = {y for t in figure["data"] if t.get("name") in FIXED_TRACES for y in t.get("y") or ()}
    moving = [y for y in order if y not in fixed]
    capacity = max(1, rows_per_page(figure, key, height) - len(fixed))
    if len(moving) <= capacity:
        return [(refit(figure, width, height), (1, len(moving)))]
    count = math.ceil(len(moving) / capacity)
    size = math.ceil(len(moving) / count)
    pages = []
    for start in range(0, len(moving), size):
        chunk = moving[start:start + size]
        keep = fixed | set(chunk)
        page = refit({"data": [_subset_trace(t, keep) for t in figure["data"]],
                      "layout": figure["layout"]}, width, height)
        rows = [y for y in order if y in keep]
        yaxis = page["layout"].setdefault("yaxis", {})
        if yaxis.get("categoryarray") is not None:
            yaxis["categoryarray"] = rows
        if yaxis.get("tickvals") is not None and yaxis.get("ticktext") is not None:
            labels = dict(zip(yaxis["tickvals"], yaxis["ticktext"], strict=True))
            yaxis["tickvals"] = rows
            yaxis["ticktext"] = [labels.get(r, r) for r in rows]
        pages.append((page, (start + 1, start + len(chunk))))
    return pages


def chart_pages(chart: Chart, width: int = EXPORT_WIDTH,
                height: int = EXPORT_HEIGHT) -> list[Page]:
    """The pages of one profile chart at `width`×`height` px."""
    title = _title_text(chart.figure["layout"])
    if chart.key not in ROW_PX:
        return [Page(chart.key, chart.graph_id, chart.indicator, title,
                     refit(chart.figure, width, height), chart.summary)]
    parts = split(chart.figure, chart.key, width, height)
    if len(parts) == 1:
        figure, rows = parts[0]
        return [Page(chart.key, chart.graph_id, chart.indicator, title, figure,
                     chart.summary, rows=rows)]
    pages = []
    for number, (figure, rows) in enumerate(parts, start=1):
        page_title = f"{title} ({number}/{len(parts)})"
        _set_title(figure["layout"], page_title)
        pages.append(Page(chart.key, chart.graph_id,
                          f"{chart.indicator}-{number}-sur-{len(parts)}", page_title, figure,
                          chart.summary, number, len(parts), rows))
    return pages


def is_empty(figure: dict) -> bool:
    """True for a chart that only says in words why there is nothing to draw (no
    trace with points, a "message" annotation: `figures.common.empty_figure`)."""
    drawn = any(len(t.get("y") or t.get("z") or t.get("locations") or t.get("x") or ()) > 0
                for t in figure.get("data", ()))
    message = any(a.get("name") == "message"
                  for a in (figure.get("layout") or {}).get("annotations", ()))
    return message and not drawn


def _table_page(key: str, figure: dict, summary: str, number: int = 1,
                count: int = 1) -> Page:
    graph_id, indicator = TABLE_IDS[key]
    title = _title_text(figure["layout"])
    if count > 1:
        indicator = f"{indicator}-{number}-sur-{count}"
    return Page(key, graph_id, indicator, title, figure, summary, number, count)


@store.memo(maxsize=64)
def key_page(epci: str) -> Page:
    """The key-figures slide of an EPCI: housing, programme counts, SRU, landlords."""
    p = tv.cached_profile(epci)
    figure = key_slides.key_figure(p, tv.cached_engagement(epci), tv.cached_facts(epci))
    return _table_page(KEY_FIGURES, figure, key_slides.key_summary(p))


@store.memo(maxsize=64)
def programme_pages(epci: str) -> tuple[Page, ...]:
    """The programme-table slides of an EPCI (none when no commune is in a programme)."""
    p = tv.cached_profile(epci)
    rows = tv.programme_rows(epci)
    figures = key_slides.programme_figures(rows, p["nom"])
    summary = key_slides.programme_summary(rows, p["nom"]) if rows else ""
    return tuple(_table_page(PROGRAMME_TABLE, f, summary, n, len(figures))
                 for n, f in enumerate(figures, start=1))


def empty_charts(epci: str, commune: str | None = None,
                 compare: tuple[str, ...] = ()) -> list[Chart]:
    """The charts of a profile with nothing to draw: no slide, one sentence in the index."""
    return [c for c in tv.profile_charts(epci, commune, compare) if is_empty(c.figure)]


@store.memo(maxsize=64)
def profile_pages(epci: str, commune: str | None = None, compare: tuple[str, ...] = (),
                  width: int = EXPORT_WIDTH, height: int = EXPORT_HEIGHT) -> tuple[Page, ...]:
    """Every slide of a profile (checked codes), memoized on codes: the key figures,
    every page of every chart that has something to draw (any `Chart` of
    `views.territoire.profile_charts`), then the programme table.

    The figures are shared by every caller: do not change them.
    """
    charts = tuple(page for chart in tv.profile_charts(epci, commune, compare)
                   if not is_empty(chart.figure)
                   for page in chart_pages(chart, width, height))
    return (key_page(epci), *charts, *programme_pages(epci))


def needs_print_pages(chart: Chart, screen_height: int | None = None) -> bool:
    """True when the chart is too tall for one A4 page (printed at its own height)."""
    return chart.key in ROW_PX and (screen_height or chart.height) > PRINT_HEIGHT


@store.memo(maxsize=64)
def print_pages(epci: str, key: str, commune: str | None = None,
                compare: tuple[str, ...] = ()) -> tuple[Page, ...]:
    """The A4 print pages of one tall chart of a profile (memoized on codes)."""
    chart = next(c for c in tv.profile_charts(epci, commune, compare) if c.key == key)
    return tuple(chart_pages(chart, PRINT_WIDTH, PRINT_HEIGHT))


PRESENTATION_FONT = 12
"""Smallest text (px at the slide size) of a chart in presentation mode
(`export.presentation`: scaled by at least 1,5 there, 18 px on a 1280×720 screen)."""
FONT_KEYS = ("font", "tickfont", "textfont", "insidetextfont", "outsidetextfont")


def _raise_fonts(node: object, floor: float) -> None:
    """Every font size under `node` (a layout or trace copy) at least `floor`, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FONT_KEYS and isinstance(value, dict):
                size = value.get("size")
                if isinstance(size, int | float) and size < floor:
                    value["size"] = floor
                elif isinstance(size, list):
                    value["size"] = [max(floor, s) if isinstance(s, int | float) else s
                                     for s in size]
            if key != "geojson":
                _raise_fonts(value, floor)
    elif isinstance(node, list):
        for item in node:
            _raise_fonts(item, floor)


def readable(figure: dict, floor: float = PRESENTATION_FONT) -> dict:
    """A copy of a page figure whose text is at least `floor` px (map outlines shared)."""
    layout = copy.deepcopy(figure.get("layout", {}))
    _raise_fonts(layout, floor)
    data = []
    for trace in figure.get("data", ()):
        light = {k: v for k, v in trace.items() if k != "geojson"}
        light = copy.deepcopy(light)
        _raise_fonts(light, floor)
        if "geojson" in trace:
            light["geojson"] = trace["geojson"]
        data.append(light)
    return {"data": data, "layout": layout}
