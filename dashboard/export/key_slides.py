"""Slides that are tables, not charts: the key figures of an EPCI and its programme
communes, as 16:9 figure dicts (960×540, exported at scale 2: 1920×1080 pixels).

Drawn with layout annotations and shapes only (no `table` trace: the browser's
plotly bundle has none), so the same figure is the ZIP's PNG (kaleido) and the
presentation mode's slide (the browser). The key figures compare like with
like: a count is set beside the department's and region's counts with the
EPCI's share of them ("soit 15,2 %"), a share beside the other shares with the
gap in points.
"""

from __future__ import annotations

import dataclasses
import math
import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go

from .. import registry
from ..data import sources
from ..figures.common import (
    EXPORT_HEIGHT,
    EXPORT_WIDTH,
    GRID,
    MUTED,
    PRIMARY,
    SOURCE_PROGRAMMES,
    TEXT,
    finish,
    plotly_text,
)
from ..figures.territoire import fmt_points
from ..formatting import fmt_int, fmt_pct, plural

TABLE_FONT = 14
"""Cell text (px at the slide size, 28 px in the 1920×1080 PNG)."""
HEAD_FONT = 13
PRESENTATION_TABLE_FONT = 12
"""Smallest cell text of a narrower (presentation) table slide: 18 px once scaled."""
ROW_HEIGHT = 26
"""Height (px) of a one-line table row."""
LINE_HEIGHT = 17
"""Height (px) added by each extra line of a wrapped cell."""
MARGIN = {"l": 24, "r": 24, "t": 78, "b": 56}
STRIPE = "#f3f5f7"


@dataclass(frozen=True)
class Column:
    """A column of a table slide: header, row key, left edge (fraction of the width),
    and characters per line before a cell wraps."""

    header: str
    key: str
    x: float
    chars: int


def _wrap(text: str, chars: int) -> list[str]:
    return textwrap.wrap(str(text), chars, break_long_words=False) or [""]


def _lines(row: dict, columns: tuple[Column, ...]) -> int:
    return max(len(_wrap(row.get(c.key, ""), c.chars)) for c in columns)


def row_height(row: dict, columns: tuple[Column, ...]) -> int:
    """Height (px) of one row: one line, plus `LINE_HEIGHT` per extra wrapped line."""
    return ROW_HEIGHT + LINE_HEIGHT * (_lines(row, columns) - 1)


def _head_height(columns: tuple[Column, ...]) -> int:
    return ROW_HEIGHT + LINE_HEIGHT * (max(len(_wrap(c.header, c.chars)) for c in columns) - 1)


CAPTION_MARGIN = {"t": 70, "b": 12}
"""Top and bottom margins (px) of a presentation table slide: its source is HTML under
it, and its title is close to the table."""


def table_room(height: int = EXPORT_HEIGHT, bottom: int = MARGIN["b"], top: int = MARGIN["t"]
               ) -> int:
    """Height (px) of the body of a table slide (below its header row)."""
    return height - top - bottom


