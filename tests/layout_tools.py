"""Walking a Dash layout in tests (pages' layouts called as plain functions)."""

from __future__ import annotations


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
