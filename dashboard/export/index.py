"""The index of an exported profile, in two forms that open anywhere (no Markdown):
`index.html` (self-contained: the images with their titles, summaries and sources,
no script, no style sheet or font from elsewhere) and `LISEZMOI.txt` (plain text,
for slide notes). Both list the same files, the official facts, the split charts and
the charts left out because they have nothing to draw.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import Protocol

from ..data import territories
from ..figures.common import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH
from ..formatting import fmt_date, fmt_int, plural
from ..views.chart import Chart
from . import slides

PIXELS = f"{EXPORT_WIDTH * EXPORT_SCALE} × {EXPORT_HEIGHT * EXPORT_SCALE}"
TEXT_NAME = "LISEZMOI.txt"
HTML_NAME = "index.html"
NOT_PRODUCED = "n'a pas pu être produite"


class Item(Protocol):
    """An exported image (`export.territoire.ExportedChart`)."""

    filename: str
    title: str
    summary: str
    page: slides.Page | None
    error: str | None


def source_of(item: Item) -> str:
    """The source line written inside the image (its figure's `layout.meta`)."""
    if item.page is None:
        return ""
    meta = item.page.figure.get("layout", {}).get("meta") or {}
    return str(meta.get("source", "")).replace("<br>", " ")


def _intro(made: int, day: dt.date) -> str:
    return (f"Exportés le {fmt_date(day)} depuis le tableau de bord AURA-HLM : "
            f"{plural(made, 'image')} PNG de {PIXELS} pixels (format 16:9 d'une "
            "diapositive) ; titre, territoire, légende et source figurent dans chaque image, "
            "ainsi que la mention « Données de démonstration » quand elle s'applique.")


def _failed_sentence(failed: int) -> str:
    count = (f"1 image {NOT_PRODUCED}" if failed == 1 else
             f"{fmt_int(failed)} images n'ont pas pu être produites")
    absent = plural(failed, "absente", number=False)
    return (f"{count} sur le serveur : {absent} du fichier ZIP (voir la liste ci-dessous). "
            "Le bouton « Télécharger le graphique en PNG » du graphique dans le tableau de "
            "bord reste utilisable.")


def _split_sentence(items: Sequence[Item]) -> str:
    split = [c.page for c in items if c.page is not None and c.page.count > 1]
    if not split:
        return ""
    titles = dict.fromkeys(p.title.rsplit(" (", 1)[0] for p in split)
    return ("Les graphiques et tableaux trop hauts pour une diapositive sont découpés en "
            "plusieurs images numérotées « (1/3) », « (2/3) »… ; chacune reprend les "
            "barres de référence (EPCI, département, région), la légende et la source : "
            + ", ".join(f"« {t} »" for t in titles) + ".")


def _empty_sentences(empty: Sequence[Chart]) -> list[str]:
    return [f"« {c.figure['layout'].get('meta', {}).get('title', c.key)} » : pas d'image, "
            f"rien à représenter. {c.summary}" for c in empty]


def _facts(epci: str, commune: str | None) -> tuple[list[tuple[str, str | None]],
                                                     str | None,
                                                     list[tuple[str, str | None]]]:
    """(EPCI facts, commune name, commune facts), each fact with its source."""
    from ..views import territoire as tv
    from ..views import territoire_faits as faits

    epci_facts = [(t, s) for _, t, s in faits.fact_lines(tv.cached_facts(epci))]
    if not commune:
        return epci_facts, None, []
    c = tv.cached_commune_context(commune)
    return epci_facts, c["nom"], [(t, s) for _, t, s in faits.commune_lines(c)]


def _rows_note(item: Item) -> str:
    page = item.page
    if page is not None and page.count > 1 and page.rows:
        return f"lignes {fmt_int(page.rows[0])} à {fmt_int(page.rows[1])} du classement"
    return ""


def _show_summary(item: Item) -> bool:
    return bool(item.summary) and (item.page is None or item.page.number == 1)


def index_text(epci: str, items: Sequence[Item], day: dt.date | None = None,
               commune: str | None = None, compare: tuple[str, ...] = ()) -> str:
    """LISEZMOI.txt: a plain French text index of the exported files."""
    name = territories.epci_names()[epci]
    day = day or dt.date.today()
    made = [c for c in items if c.error is None]
    failed = [c for c in items if c.error is not None]
    title = f"Graphiques du profil : {name} ({epci})"
    lines = [title, "", _intro(len(made), day), ""]
    if failed:
        lines += [_failed_sentence(len(failed)), ""]
    if split := _split_sentence(made):
        lines += [split, ""]
    for sentence in _empty_sentences(slides.empty_charts(epci, commune, compare)):
        lines += [sentence, ""]
    epci_facts, commune_name, commune_facts = _facts(epci, commune)

    def fact(text: str, source: str | None) -> str:
        return f"- {text}" + (f" ({source})" if source else "")

    lines += ["FAITS OFFICIELS", "", *[fact(t, s) for t, s in epci_facts]]
    if commune_name:
        lines += ["", f"Commune sélectionnée : {commune_name}", "",
                  *[fact(t, s) for t, s in commune_facts]]
    lines += ["", "FICHIERS", ""]
    for c in items:
        if c.error is not None:
            lines.append(f"- {c.filename} : {c.title} — image non produite : le rendu de "
                         f"ce graphique a échoué sur le serveur ({c.error}).")
            continue
        lines.append(f"- {c.filename} : {c.title}")
        if rows := _rows_note(c):
            lines.append(f"  ({rows})")
        if _show_summary(c):
            lines.append(f"  Résumé : {c.summary}")
        if source := source_of(c):
            lines.append(f"  {source}")
    return "\n".join(lines) + "\n"


STYLE = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
         "padding:0 1rem;color:#1f2933;line-height:1.45}"
         "img{max-width:100%;height:auto;border:1px solid #d0d7de}"
         "figure{margin:2rem 0}figcaption{margin-top:.5rem}"
         ".source,.muted{color:#52606d;font-size:.9rem}")