def table_figure(title: str, territory: str, source: str, columns: tuple[Column, ...],
                 rows: list[dict], *, width: int = EXPORT_WIDTH,
                 height: int = EXPORT_HEIGHT, bottom: int = MARGIN["b"],
                 top: int = MARGIN["t"],
                 fonts: tuple[float, float] = (TABLE_FONT, HEAD_FONT)) -> dict:
    """A table drawn as annotations (one per cell) on a blank `width`×`height` slide,
    with title, territory and source inside the image like every chart (no source
    when `bottom` leaves no room for it: the presentation mode shows it under the
    slide)."""
    fig = go.Figure()
    fig.update_xaxes(visible=False, range=[0, 1], fixedrange=True)
    fig.update_yaxes(visible=False, range=[0, 1], fixedrange=True)
    finish(fig, title, territory, source, height=height,
           margin={**MARGIN, "t": top, "b": bottom},
           wrap_width=150, pin=True, align=True)
    fig.update_layout(width=width, hovermode=False, dragmode=False)
    plot = height - top - bottom
    top = 0.0
    shapes = []
    annotations = []

    def y_of(px: float) -> float:
        return 1 - px / plot

    def cells(row: dict, size: int, bold: bool, color: str) -> None:
        for col in columns:
            text = "<br>".join(plotly_text(line) for line in _wrap(row.get(col.key, ""),
                                                                     col.chars))
            annotations.append(dict(
                text=f"<b>{text}</b>" if bold else text, xref="paper", yref="paper",
                x=col.x, y=y_of(top + 5), xanchor="left", yanchor="top", align="left",
                showarrow=False, font={"size": size, "color": color}, name="cellule"))

    head = {c.key: c.header for c in columns}
    head_height = _head_height(columns)
    cells(head, fonts[1], True, MUTED)
    top += head_height
    shapes.append(dict(type="line", xref="paper", yref="paper", x0=0, x1=1, y0=y_of(top),
                       y1=y_of(top), line={"color": PRIMARY, "width": 2}))
    for number, row in enumerate(rows):
        height_px = row_height(row, columns)
        if number % 2 == 0:
            shapes.append(dict(type="rect", xref="paper", yref="paper", x0=0, x1=1,
                               y0=y_of(top + height_px), y1=y_of(top), layer="below",
                               line={"width": 0}, fillcolor=STRIPE))
        cells(row, fonts[0], False, TEXT)
        top += height_px
        shapes.append(dict(type="line", xref="paper", yref="paper", x0=0, x1=1,
                           y0=y_of(top), y1=y_of(top), line={"color": GRID, "width": 1}))
    out = fig.to_dict()
    layout = out["layout"]
    kept = [a for a in layout.get("annotations", [])
            if bottom > CAPTION_MARGIN["b"] or a.get("name") != "source"]
    layout["annotations"] = [*kept, *annotations]
    layout["shapes"] = [*layout.get("shapes", []), *shapes]
    return out


def paginate(rows: list[dict], columns: tuple[Column, ...],
             room: int) -> list[list[dict]]:
    """Rows cut into pages whose rows fit `room` px (below the header row), balanced
    (13 rows in pages of 10 at most: 7 + 6, not 10 + 3)."""
    if not rows:
        return []
    room = room - _head_height(columns)
    heights = [row_height(r, columns) for r in rows]
    count = 1
    while True:
        size = math.ceil(len(rows) / count)
        chunks = [rows[i:i + size] for i in range(0, len(rows), size)]
        sums = [sum(heights[i:i + size]) for i in range(0, len(rows), size)]
        if max(sums) <= room or size == 1:
            return chunks
        count += 1
    return chunks  # pragma: no cover - the loop always returns


# --- the key figures ------------------------------------------------------------------------

KEY_COLUMNS = (
    Column("Indicateur", "label", 0.0, 42),
    Column("Intercommunalité", "epci", 0.37, 22),
    Column("Département", "departement", 0.58, 26),
    Column("Région", "region", 0.80, 20),
)


def _count_row(label: str, key: str, p: dict) -> dict:
    value = p["epci"][key]

    def of(total: float) -> str:
        share = f" (soit {fmt_pct(100 * value / total)})" if total else ""
        return fmt_int(total) + share

    return {"label": label, "epci": fmt_int(value),
            "departement": of(p["departement_totals"][key]),
            "region": of(p["region_totals"][key])}


def _share_row(label: str, key: str, p: dict) -> dict:
    value = p["epci"][key]

    def beside(other: float) -> str:
        return f"{fmt_pct(other)} ({fmt_points(value - other)})"

    return {"label": label, "epci": fmt_pct(value),
            "departement": beside(p["departement_totals"][key]),
            "region": beside(p["region_totals"][key])}


def key_rows(p: dict, engagement: dict | None, facts: dict | None) -> list[dict]:
    """The rows of the key-figures slide: housing, programme counts (one per
    programme of the registry), SRU and landlords."""
    rows = [
        _count_row("Population", "population", p),
        _count_row("Résidences principales", "residences_principales", p),
        _count_row("Logements sociaux (RPLS)", "logements_sociaux", p),
        _share_row("Part de logements sociaux", "taux_logements_sociaux", p),
        _share_row("Population en commune de programme", "part_population_programme", p),
    ]
    rows += [_count_row(f"Communes en {prog.label}", prog.total, p)
             for prog in registry.PROGRAMMES]
    if facts is not None and "communes_sru_soumises" in p["epci"]:
        rows.append(_count_row("Communes soumises à la loi SRU", "communes_sru_soumises", p))
    if engagement is not None:
        rows.append({"label": "Bailleurs engagés", "epci": fmt_int(engagement["bailleurs_engages"]),
                     "departement": fmt_int(engagement["bailleurs_engages_departement"]),
                     "region": fmt_int(engagement["bailleurs_engages_region"])})
    return rows


