"""Scrollable regions that keyboard users can scroll too."""

from __future__ import annotations

from dash import html
from dash.development.base_component import Component


def scroll_region(child: Component, label: str, className: str = "") -> html.Div:
    """A horizontally scrollable wrapper (Bootstrap's `.table-responsive`) that takes
    the keyboard focus, so a wide table can be scrolled with the arrow keys on a
    phone; `label` names the region for screen readers."""
    return html.Div(child, className=f"table-responsive {className}".strip(), tabIndex="0",
                    role="region", **{"aria-label": label})
