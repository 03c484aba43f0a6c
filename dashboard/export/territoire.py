"""Every chart of a territory profile as PNG: a ZIP for the page, folders for the CLI.

Each image is a 16:9 slide of 1920×1080 pixels (960×540 at scale 2) from
`slides.profile_pages`: a chart too tall for one slide (the share of social
housing of many communes) is split into several images "(1/3)"… named
`taux-logements-sociaux-1-sur-3_<territoire>_<date>.png`, each with the
reference bars, legend, notes and source. The first image holds the key figures,
the last ones the programme table; a chart with nothing to draw gives no image. An
index that opens anywhere (`index.html` and `LISEZMOI.txt`, `export.index`) lists
the files with their titles, summaries and sources, for slide notes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from ..data import territories
from ..figures.common import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH, export_filename, slug
from . import slides
from .index import HTML_NAME, NOT_PRODUCED, PIXELS, TEXT_NAME, index_html, index_text  # noqa: F401
from .png import MISSING_BROWSER, ExportUnavailable, render_png

__all__ = ["PIXELS", "index_html", "index_text", "build_profile_zip", "render_profile"]


@dataclass(frozen=True)
class ExportedChart:
    filename: str
    title: str
    png: bytes
    summary: str = ""
    page: slides.Page | None = None
    error: str | None = None
    """Why the image could not be produced (then `png` is empty)."""


Progress = Callable[[int, int], None]
"""Called as `progress(done, total)`: before the first image, then after each one."""

NO_IMAGE = ("Aucun graphique n'a pu être produit sur le serveur : le fichier ZIP n'est pas "
            "créé. Réessayez ; si le problème persiste, utilisez le bouton « Télécharger le "
            "graphique en PNG » de chaque graphique.")


def _fatal(err: Exception) -> bool:
    """A failure that every other chart would meet too (no Chromium on the server)."""
    return isinstance(err, ExportUnavailable) and str(err) == MISSING_BROWSER


def render_profile(epci: str, day: dt.date | None = None,
                   render: Callable[..., bytes] = render_png, *, commune: str | None = None,
                   compare: tuple[str, ...] | list[str] = (), progress: Progress | None = None,
                   keep_going: bool = False) -> list[ExportedChart]:
    """Render every page of every chart of the profile of `epci` (checked codes) as PNG.

    `progress(done, total)` is called before the first image and after each one.
    With `keep_going`, a chart whose rendering raises is returned with its `error`
    (and no PNG) and the others are still rendered; without it, the error propagates.
    A server without Chromium always stops at the first chart.
    """
    name = territories.epci_names()[epci]
    others = tuple(c for c in compare if c != epci)
    pages = slides.profile_pages(epci, commune, others)
    total = len(pages)
    if progress is not None:
        progress(0, total)
    charts = []
    for done, page in enumerate(pages, start=1):
        filename = export_filename(page.indicator, name, day) + ".png"
        try:
            png = render(page.figure, width=EXPORT_WIDTH, height=EXPORT_HEIGHT,
                         scale=EXPORT_SCALE)
        except Exception as err:  # noqa: BLE001 - one failing chart must not fail the others
            if not keep_going or _fatal(err):
                raise
            reason = str(err) if isinstance(err, ExportUnavailable) else type(err).__name__
            charts.append(ExportedChart(filename, page.title, b"", page.summary, page,
                                        error=reason))
        else:
            charts.append(ExportedChart(filename, page.title, png, page.summary, page))
        if progress is not None:
            progress(done, total)
    return charts


def zip_folder(epci: str, day: dt.date, commune: str | None = None) -> str:
    """The ZIP's folder and file name: `graphiques_ca-annonay-rhone-agglo_2026-11-30`, and
    with a commune `profil_annonay-07010_ca-annonay-rhone-agglo_2026-11-30`."""
    name = slug(territories.epci_names()[epci])
    if commune:
        town = territories.commune_index().at[commune, "nom"]
        return f"profil_{slug(town)}-{commune}_{name}_{day.isoformat()}"
    return f"graphiques_{name}_{day.isoformat()}"


@dataclass(frozen=True)
class ProfileZip:
    """A built ZIP: its file name, bytes, and how many images it holds or lacks."""

    filename: str
    data: bytes
    images: int
    failed: tuple[str, ...] = ()
    """Titles of the charts that could not be produced (listed in the index)."""


def build_profile_zip(epci: str, day: dt.date | None = None,
                      render: Callable[..., bytes] | None = None, *,
                      commune: str | None = None, compare: tuple[str, ...] | list[str] = (),
                      progress: Progress | None = None) -> ProfileZip:
    """The ZIP of the profile, robust to a failing chart: it is left out and the index
    says so. Raises `ExportUnavailable` (French) when no image at all could be made.

    `render` defaults to `png.render_png` looked up at call time (tests replace it)."""
    from . import png as png_module

    day = day or dt.date.today()
    charts = render_profile(epci, day, render or png_module.render_png, commune=commune,
                            compare=compare, progress=progress, keep_going=True)
    made = [c for c in charts if c.error is None]
    if not made:
        raise ExportUnavailable(NO_IMAGE)
    folder = zip_folder(epci, day, commune)
    buffer = io.BytesIO()
    # PNG files are already compressed: stored, not deflated again.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for chart in made:
            zf.writestr(f"{folder}/{chart.filename}", chart.png)
        others = tuple(c for c in compare if c != epci)
        for index_name, text in ((HTML_NAME, index_html(epci, charts, day, commune, others)),
                           (TEXT_NAME, index_text(epci, charts, day, commune, others))):
            zf.writestr(f"{folder}/{index_name}", text.encode("utf-8"),
                        compress_type=zipfile.ZIP_DEFLATED)
    return ProfileZip(folder + ".zip", buffer.getvalue(), len(made),
                      tuple(c.title for c in charts if c.error is not None))


def profile_zip(epci: str, day: dt.date | None = None,
                render: Callable[..., bytes] | None = None, *, commune: str | None = None,
                compare: tuple[str, ...] | list[str] = ()) -> tuple[str, bytes]:
    """(zip file name, bytes) of `build_profile_zip`."""
    built = build_profile_zip(epci, day, render, commune=commune, compare=compare)
    return built.filename, built.data
