"""The slides of the presentation mode: the export's pages laid out again for a screen.

On a 1280×720 screen the bar, the summary and the hint leave about 1 224×480 px to
a chart; every chart text must be 18 px there. So a presentation slide is laid out
at `WIDTH`×`HEIGHT` px (wider and lower than the 960×540 PNG), its text at least
`FONT` px, and assets/presentation.js scales it by at least `MIN_SCALE` (1,5 at
1280×720: 18 px; more on larger screens). The notes and the source line leave the
chart for HTML text under it (`Slide.notes`): they wrap at the screen's width
instead of taking the chart's height. Charts with one row per commune or landlord
are cut into more, shorter pages; the "Ma commune" block and the programme table
are drawn again at the slide size (on two slides when they do not fit one).

The exported PNGs (ZIP, camera) are not changed: `slides.profile_pages` stays at
960×540.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass

from ..data import store
from ..figures import territoire_commune
from ..views import commune as commune_view
from ..views import territoire as tv
from ..views.chart import Chart
from . import key_slides, slides

WIDTH = 816
"""Width (px) of a presentation slide before scaling (1 224 px / 1,5)."""
HEIGHT = 320
"""Height (px) of a presentation slide before scaling (480 px / 1,5)."""
MIN_SCALE = 1.5
"""Scale of a slide on a 1280×720 screen: `FONT` px become 18 px."""
FONT = slides.PRESENTATION_FONT
"""Smallest chart text (px before scaling): 12."""
DEMO_DROP = 6
"""Pixels the demonstration label moves down (clear of a long subtitle at `FONT` px)."""
CAPTION_NAMES = ("note", "source")
LABEL_CHAR = 0.62
"""Width of a character of a map label, in font sizes (an estimate, a little wide)."""
LABEL_LINE = 1.3
"""Height of a map label, in font sizes."""
COLORBAR_PX = 110
"""Width (px) the map's colour bar and its labels take from the map."""
FIT = 0.95
"""Share of its box the map fills (an estimate, a little small: labels stay apart)."""
STEEP_TICKS = ("bailleurs",)
"""Charts whose slanted column names are set steeper (`STEEP_ANGLE`)."""
STEEP_ANGLE = -60
STEEP_ROOM = 40
"""Pixels added under the plot for the steeper names."""
COLORBAR_LINE = 1.9
"""Height of a named level of a colour bar, in font sizes."""
SIDE_LEGEND = ("parts",)
"""Charts whose legend (rows above the plot) goes to the right of the plot."""
SIDE_LEGEND_TOP = 72
"""Top margin (px) of a chart whose legend is at the side: title and subtitle."""
SIDE_LEGEND_WIDTH = 250
"""Right margin (px) of a chart whose legend is at the side (its longest entry)."""
"""Annotations moved out of the chart into the HTML caption under it."""


@dataclass(frozen=True)
class Slide:
    """One presentation slide: the page (figure at `WIDTH`×`HEIGHT`) and its caption."""

    page: slides.Page
    notes: tuple[str, ...] = ()
    """Notes then source line of the chart, as plain text (HTML under the chart)."""


def _plain(text: str) -> str:
    """Annotation text as plain text: line breaks become spaces, tags go, entities read."""
    text = re.sub(r"<br\s*/?>", " ", str(text))
    text = re.sub(r"<[^>]+>", "", text)
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            .replace("  ", " ").strip())


def lift_caption(figure: dict) -> tuple[dict, tuple[str, ...]]:
    """A copy of `figure` for a slide: text at least `FONT` px, without its notes and
    source line (returned as plain text, notes first), its bottom margin cut to what
    the axis needs, value labels at their size on thin bars."""
    out = slides.readable(figure, FONT)
    layout = out["layout"]
    kept, notes, source, offsets = [], [], [], []
    for ann in layout.get("annotations", ()):
        if ann.get("name") in CAPTION_NAMES and ann.get("yref") == "paper" \
                and float(ann.get("y", 1)) <= 0:
            (source if ann["name"] == "source" else notes).append(_plain(ann.get("text", "")))
            offsets.append(abs(float(ann.get("yshift", 0))))
            continue
        kept.append(ann)
    layout["annotations"] = kept
    for ann in kept:
        if ann.get("name") == "demo":  # a little lower: clear of a long subtitle
            ann["yshift"] = float(ann.get("yshift", 0)) - DEMO_DROP
    for trace in out["data"]:
        if trace.get("type") == "bar":
            trace["constraintext"] = "none"  # value labels keep their size on thin bars
    if offsets:
        margin = dict(layout.get("margin") or {})
        # The axis ticks and title stay above the first note: keep that band only.
        margin["b"] = int(min(float(margin.get("b", 0)), min(offsets) + 6))
        layout["margin"] = margin
    return out, tuple(t for t in (*notes, *source) if t)


