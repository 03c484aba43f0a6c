"""What every figure shares: French number format, title and territory, source
line and demonstration label *inside* the layout (so they survive a PNG export),
and the graph config (French locale, slide-sized PNG named after its content).

Figures are built with plotly.graph_objects (plotly.express costs tens of
milliseconds per figure) and returned as `go.Figure`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import plotly.graph_objects as go

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

PROGRAMME_COLORS = {
    "ACV": "#0072B2",
    "PVD": "#009E73",
    "AMI centres-bourgs": "#CC79A7",
    "ORT": "#D55E00",
}

SOURCE_RPLS = ("Source : SDES, RPLS au 1er janvier 2024 ; INSEE, COG et populations légales "
               "2026 ; calculs AURA-HLM")
SOURCE_PROGRAMMES = ("Sources : ANCT (Action Cœur de Ville, sept. 2024 ; Petites villes de "
                     "demain, 2023) ; CGET (AMI centres-bourgs 2014) ; DGALN (suivi des ORT, "
                     "2022-2024)")
SOURCE_BAILLEURS_DEMO = ("Données de démonstration : bailleurs fictifs placés sur les communes "
                         "réelles des programmes ; à remplacer par le fichier AURA-HLM")
SOURCE_BAILLEURS = "Source : AURA-HLM, engagement des bailleurs sociaux"
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


def finish(fig: go.Figure, title: str, territory: str, source: str, *, demo: bool = False,
           height: int = 420, margin: dict | None = None) -> go.Figure:
    """Give `fig` its title, territory, source line and (if any) demonstration label.

    Everything is in the layout, so a PNG export carries it.
    """
    margin = {**MARGIN, **(margin or {})}
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
        fig.add_annotation(
            text=f"<b>{DEMO_LABEL}</b>", xref="paper", yref="paper", x=1, y=1,
            xanchor="right", yanchor="bottom", yshift=margin["t"] - 30, showarrow=False,
            font={"size": 12, "color": "white"}, bgcolor=DEMO_RED, borderpad=4,
            name="demo",
        )
    return fig


def empty_figure(title: str, territory: str, source: str, message: str, *,
                 demo: bool = False, height: int = 320, figure=None) -> go.Figure:
    """A figure saying in words why there is nothing to draw (drawn on `figure`, a new
    `go.Figure` by default)."""
    fig = go.Figure() if figure is None else figure
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=message, xref="paper", yref="paper", x=0.5, y=0.5,
                       showarrow=False, font={"size": 14, "color": MUTED}, name="message")
    return finish(fig, title, territory, source, demo=demo, height=height)


def value_axis(fig: go.Figure, axis: str = "x", percent: bool = False) -> None:
    """French tick format on a value axis ("10 000", "20 %")."""
    update = {"tickformat": ",.0f", "gridcolor": GRID, "zeroline": False,
              "ticksuffix": " %" if percent else ""}
    if axis == "x":
        fig.update_xaxes(**update)
    else:
        fig.update_yaxes(**update)
