"""Every chart of a territory profile as PNG: a ZIP for the page, folders for the CLI."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go

from ..data import territories
from ..figures.common import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH, export_filename, slug
from .png import render_png


@dataclass(frozen=True)
class ExportedChart:
    filename: str
    title: str
    png: bytes


def profile_charts(epci: str) -> list[tuple[str, go.Figure]]:
    """(indicator slug, figure) for each chart of the EPCI's profile page."""
    from ..figures.territoire import profile_figures

    return profile_figures(epci)


def _title(fig: go.Figure | dict) -> str:
    layout = fig["layout"] if isinstance(fig, dict) else fig.layout
    meta = layout["meta"] if isinstance(fig, dict) else layout.meta
    if meta and "title" in meta:
        return str(meta["title"])
    return ""


def render_profile(epci: str, day: dt.date | None = None,
                   render: Callable[..., bytes] = render_png) -> list[ExportedChart]:
    """Render every chart of the profile of `epci` (a checked SIREN) as PNG."""
    name = territories.epci_names()[epci]
    charts = []
    for indicator, fig in profile_charts(epci):
        png = render(fig, width=EXPORT_WIDTH, height=EXPORT_HEIGHT, scale=EXPORT_SCALE)
        filename = export_filename(indicator, name, day) + ".png"
        charts.append(ExportedChart(filename, _title(fig), png))
    return charts


def index_text(epci: str, charts: list[ExportedChart], day: dt.date | None = None) -> str:
    """A French index of the exported files (Markdown, readable as plain text)."""
    from ..formatting import fmt_date

    name = territories.epci_names()[epci]
    day = day or dt.date.today()
    lines = [f"# Graphiques du profil : {name} ({epci})", "",
             f"Exportés le {fmt_date(day)} depuis le tableau de bord AURA-HLM. "
             f"Images PNG de {EXPORT_WIDTH * EXPORT_SCALE} × {EXPORT_HEIGHT * EXPORT_SCALE} "
             "pixels (format 16:9) ; titre, territoire et source figurent dans chaque image.",
             ""]
    lines += [f"- `{c.filename}` : {c.title}" for c in charts]
    return "\n".join(lines) + "\n"


def profile_zip(epci: str, day: dt.date | None = None,
                render: Callable[..., bytes] = render_png) -> tuple[str, bytes]:
    """(zip file name, bytes) with one PNG per chart of the profile and an index."""
    charts = render_profile(epci, day, render)
    name = territories.epci_names()[epci]
    folder = f"graphiques_{slug(name)}_{(day or dt.date.today()).isoformat()}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for chart in charts:
            zf.writestr(f"{folder}/{chart.filename}", chart.png)
        zf.writestr(f"{folder}/index.md", index_text(epci, charts, day))
    return folder + ".zip", buffer.getvalue()