def index_html(epci: str, items: Sequence[Item], day: dt.date | None = None,
               commune: str | None = None, compare: tuple[str, ...] = ()) -> str:
    """index.html: each image with its title, summary and source (self-contained)."""
    e = html.escape
    name = territories.epci_names()[epci]
    day = day or dt.date.today()
    made = [c for c in items if c.error is None]
    failed = [c for c in items if c.error is not None]
    title = f"Graphiques du profil : {name} ({epci})"
    parts = ["<!DOCTYPE html>", '<html lang="fr">', "<head>", '<meta charset="utf-8">',
             f"<title>{e(title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
             f"<h1>{e(title)}</h1>", f"<p>{e(_intro(len(made), day))}</p>"]
    if failed:
        parts.append(f"<p>{e(_failed_sentence(len(failed)))}</p>")
    if split := _split_sentence(made):
        parts.append(f"<p>{e(split)}</p>")
    parts += [f'<p class="muted">{e(s)}</p>'
              for s in _empty_sentences(slides.empty_charts(epci, commune, compare))]
    epci_facts, commune_name, commune_facts = _facts(epci, commune)

    def facts(found: list[tuple[str, str | None]]) -> str:
        return "<ul>" + "".join(
            f"<li>{e(t)}" + (f' <span class="source">({e(s)})</span>' if s else "") + "</li>"
            for t, s in found) + "</ul>"

    parts += ["<h2>Faits officiels</h2>", facts(epci_facts)]
    if commune_name:
        parts += [f"<h3>Commune sélectionnée : {e(commune_name)}</h3>", facts(commune_facts)]
    parts.append("<h2>Images</h2>")
    for c in items:
        if c.error is not None:
            parts.append(f"<p>{e(c.filename)} : {e(c.title)} — image non produite : le rendu "
                         f"de ce graphique a échoué sur le serveur ({e(c.error)}).</p>")
            continue
        caption = [f"<strong>{e(c.title)}</strong>"]
        if rows := _rows_note(c):
            caption.append(f' <span class="muted">({e(rows)})</span>')
        if _show_summary(c):
            caption.append(f"<br>{e(c.summary)}")
        if source := source_of(c):
            caption.append(f'<br><span class="source">{e(source)}</span>')
        caption.append(f'<br><a href="{e(c.filename)}">{e(c.filename)}</a>')
        parts.append(f'<figure><img src="{e(c.filename)}" alt="{e(c.title)}" '
                     f'width="{EXPORT_WIDTH}" height="{EXPORT_HEIGHT}">'
                     f"<figcaption>{''.join(caption)}</figcaption></figure>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
