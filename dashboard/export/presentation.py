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
DEMO_DROP = 4
"""Pixels the demonstration label moves down (clear of a long subtitle at `FONT` px)."""
CAPTION_NAMES = ("note", "source")
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


def _chart_slides(chart: Chart) -> list[Slide]:
    """A chart's slides: its caption lifted first, so its pages hold more rows."""
    figure, notes = lift_caption(chart.figure)
    return [Slide(page, notes) for page in
            slides.chart_pages(dataclasses.replace(chart, figure=figure), WIDTH, HEIGHT)]


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
