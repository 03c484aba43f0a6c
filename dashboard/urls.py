"""Addresses the pages link to, without importing the app (pages never import
`app_factory`): map layers and the method page's downloads. The routes that serve
them are registered once, at app creation, by `dashboard.routes`."""

from __future__ import annotations

import dash

from .data import store

GEO_PATH = "geo/"
"""Prefix of the map layers (`/geo/<layer>.geojson`)."""
DOWNLOAD_ROUTE = "telechargements"
"""Prefix of the method page's fill-in templates (`/telechargements/<nom>`)."""


def geo_url(layer: str) -> str:
    """Address of a map layer, stamped with its content hash (cached for a year)."""
    _, version = store.geojson_bytes(layer)
    return dash.get_relative_path(f"/{GEO_PATH}{layer}.geojson?v={version}")


def download_href(name: str) -> str:
    """Address of one of the method page's downloads (`dashboard.data.provenance.DOWNLOADS`)."""
    return dash.get_relative_path(f"/{DOWNLOAD_ROUTE}/{name}")
