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

from ..data import territories
from ..figures.common import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH, export_filename, slug
from ..formatting import fmt_date, fmt_int, plural
from . import slides
from .png import MISSING_BROWSER, ExportUnavailable, render_png

PIXELS = f"{EXPORT_WIDTH * EXPORT_SCALE} × {EXPORT_HEIGHT * EXPORT_SCALE}"


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

NOT_PRODUCED = "n'a pas pu être produite"
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


def _split_note(charts: list[ExportedChart]) -> list[str]:
    split = [c.page for c in charts if c.page is not None and c.page.count > 1]
    if not split:
        return []
    titles = dict.fromkeys(p.title.rsplit(" (", 1)[0] for p in split)
    return ["Les graphiques trop hauts pour une diapositive (une ligne par commune) sont "
            "découpés en plusieurs images numérotées « (1/3) », « (2/3) »… ; chacune reprend "
            "les barres de référence (EPCI, département, région), la légende et la source : "
            + ", ".join(f"« {t} »" for t in titles) + ".", ""]


def _facts_lines(epci: str, commune: str | None = None) -> list[str]:
    """The profile's official facts (legal SRU status, trends, PVD), with their sources."""
    from ..views import territoire as tv
    from ..views import territoire_faits as faits

    def item(text: str, source: str | None) -> str:
        return f"- {text}" + (f" ({source})" if source else "")

    lines = ["## Faits officiels", ""]
    lines += [item(t, s) for _, t, s in faits.fact_lines(tv.cached_facts(epci))]
    if commune:
        c = tv.cached_commune_context(commune)
        lines += ["", f"### Commune sélectionnée : {c['nom']}", ""]
        lines += [item(t, s) for _, t, s in faits.commune_lines(c)]
    return [*lines, "", "## Fichiers", ""]


def index_text(epci: str, charts: list[ExportedChart], day: dt.date | None = None,
               commune: str | None = None) -> str:
    """A French index of the exported files (Markdown, readable as plain text)."""
    name = territories.epci_names()[epci]
    day = day or dt.date.today()
    made = [c for c in charts if c.error is None]
    failed = [c for c in charts if c.error is not None]
    lines = [f"# Graphiques du profil : {name} ({epci})", "",
             f"Exportés le {fmt_date(day)} depuis le tableau de bord AURA-HLM : "
             f"{plural(len(made), 'image')} PNG de {PIXELS} pixels (format 16:9 d'une "
             "diapositive) ; titre, territoire, légende et source figurent dans chaque image, "
             "ainsi que la mention « Données de démonstration » quand elle s'applique.", ""]
    if failed:
        count = (f"1 image {NOT_PRODUCED}" if len(failed) == 1 else
                 f"{fmt_int(len(failed))} images n'ont pas pu être produites")
        absent = plural(len(failed), "absente", number=False)
        lines += [f"{count} sur le serveur : {absent} du "
                  "fichier ZIP (voir la liste ci-dessous). Le bouton « Télécharger le "
                  "graphique en PNG » du graphique dans le tableau de bord reste utilisable.",
                  ""]
    lines += _split_note(made)
    lines += _facts_lines(epci, commune)
    for c in charts:
        if c.error is not None:
            lines.append(f"- `{c.filename}` : {c.title} — image non produite : le rendu de "
                         f"ce graphique a échoué sur le serveur ({c.error}).")
            continue
        lines.append(f"- `{c.filename}` : {c.title}")
        page = c.page
        if page is not None and page.count > 1 and page.rows:
            lines.append(f"  (lignes {fmt_int(page.rows[0])} à {fmt_int(page.rows[1])} du "
                         "classement)")
        if c.summary and (page is None or page.number == 1):
            lines.append(f"  Résumé : {c.summary}")
    return "\n".join(lines) + "\n"


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
        zf.writestr(f"{folder}/index.md",
                    index_text(epci, charts, day, commune).encode("utf-8"),
                    compress_type=zipfile.ZIP_DEFLATED)
    return ProfileZip(folder + ".zip", buffer.getvalue(), len(made),
                      tuple(c.title for c in charts if c.error is not None))


def profile_zip(epci: str, day: dt.date | None = None,
                render: Callable[..., bytes] | None = None, *, commune: str | None = None,
                compare: tuple[str, ...] | list[str] = ()) -> tuple[str, bytes]:
    """(zip file name, bytes) of `build_profile_zip`."""
    built = build_profile_zip(epci, day, render, commune=commune, compare=compare)
    return built.filename, built.data
