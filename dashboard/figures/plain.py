"""A figure built as plain dicts, with the few `go.Figure` methods our builders use.

`go.Figure` validates every property at every update: for the profile's
charts that cost more than building the data (tens of milliseconds per chart),
while the builders only ever set fixed, known-valid properties. A
`PlainFigure` merges updates the way plotly does (nested dicts are merged,
lists replaced) without validating, and `to_dict()` gives what
`go.Figure(...).to_dict()` would: the tests pass every builder's output
through `go.Figure` and check that plotly accepts it unchanged.

Attribute access (`fig.layout.margin.b`, `ann.text = ...`) works as on a
`go.Figure`, so the helpers shared with `go.Figure` builders need no change.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


class Props(dict):
    """A dict whose keys read and write as attributes (None for a missing key)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.get(name)

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


def _props(value: Any) -> Any:
    if isinstance(value, dict) and not isinstance(value, Props):
        return Props({k: _props(v) for k, v in value.items() if v is not None})
    if isinstance(value, list):
        return [_props(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def merge(target: dict, update: dict) -> None:
    """plotly's update: nested dicts merged key by key, None removes, anything else replaced."""
    for key, value in update.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = _props(value)


@lru_cache(maxsize=1)
def default_template() -> dict:
    """The template `go.Figure` puts in every figure (plotly's default), computed once and
    shared by every plain figure: do not change it."""
    import plotly.graph_objects as go

    return go.Figure().to_dict()["layout"].get("template", {})


class PlainFigure:
    """`go.Figure`'s `add_trace`, `update_layout`, `update_xaxes/yaxes/geos`,
    `add_shape`, `add_annotation`, `layout` and `to_dict`, on plain dicts."""

    def __init__(self, data: list[dict] | None = None) -> None:
        self.data: list[dict] = list(data or [])
        self.layout = Props()

    def add_trace(self, trace: dict) -> PlainFigure:
        self.data.append(trace)
        return self

    def update_layout(self, update: dict | None = None, **kwargs: Any) -> PlainFigure:
        merge(self.layout, {**(update or {}), **kwargs})
        return self

    def update_xaxes(self, **kwargs: Any) -> PlainFigure:
        return self.update_layout(xaxis=kwargs)

    def update_yaxes(self, **kwargs: Any) -> PlainFigure:
        return self.update_layout(yaxis=kwargs)

    def update_geos(self, **kwargs: Any) -> PlainFigure:
        return self.update_layout(geo=kwargs)

    def add_shape(self, **kwargs: Any) -> PlainFigure:
        self.layout.setdefault("shapes", []).append(_props(kwargs))
        return self

    def add_annotation(self, **kwargs: Any) -> PlainFigure:
        self.layout.setdefault("annotations", []).append(_props(kwargs))
        return self

    def to_dict(self) -> dict:
        """The figure as `go.Figure.to_dict()` gives it (traces are not copied)."""
        layout = _plain(self.layout)
        layout["template"] = default_template()
        return {"data": list(self.data), "layout": layout}