def side_legend(figure: dict) -> dict:
    """The figure (changed in place) with its legend at the right of the plot, in one
    column, instead of rows above it: the plot gets the height of those rows."""
    layout = figure["layout"]
    layout["legend"] = {**(layout.get("legend") or {}), "orientation": "v",
                        "xref": "container", "x": 1, "xanchor": "right",
                        "yref": "paper", "y": 1, "yanchor": "top"}
    margin = dict(layout.get("margin") or {})
    margin["t"] = SIDE_LEGEND_TOP
    margin["r"] = max(int(margin.get("r", 0)), SIDE_LEGEND_WIDTH)
    layout["margin"] = margin
    return figure


def _points(node: object):
    """Every (lon, lat) pair of a GeoJSON geometry's coordinates."""
    if isinstance(node, list | tuple):
        if len(node) >= 2 and all(isinstance(v, int | float) for v in node[:2]):
            yield float(node[0]), float(node[1])
        else:
            for item in node:
                yield from _points(item)


def _mercator(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def thin_map_labels(figure: dict) -> dict:
    """The figure (changed in place) without the commune names that would cover another
    on a slide (the largest communes come first and stay; every name is in the hover
    text), and its colour bar's title at its side, clear of the top value."""
    layout = figure["layout"]
    margin = layout.get("margin") or {}
    width = float(layout["width"]) - margin.get("l", 0) - margin.get("r", 0)
    height = float(layout["height"]) - margin.get("t", 0) - margin.get("b", 0)
    shapes = [t for t in figure["data"] if t.get("geojson")]
    names = [t for t in figure["data"] if t.get("name") == "Noms des communes"]
    for trace in shapes[:1]:
        colorbar = trace.get("colorbar")
        if isinstance(colorbar, dict) and isinstance(colorbar.get("title"), dict):
            trace["colorbar"] = {**colorbar, "title": {**colorbar["title"], "side": "right"}}
    if not shapes or not names:
        return figure
    points = [p for f in shapes[0]["geojson"].get("features", ())
              for p in _points((f.get("geometry") or {}).get("coordinates", []))]
    lons, lats = [p[0] for p in points], [_mercator(p[1]) for p in points]
    span_x = math.radians(max(lons) - min(lons)) or 1e-9
    span_y = (max(lats) - min(lats)) or 1e-9
    # The colour bar takes its width from the map; the map keeps a margin inside its box.
    scale = FIT * min((width - COLORBAR_PX) / span_x, height / span_y)
    trace = names[0]
    size = float((trace.get("textfont") or {}).get("size", FONT))
    kept: list[tuple[float, float, float, float]] = []
    keep = []
    for i, (lon, lat, text) in enumerate(zip(trace["lon"], trace["lat"], trace["text"],
                                             strict=True)):
        x, y = math.radians(lon) * scale, -_mercator(lat) * scale
        half_w, half_h = LABEL_CHAR * size * len(str(text)) / 2 + 2, LABEL_LINE * size / 2 + 2
        box = (x - half_w, y - half_h, x + half_w, y + half_h)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
               for b in kept):
            continue
        kept.append(box)
        keep.append(i)
    for key in ("lon", "lat", "text"):
        trace[key] = [trace[key][i] for i in keep]
    return figure


