"""What every figure shares: French number format, title and territory, source
line and demonstration label *inside* the layout (so they survive a PNG export),
and the graph config (French locale, slide-sized PNG named after its content).

Figures are built with plotly.graph_objects (plotly.express costs tens of
milliseconds per figure) and returned as `go.Figure`.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
import unicodedata
from collections.abc import Sequence

import plotly.graph_objects as go

from .. import registry
from ..data.sources import CALCULATIONS, LANDLORDS, source_line
from ..palette import (  # noqa: F401  (re-exported for the figure modules)
    ACCENT,
    CATEGORICAL,
    DEMO_RED,
    GRID,
    MUTED,
    PRIMARY,
    SEQUENTIAL,
    TEXT,
)

# System fonts only: nothing is fetched from the internet.
FONT_FAMILY = ("system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', "
               "'DejaVu Sans', Arial, sans-serif")

PROGRAMME_COLORS = registry.COLORS  # programme key -> colour (the registry's)

# Source lines, generated from the source records (`data/sources.py`).
PROGRAMME_SOURCES = tuple(dict.fromkeys(p.source for p in registry.PROGRAMMES))
"""Raw-file keys of the programme lists, in registry order."""
SOURCE_RPLS = source_line("rpls", "communes", extra=(CALCULATIONS,))
SOURCE_PROGRAMMES = source_line(*PROGRAMME_SOURCES)
SOURCE_BAILLEURS_DEMO = ("Données de démonstration : bailleurs fictifs placés sur les communes "
                         "réelles des programmes ; à remplacer par le fichier AURA-HLM")
SOURCE_BAILLEURS = source_line(extra=(LANDLORDS,))
DEMO_LABEL = "DONNÉES DE DÉMONSTRATION"

# The PNG of the toolbar button and of the server export: 16:9, 1920×1080 pixels.
EXPORT_WIDTH = 960
EXPORT_HEIGHT = 540
EXPORT_SCALE = 2

MARGIN = {"l": 16, "r": 16, "t": 78, "b": 64}


def plotly_text(value: object) -> str:
    """Text from outside the project, drawn by Plotly as data, never as markup.

    Plotly interprets a subset of HTML in every text it draws (titles, tick
    labels, hover text, annotations, legend names: `<a href>`, `<span style>`,
    `<b>`, `<br>`…) and decodes HTML entities: `&`, `<` and `>` become
    `&amp;`, `&lt;` and `&gt;`, which Plotly shows literally. Apply it once, to
    the final (shortened) label.
    """
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slug(text: str) -> str:
    """ASCII, lower-case, dash-separated: "Annonay Rhône Agglo" -> "annonay-rhone-agglo"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "graphique"


def export_filename(indicator: str, territory: str, day: dt.date | None = None) -> str:
    """`taux-logements-sociaux_annonay-rhone-agglo_2026-11-25` (no extension)."""
    day = day or dt.date.today()
    return f"{slug(indicator)}_{slug(territory)}_{day.isoformat()}"


def graph_config(indicator: str, territory: str, day: dt.date | None = None) -> dict:
    """dcc.Graph config: French locale, no Plotly logo, slide-sized PNG export."""
    return {
        "locale": "fr",
        "displaylogo": False,
        "responsive": True,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "sendChartToCloud"],
        "toImageButtonOptions": {
            "format": "png",
            "filename": export_filename(indicator, territory, day),
            "width": EXPORT_WIDTH,
            "height": EXPORT_HEIGHT,
            "scale": EXPORT_SCALE,
        },
    }


DEMO_TOP = 50
"""Pixels from the figure's top to the demonstration label (under title and subtitle)."""
DEMO_ROW = 28
"""Height of the demonstration label's row (added to the top margin of a legend figure)."""
LEGEND_TOP = 58
"""Pixels from the figure's top to a legend under the subtitle (`legend_under_title`)."""

WRAP = 105
"""Characters per line of a source line or note (plotly does not wrap annotation text)."""


