"""`Chart`: the one type for a chart a view hands to a page or an export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import plotly.graph_objects as go

from ..figures.common import EXPORT_HEIGHT, graph_config


@dataclass(frozen=True)
class Chart:
    """One chart: its key, graph id, file indicator, figure and French summary.

    The figure is kept as a plain dict (`go.Figure.to_dict()` or a dict built by
    `figures.plain`): about half the memory of a `go.Figure`, ready for
    `dcc.Graph`, and shared by every cached page that shows it. Do not change it:
    `go_figure()` gives a copy.
    """

    key: str
    graph_id: str | dict
    indicator: str  # names the PNG file: "taux-logements-sociaux_<territoire>_<date>.png"
    figure: dict
    summary: str

    def go_figure(self) -> go.Figure:
        """A `go.Figure` copy of the chart (for an export, or to change it)."""
        return go.Figure(self.figure)

    @property
    def height(self) -> int:
        return int(self.figure.get("layout", {}).get("height") or EXPORT_HEIGHT)

    def config(self, territory: str, day: dt.date | None = None) -> dict:
        """`dcc.Graph` config: French locale, PNG named after the chart and the territory;
        a tall chart exports at its own height, not squeezed to 16:9."""
        config = graph_config(self.indicator, territory, day)
        if self.height > EXPORT_HEIGHT:
            config["toImageButtonOptions"]["height"] = self.height
        return config
