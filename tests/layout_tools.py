"""Walking a Dash layout in tests (pages' layouts called as plain functions), and the
one set of text helpers: visible text of a layout (`text`), its serialized JSON
(`serialized`), text read in the browser with no-break spaces made plain (`plain`,
`wait_text`), and the ids callbacks name (`id_key`, `component_ids`)."""

from __future__ import annotations

import json
import re

import plotly.utils

NO_BREAK_SPACES = ("\u202f", "\u00a0")
"""French number and punctuation spaces (narrow and ordinary no-break spaces)."""


def components(node):
    """Every component of a layout tree, depth first."""
    if isinstance(node, list | tuple):
        for child in node:
            yield from components(child)
        return
    if not hasattr(node, "to_plotly_json"):
        return
    yield node
    yield from components(getattr(node, "children", None))


def by_id(layout, component_id):
    """The component of `layout` with this id, or None."""
    return next((c for c in components(layout) if getattr(c, "id", None) == component_id), None)


def with_class(layout, name: str) -> list:
    """The components of `layout` whose className contains `name`."""
    return [c for c in components(layout)
            if name in (getattr(c, "className", None) or "").split()]


def text(node) -> str:
    """Visible text of a component tree: its strings joined by spaces, runs of
    spaces collapsed (no-break spaces kept)."""
    if isinstance(node, str):
        return node
    if isinstance(node, list | tuple):
        return re.sub(r" {2,}", " ", " ".join(text(n) for n in node))
    if hasattr(node, "children"):
        return text(node.children)
    return ""


def serialized(node) -> str:
    """The component tree as the browser receives it (JSON, accents kept): for
    checks on properties as well as text."""
    return json.dumps(node.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder,
                      ensure_ascii=False)


def plain(value: str) -> str:
    """Text with no-break spaces as plain spaces (text read in the browser, or
    figure text compared with a typed sentence)."""
    for space in NO_BREAK_SPACES:
        value = value.replace(space, " ")
    return value


def wait_text(dash_duo, selector: str, expected: str, timeout: float = 20) -> None:
    """In a browser test: wait until one element matching `selector` shows `expected`
    (no-break spaces read as plain spaces)."""
    from dash.testing.wait import until

    until(lambda: any(plain(e.text) == expected for e in dash_duo.find_elements(selector)),
          timeout=timeout, msg=f"{selector} != {expected!r}")


def id_key(component_id) -> str | tuple[str, str]:
    """A component id as callbacks name it: the string, or ("type", its type key) for a
    pattern-matching (dict) id, given as a dict or as its JSON text."""
    if isinstance(component_id, str) and component_id.startswith("{"):
        component_id = json.loads(component_id)
    if isinstance(component_id, dict):
        return ("type", str(component_id.get("type")))
    return component_id


def component_ids(layout) -> set:
    """The ids (see `id_key`) of every component of `layout`."""
    return {id_key(c.id) for c in components(layout) if getattr(c, "id", None) is not None}
