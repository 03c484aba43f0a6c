"""Every chart of a territory profile as PNG: a ZIP for the page, folders for the CLI.

Each image is a 16:9 slide of 1920×1080 pixels (960×540 at scale 2) from
`slides.profile_pages`: a chart too tall for one slide (the share of social
housing of many communes) is split into several images "(1/3)"… named
`taux-logements-sociaux-1-sur-3_<territoire>_<date>.png`, each with the
reference bars, legend, notes and source. An index (Markdown, readable as plain
text) lists the files with their titles and text summaries, for slide notes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..data import territories
from ..figures.common import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH, export_filename, slug
from ..formatting import fmt_date, fmt_int
from . import slides
from .png import render_png

PIXELS = f"{EXPORT_WIDTH * EXPORT_SCALE} × {EXPORT_HEIGHT * EXPORT_SCALE}"


@dataclass(frozen=True)
class ExportedChart:
    filename: str
    title: str
    png: bytes
    summary: str = ""
    page: slides.Page | None = None


def render_profile(epci: str, day: dt.date | None = None,
                   render: Callable[..., bytes] = render_png, *, commune: str | None = None,
                   compare: tuple[str, ...] | list[str] = ()) -> list[ExportedChart]:
    """Render every page of every chart of the profile of `epci` (checked codes) as PNG."""
    name = territories.epci_names()[epci]
    others = tuple(c for c in compare if c != epci)
    charts = []
    for page in slides.profile_pages(epci, commune, others):
        png = render(page.figure, width=EXPORT_WIDTH, height=EXPORT_HEIGHT, scale=EXPORT_SCALE)
        filename = export_filename(page.indicator, name, day) + ".png"
        charts.append(ExportedChart(filename, page.title, png, page.summary, page))
    return charts


def _split_note(charts: list[ExportedChart]) -> list[str]:
    split = [c.page for c in charts if c.page is not None and c.page.count > 1]
    if not split:
        return []
    titles = dict.fromkeys(p.title.rsplit(" (", 1)[0] for p in split)
    return ["Les graphiques trop hauts pour une diapositive (une ligne par commune) sont "
            "découpés en plusieurs images numérotées « (1/3) », « (2/3) »… ; chacune reprend "
            "les barres de référence (EPCI, département, région), la légende et la source : "
            + ", ".join(f"« {t} »" for t in titles) + ".", ""]


def index_text(epci: str, charts: list[ExportedChart], day: dt.date | None = None) -> str:
    """A French index of the exported files (Markdown, readable as plain text)."""
    name = territories.epci_names()[epci]
    day = day or dt.date.today()
    lines = [f"# Graphiques du profil : {name} ({epci})", "",
             f"Exportés le {fmt_date(day)} depuis le tableau de bord AURA-HLM : "
             f"{fmt_int(len(charts))} images PNG de {PIXELS} pixels (format 16:9 d'une "
             "diapositive) ; titre, territoire, légende et source figurent dans chaque image, "
             "ainsi que la mention « Données de démonstration » quand elle s'applique.", ""]
    lines += _split_note(charts)
    for c in charts:
        lines.append(f"- `{c.filename}` : {c.title}")
        page = c.page
        if page is not None and page.count > 1 and page.rows:
            lines.append(f"  (lignes {fmt_int(page.rows[0])} à {fmt_int(page.rows[1])} du "
                         "classement)")
        if c.summary and (page is None or page.number == 1):
            lines.append(f"  Résumé : {c.summary}")
    return "\n".join(lines) + "\n"


def profile_zip(epci: str, day: dt.date | None = None,
                render: Callable[..., bytes] = render_png, *, commune: str | None = None,
                compare: tuple[str, ...] | list[str] = ()) -> tuple[str, bytes]:
    """(zip file name, bytes) with one PNG per page of each chart of the profile, and
    an index."""
    day = day or dt.date.today()
    charts = render_profile(epci, day, render, commune=commune, compare=compare)
    name = territories.epci_names()[epci]
    folder = f"graphiques_{slug(name)}_{day.isoformat()}"
    buffer = io.BytesIO()
    # PNG files are already compressed: stored, not deflated again.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for chart in charts:
            zf.writestr(f"{folder}/{chart.filename}", chart.png)
        zf.writestr(f"{folder}/index.md", index_text(epci, charts, day).encode("utf-8"),
                    compress_type=zipfile.ZIP_DEFLATED)
    return folder + ".zip", buffer.getvalue()


@lru_cache(maxsize=8)
def cached_profile_zip(epci: str, commune: str | None, compare: tuple[str, ...],
                       day: dt.date) -> tuple[str, bytes]:
    """`profile_zip` memoized on the view's codes and the day: a repeated click (or a
    client asking again and again) does not render the charts again."""
    return profile_zip(epci, day, commune=commune, compare=compare)
