"""A chart card: the figure (title and source inside it) and a one-sentence
text summary under it, for screen readers and for people who read.

Styled once in assets/style.css (`.chart-card`, `.chart-summary`).
"""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from ..views.chart import Chart


def summary_id_of(graph_id: str | dict) -> str | dict:
    """Id of a graph's summary: `<id>-resume`, or the dict id with `part: "resume"`."""
    return f"{graph_id}-resume" if isinstance(graph_id, str) else {**graph_id, "part": "resume"}


def chart_card(graph_id: str | dict, figure: go.Figure | dict, config: dict, summary: str,
               summary_id: str | dict | None = None, className: str = "") -> dbc.Card:
    """Graph + summary: the summary is the chart's text alternative, in the page."""
    if summary_id is None:
        summary_id = summary_id_of(graph_id)
    return dbc.Card(
        dbc.CardBody([
            dcc.Graph(id=graph_id, figure=figure, config=config, className="chart-graph"),
            html.P(summary, id=summary_id, className="chart-summary mb-0"),
        ]),
        className=f"chart-card mb-4 {className}".strip(),
    )


def chart_card_of(chart: Chart, territory: str, day: dt.date | None = None,
                  className: str = "") -> dbc.Card:
    """The card of a view's `Chart`: its figure, its summary, and its export config
    (PNG named after the chart, `territory` and `day`)."""
    return chart_card(chart.graph_id, chart.figure, chart.config(territory, day), chart.summary,
                      className=className)