def key_figure(p: dict, engagement: dict | None, facts: dict | None) -> dict:
    """The key-figures slide of the EPCI `p` (`views.territoire.cached_profile`)."""
    columns = (KEY_COLUMNS[0],
               Column(p["nom"] if len(p["nom"]) <= 44 else "Intercommunalité", "epci",
                      KEY_COLUMNS[1].x, KEY_COLUMNS[1].chars),
               Column(f"Département : {p['departement_nom']}", "departement",
                      KEY_COLUMNS[2].x, KEY_COLUMNS[2].chars),
               Column(f"Région {p['region_nom']}", "region", KEY_COLUMNS[3].x,
                      KEY_COLUMNS[3].chars))
    source = sources.source_line("rpls", "communes", *dict.fromkeys(
        prog.source for prog in registry.PROGRAMMES), "sru")
    return table_figure("Chiffres clés", p["nom"], source, columns,
                        key_rows(p, engagement, facts))


def key_summary(p: dict) -> str:
    """One sentence for the key-figures slide (index, slide notes)."""
    t = p["epci"]
    return (f"{p['nom']} : {plural(int(t['nb_communes']), 'commune')}, "
            f"{fmt_int(t['population'])} habitants, {fmt_int(t['logements_sociaux'])} "
            f"logements sociaux ({fmt_pct(t['taux_logements_sociaux'])} des résidences "
            f"principales), {plural(int(t['communes_programme']), 'commune')} de programme.")


# --- the programme communes ---------------------------------------------------------------------

PROGRAMME_COLUMNS = (
    Column("Commune", "commune", 0.0, 18),
    Column("Programmes", "programmes", 0.17, 14),
    Column("Petites villes de demain", "pvd", 0.31, 16),
    Column("Convention ACV", "acv_convention", 0.46, 12),
    Column("ORT", "ort", 0.58, 14),
    Column("Jalon ORT (18 mois après l'adhésion PVD)", "jalon", 0.72, 16),
    Column("Actions ACV", "actions", 0.87, 13),
)


def programme_figures(rows: list[dict], territory: str, width: int = EXPORT_WIDTH,
                      height: int = EXPORT_HEIGHT, *, caption: bool = False) -> list[dict]:
    """The programme communes (`views.territoire.programme_rows`) as table slides, split
    over several slides "(1/2)", "(2/2)" when they do not fit one; none without rows.
    `caption`: the source is left out (the presentation mode shows it under the slide)."""
    top, bottom = (CAPTION_MARGIN["t"], CAPTION_MARGIN["b"]) if caption else (
        MARGIN["t"], MARGIN["b"])
    # A narrower slide has smaller text (not under `PRESENTATION_TABLE_FONT`), so that
    # its cells wrap as on the 960 px slide, and wraps sooner below that size.
    font = max(PRESENTATION_TABLE_FONT, TABLE_FONT * width / EXPORT_WIDTH)
    fonts = (font, max(PRESENTATION_TABLE_FONT, HEAD_FONT * width / EXPORT_WIDTH))
    columns = tuple(dataclasses.replace(c, chars=int(c.chars * width * TABLE_FONT
                                                     / (EXPORT_WIDTH * font)))
                    for c in PROGRAMME_COLUMNS)
    pages = paginate(rows, columns, table_room(height, bottom, top))
    title = "Communes de programme : état d'avancement"
    figures = []
    for number, chunk in enumerate(pages, start=1):
        page_title = title if len(pages) == 1 else f"{title} ({number}/{len(pages)})"
        figures.append(table_figure(page_title, territory, SOURCE_PROGRAMMES,
                                    columns, chunk, width=width, height=height,
                                    bottom=bottom, top=top, fonts=fonts))
    return figures


def programme_summary(rows: list[dict], territory: str) -> str:
    """One sentence for the programme-table slides."""
    names = ", ".join(r["commune"] for r in rows[:6]) + (" …" if len(rows) > 6 else "")
    return (f"{territory} : {plural(len(rows), 'commune')} de programme de "
            f"revitalisation ({names}), avec leurs dates de convention, d'ORT et leurs "
            "actions.")
