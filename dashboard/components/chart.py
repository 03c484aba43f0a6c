"""A chart card: the figure (title and source inside it) and a one-sentence
text summary under it, for screen readers and for people who read."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html


def chart_card(graph_id: str | dict, figure: go.Figure | dict, config: dict, summary: str,
               summary_id: str | dict | None = None, className: str = "") -> dbc.Card:
    """Graph + summary. The summary also labels the graph for assistive technology."""
    if summary_id is None:
        summary_id = (f"{graph_id}-resume" if isinstance(graph_id, str)
                      else {**graph_id, "part": "resume"})
    return dbc.Card(
        dbc.CardBody([
            dcc.Graph(id=graph_id, figure=figure, config=config, className="chart-graph"),
            html.P(summary, id=summary_id, className="chart-summary mb-0"),
        ]),
        className=f"chart-card mb-4 {className}".strip(),
    )