def steep_ticks(figure: dict) -> dict:
    """The figure (changed in place) with its slanted column names steeper, so that
    names of narrow columns stay apart at `FONT` px, and the room they need below; a
    colour bar of named levels keeps a line per level however low the plot."""
    layout = figure["layout"]
    xaxis = layout.get("xaxis") or {}
    if isinstance(xaxis.get("tickangle"), int | float) and xaxis["tickangle"] < 0:
        layout["xaxis"] = {**xaxis, "tickangle": STEEP_ANGLE}
        margin = dict(layout.get("margin") or {})
        margin["b"] = int(margin.get("b", 0)) + STEEP_ROOM
        layout["margin"] = margin
    for trace in figure["data"]:
        colorbar = trace.get("colorbar")
        if isinstance(colorbar, dict) and colorbar.get("ticktext"):
            # One line per level, from the top of the plot down, whatever its height.
            size = float((colorbar.get("tickfont") or {}).get("size", FONT))
            trace["colorbar"] = {**colorbar, "lenmode": "pixels", "y": 1, "yanchor": "top",
                                 "len": math.ceil(len(colorbar["ticktext"]) * size
                                                  * COLORBAR_LINE)}
    return figure


def _chart_slides(chart: Chart) -> list[Slide]:
    """A chart's slides: its caption lifted (and a tall legend moved to the side) first,
    so its pages hold more rows."""
    figure, notes = lift_caption(chart.figure)
    if chart.key in SIDE_LEGEND:
        side_legend(figure)
    if chart.key in STEEP_TICKS:
        steep_ticks(figure)
    pages = slides.chart_pages(dataclasses.replace(chart, figure=figure), WIDTH, HEIGHT)
    if chart.key == "carte":
        pages = [dataclasses.replace(p, figure=thin_map_labels(p.figure)) for p in pages]
    return [Slide(page, notes) for page in pages]


def _commune_slides(code: str, chart: Chart) -> list[Slide]:
    """The "Ma commune" block at the slide size: as many slides as its items need."""
    profile = commune_view.commune_profile(code)
    left, right = commune_view.slide_pairs(profile)
    figures = territoire_commune.commune_pages(
        profile.title, profile.epci_nom, left, right, WIDTH, HEIGHT)
    source = commune_view.slide_source(profile)
    out = []
    for number, figure in enumerate(figures, start=1):
        title = profile.title if len(figures) == 1 else \
            f"{profile.title} ({number}/{len(figures)})"
        indicator = chart.indicator if len(figures) == 1 else \
            f"{chart.indicator}-{number}-sur-{len(figures)}"
        page = slides.Page(chart.key, chart.graph_id, indicator, title,
                           figure, chart.summary, number, len(figures))
        out.append(Slide(page, (source,)))
    return out


def _programme_slides(epci: str) -> list[Slide]:
    p = tv.cached_profile(epci)
    rows = tv.programme_rows(epci)
    if not rows:
        return []
    summary = key_slides.programme_summary(rows, p["nom"])
    figures = key_slides.programme_figures(rows, p["nom"], WIDTH, HEIGHT, caption=True)
    graph_id, indicator = slides.TABLE_IDS[slides.PROGRAMME_TABLE]
    out = []
    notes = (key_slides.SOURCE_PROGRAMMES,)
    for number, figure in enumerate(figures, start=1):
        figure = slides.readable(figure, FONT)
        title = str((figure["layout"].get("meta") or {}).get("title", ""))
        name = indicator if len(figures) == 1 else \
            f"{indicator}-{number}-sur-{len(figures)}"
        out.append(Slide(slides.Page(slides.PROGRAMME_TABLE, graph_id, name, title, figure,
                                     summary, number, len(figures)), notes))
    return out


@store.memo(maxsize=64)
def presentation_slides(epci: str, commune: str | None = None,
                        compare: tuple[str, ...] = ()) -> tuple[Slide, ...]:
    """The chart slides of the presentation mode (the key figures are HTML cards there):
    the commune block, every chart with something to draw, the programme table."""
    out: list[Slide] = []
    for chart in tv.profile_charts(epci, commune, compare):
        if slides.is_empty(chart.figure):
            continue
        if chart.key == "commune" and commune:
            out += _commune_slides(commune, chart)
        else:
            out += _chart_slides(chart)
    out += _programme_slides(epci)
    return tuple(out)
