"""The "Ma commune" block as a 16:9 slide (960×540 px, 1920×1080 exported): two
columns of labelled values, title, territory and source line in the layout.

Pure: (label, value) pairs in, a plain figure out (no trace, only annotations
on hidden axes measured in pixels), so the presentation mode and the ZIP show
the same slide as the page's block. Values longer than a column are wrapped;
what does not fit the slide is cut with "…" (the page shows the full text).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from .common import EXPORT_HEIGHT, EXPORT_WIDTH, MUTED, TEXT, finish, plotly_text
from .plain import PlainFigure

MARGIN = {"l": 24, "r": 24, "t": 84, "b": 84}
PLOT_WIDTH = EXPORT_WIDTH - MARGIN["l"] - MARGIN["r"]
PLOT_HEIGHT = EXPORT_HEIGHT - MARGIN["t"] - MARGIN["b"]
GUTTER = 28
COLUMN_WIDTH = (PLOT_WIDTH - GUTTER) // 2
LABEL_SIZE = 12
VALUE_SIZE = 15
LABEL_LINE = 16
VALUE_LINE = 19
ITEM_GAP = 5
CHARS = 46
"""Characters of a value line in a column (15 px system font, about 9 px a bold character)."""
SOURCE_CHARS = 150

Pair = tuple[str, str]


def _lines(value: str, width: int = CHARS) -> list[str]:
    return textwrap.wrap(value, width, break_long_words=False) or [""]


def column_layout(pairs: Sequence[Pair], height: int = PLOT_HEIGHT,
                  width: int = CHARS) -> list[tuple[str, list[str], int]]:
    """(label, value lines, y of the label in px from the top) of a column; a value
    that would pass the bottom is cut to the lines that fit, the last one ending with
    "…", and the items that do not fit at all are left out."""
    out, y = [], 0
    for label, value in pairs:
        room = (height - y - LABEL_LINE) // VALUE_LINE
        if room < 1:
            break
        lines = _lines(value, width)
        if len(lines) > room:
            lines = lines[:room]
            lines[-1] = lines[-1].rstrip(" ,;") + " …"
        out.append((label, lines, y))
        y += LABEL_LINE + VALUE_LINE * len(lines) + ITEM_GAP
    return out


def commune_figure(title: str, territory: str, left: Sequence[Pair], right: Sequence[Pair],
                   source: str) -> PlainFigure:
    """The slide: `left` and `right` columns of (label, value), `title` ("Annonay
    (07010) — Ma commune"), `territory` under it, `source` at the bottom."""
    fig = PlainFigure()
    fig.update_xaxes(visible=False, range=[0, PLOT_WIDTH], fixedrange=True)
    fig.update_yaxes(visible=False, range=[PLOT_HEIGHT, 0], fixedrange=True)
    for x, pairs in ((0, left), (COLUMN_WIDTH + GUTTER, right)):
        for label, lines, y in column_layout(pairs):
            fig.add_annotation(text=plotly_text(label), x=x, y=y, xref="x", yref="y",
                               xanchor="left", yanchor="top", showarrow=False, align="left",
                               font={"size": LABEL_SIZE, "color": MUTED}, name="label")
            fig.add_annotation(text="<br>".join(f"<b>{plotly_text(t)}</b>" for t in lines),
                               x=x, y=y + LABEL_LINE, xref="x", yref="y", xanchor="left",
                               yanchor="top", showarrow=False, align="left",
                               font={"size": VALUE_SIZE, "color": TEXT}, name="value")
    finish(fig, title, territory, source, height=EXPORT_HEIGHT, margin=MARGIN,
           wrap_width=SOURCE_CHARS, pin=True)
    return fig


PAGE_MARGIN = {"l": 24, "r": 24, "t": 84, "b": 12}
"""Margins of a presentation page: its source line is HTML under the slide."""
CHAR_PX = 8.6
"""Width (px) of a bold 15 px character, to wrap values to a column."""


def _columns(groups: Sequence[Sequence[Pair]], height: int, width: int
             ) -> list[list[tuple[str, list[str], int]]]:
    """Whole items in columns `height` px high: each group starts a new column."""
    columns: list[list[tuple[str, list[str], int]]] = []
    for pairs in groups:
        column: list[tuple[str, list[str], int]] = []
        y = 0
        for label, value in pairs:
            lines = _lines(value, width)
            size = LABEL_LINE + VALUE_LINE * len(lines)
            if column and y + size > height:
                columns.append(column)
                column, y = [], 0
            column.append((label, lines, y))
            y += size + ITEM_GAP
        if column:
            columns.append(column)
    return columns


def commune_pages(title: str, territory: str, left: Sequence[Pair], right: Sequence[Pair],
                  width: int, height: int) -> list[dict]:
    """The block as `width`×`height` slides of two columns each (presentation mode),
    nothing cut: as many slides as the items need; no source line (shown under the
    slide)."""
    plot_width = width - PAGE_MARGIN["l"] - PAGE_MARGIN["r"]
    plot_height = height - PAGE_MARGIN["t"] - PAGE_MARGIN["b"]
    column_width = (plot_width - GUTTER) // 2
    columns = _columns((left, right), plot_height, int(column_width / CHAR_PX))
    pages = [columns[i:i + 2] for i in range(0, len(columns), 2)]
    out = []
    for number, page in enumerate(pages, start=1):
        fig = PlainFigure()
        fig.update_xaxes(visible=False, range=[0, plot_width], fixedrange=True)
        fig.update_yaxes(visible=False, range=[plot_height, 0], fixedrange=True)
        for x, column in zip((0, column_width + GUTTER), page, strict=False):
            for label, lines, y in column:
                fig.add_annotation(text=plotly_text(label), x=x, y=y, xref="x", yref="y",
                                   xanchor="left", yanchor="top", showarrow=False,
                                   align="left", font={"size": LABEL_SIZE, "color": MUTED},
                                   name="label")
                fig.add_annotation(text="<br>".join(f"<b>{plotly_text(t)}</b>" for t in lines),
                                   x=x, y=y + LABEL_LINE, xref="x", yref="y", xanchor="left",
                                   yanchor="top", showarrow=False, align="left",
                                   font={"size": VALUE_SIZE, "color": TEXT}, name="value")
        page_title = title if len(pages) == 1 else f"{title} ({number}/{len(pages)})"
        finish(fig, page_title, territory, "", height=height, margin=PAGE_MARGIN, pin=True)
        figure = fig.to_dict()
        layout = figure["layout"]
        layout["width"] = width
        layout["annotations"] = [a for a in layout.get("annotations", ())
                                 if a.get("name") != "source"]
        out.append(figure)
    return out