def wrap(text: str, width: int = WRAP) -> str:
    """Break a long note into lines (plotly does not wrap annotation text)."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False)) if text else text


def finish(fig: go.Figure, title: str, territory: str, source: str, *, demo: bool = False,
           height: int = 420, margin: dict | None = None, wrap_width: int | None = None,
           notes: Sequence[tuple[str, int]] = (), legend: bool = False,
           pin: bool = False, align: bool = False) -> go.Figure:
    """Give `fig` its title, territory, source line and (if any) demonstration label.

    Everything is in the layout, so a PNG export carries it. The keyword
    options place the rest the same way in every figure module:
    `wrap_width` breaks the source line into lines of that many characters, its
    last line 6 px above the bottom; `notes` are (text, yshift) notes under the
    plot, above the source; `legend` puts a horizontal legend under the
    subtitle (and pins the title); `pin` keeps the title 8 px from the top
    whatever the height; `align` starts notes and source at the figure's left
    edge rather than the plot's.
    """
    margin = {**MARGIN, **(margin or {})}
    if demo and legend:
        margin["t"] += DEMO_ROW  # the label gets its own row above the legend
    fig.update_layout(
        title={"text": f"<b>{title}</b>", "x": 0, "xanchor": "left", "y": 0.98,
               "yanchor": "top", "yref": "container", "pad": {"l": 12},
               "font": {"size": 17, "color": TEXT},
               "subtitle": {"text": territory, "font": {"size": 13, "color": MUTED}}},
        font={"family": FONT_FAMILY, "size": 12, "color": TEXT},
        separators=", ",
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin=margin,
        hoverlabel={"font": {"family": FONT_FAMILY}},
        meta={"title": title, "territory": territory, "source": source, "demo": demo},
    )
    source_text = (SOURCE_BAILLEURS_DEMO + " — " + source) if demo and source != \
        SOURCE_BAILLEURS_DEMO else source
    fig.add_annotation(
        text=source_text, xref="paper", yref="paper", x=0, y=0, xanchor="left",
        yanchor="top", yshift=-(margin["b"] - 20), showarrow=False, align="left",
        font={"size": 10, "color": MUTED}, name="source",
    )
    if demo:
        # Under the subtitle, at the left: never under the toolbar nor over the title,
        # whatever the figure's width (screen, print, slide).
        fig.add_annotation(
            text=f"<b>{DEMO_LABEL}</b>", xref="paper", yref="paper", x=0, y=1,
            xanchor="left", yanchor="top", yshift=margin["t"] - DEMO_TOP, showarrow=False,
            font={"size": 12, "color": "white"}, bgcolor=DEMO_RED, borderpad=4,
            name="demo",
        )
    if wrap_width:
        wrap_source(fig, wrap_width)
    if legend:
        legend_under_title(fig, LEGEND_TOP + (DEMO_ROW if demo else 0))
    elif pin or demo:
        pin_title(fig)
    for text, yshift in notes:
        add_note(fig, text, yshift)
    if align:
        align_left(fig)
    return fig


def wrap_source(fig: go.Figure, width: int = WRAP) -> None:
    """Break the source line `finish` wrote into lines of at most `width` characters."""
    bottom = fig.layout.margin.b
    for ann in fig.layout.annotations:
        if ann.name == "source":
            ann.text = wrap(ann.text.replace("<br>", " "), width)
            # The last line ends 6 px above the bottom of the image.
            ann.yshift = -(bottom - 6 - 13 * (ann.text.count("<br>") + 1))


def pin_title(fig: go.Figure) -> int:
    """Keep the title 8 px from the top whatever the figure's height; returns the height."""
    height = fig.layout.height
    fig.update_layout(title={"y": 1 - 8 / height})
    return height


def legend_under_title(fig: go.Figure, top: int = 58) -> None:
    """Title 8 px from the top whatever the height, horizontal legend under the subtitle
    (in the top margin, above the plot), `top` px from the figure's top."""
    height = pin_title(fig)
    fig.update_layout(
        legend={"yref": "container", "y": 1 - top / height, "yanchor": "top",
                "xref": "container", "x": 0.01, "xanchor": "left", "orientation": "h",
                "font": {"size": 11.5}},
    )


def add_note(fig: go.Figure, text: str, yshift: int = -8) -> None:
    """A note under the plot, above the source line."""
    fig.add_annotation(text=wrap(text), xref="paper", yref="paper", x=0, y=0, xanchor="left",
                       yanchor="top", yshift=yshift, showarrow=False, align="left",
                       font={"size": 10.5, "color": TEXT}, name="note")


def align_left(fig: go.Figure) -> None:
    """Notes and source start at the figure's left edge, under the axis labels, not at
    the plot's left edge (plotly places `paper` x=0 there)."""
    shift = -(fig.layout.margin.l - 12)
    for ann in fig.layout.annotations:
        if ann.name in ("source", "note"):
            ann.xshift = shift


def empty_figure(title: str, territory: str, source: str, message: str, *,
                 demo: bool = False, height: int = 320, figure=None, **options) -> go.Figure:
    """A figure saying in words why there is nothing to draw (drawn on `figure`, a new
    `go.Figure` by default); `options` are `finish`'s (margin, notes, wrap_width…)."""
    fig = go.Figure() if figure is None else figure
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=message, xref="paper", yref="paper", x=0.5, y=0.5,
                       showarrow=False, font={"size": 14, "color": MUTED}, name="message")
    return finish(fig, title, territory, source, demo=demo, height=height, **options)


def value_axis(fig: go.Figure, axis: str = "x", percent: bool = False) -> None:
    """French tick format on a value axis ("10 000", "20 %")."""
    update = {"tickformat": ",.0f", "gridcolor": GRID, "zeroline": False,
              "ticksuffix": " %" if percent else ""}
    if axis == "x":
        fig.update_xaxes(**update)
    else:
        fig.update_yaxes(**update)
