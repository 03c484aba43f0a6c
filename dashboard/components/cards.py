"""KPI cards: a value with its department and region values beside it.

Styled once in assets/style.css (`.kpi-card`, `.kpi-head`, `.kpi-label`, `.kpi-value`,
`.kpi-comparisons`, `.kpi-diff`, `.kpi-note`); pages only place the rows. A card whose
label (or an acronym or programme in it) is in the glossary shows its "ⓘ" beside the
label by itself (`components.glossary.label_info`).
"""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import html

from .glossary import label_info


@dataclass(frozen=True)
class Comparison:
    """A reference shown under a KPI: "Ardèche : 9,2 % (+6,2 pts)", or, without `scope`,
    one phrase: "soit 4,2 % de la population de l'Ardèche"."""

    scope: str
    value: str
    difference: str = ""


def kpi_card(label: str, value: str, comparisons: list[Comparison] | tuple = (),
             note: str = "", card_id: str | dict | None = None, unit: str = "") -> dbc.Card:
    """A KPI card: label (a level-3 heading) with its glossary "ⓘ" when the glossary
    knows it, big value, its `unit` right under it ("habitants", "des résidences
    principales": never separated from the value by the comparisons), comparisons,
    optional note."""
    items = [
        html.Li([html.Span(f"{c.scope} : ", className="kpi-scope") if c.scope else None,
                 html.Span(c.value),
                 html.Span(f" ({c.difference})", className="kpi-diff") if c.difference
                 else None])
        for c in comparisons
    ]
    body = [
        html.Div([c for c in (html.H3(label, className="kpi-label"), label_info(label))
                  if c is not None], className="kpi-head"),
        html.P(value, className="kpi-value"),
        html.P(unit, className="kpi-unit") if unit else None,
        html.Ul(items, className="kpi-comparisons list-unstyled mb-0") if items else None,
        html.P(note, className="kpi-note mb-0") if note else None,
    ]
    kwargs = {"id": card_id} if card_id is not None else {}
    return dbc.Card(dbc.CardBody([b for b in body if b is not None]), className="kpi-card h-100",
                    **kwargs)


def kpi_row(cards: list[dbc.Card], row_id: str | None = None, className: str = "",
            lg: int | bool = 3) -> dbc.Row:
    """Cards side by side on a wide screen (`lg` columns of 12 each, or `True` for equal
    shares of the row), two by two on a tablet, stacked on a phone."""
    kwargs = {"id": row_id} if row_id else {}
    return dbc.Row([dbc.Col(c, xs=12, sm=6, lg=lg, className="mb-3") for c in cards],
                   className=f"kpi-row {className}".strip(), **kwargs)


def swatch(color: str) -> html.Span:
    """A small square of a chart's colour beside its label in a text legend (decorative:
    the label says what it means)."""
    return html.Span(className="pastille", style={"backgroundColor": color},
                     **{"aria-hidden": "true"})
