"""What a page's first load asks for besides Dash's own scripts: dcc's lazily loaded
chunks for charts and pickers are preloaded with the other scripts."""

from __future__ import annotations

import re

import pytest
from dash import dcc


def _preloads(html: str) -> list[str]:
    return re.findall(r'<link rel="preload" as="script" href="([^"]*)">', html)


@pytest.mark.parametrize("path", ["/territoire?epci=200068674", "/"])
def test_the_chart_and_picker_chunks_are_preloaded(client, path):
    html = client.get(path).get_data(as_text=True)
    assert _preloads(html) == ["/_dash-component-suites/dash/dcc/async-graph.js",
                               "/_dash-component-suites/dash/dcc/async-dropdown.js"]
    # in <head>, so that they are fetched alongside plotly.js
    assert html.index("async-graph.js") < html.index("</head>")


def test_preloaded_chunks_are_the_ones_dcc_loads_and_are_served(client):
    from dashboard.app_factory import PRELOADED_CHUNKS

    lazy = {r["relative_package_path"] for r in dcc._js_dist if r.get("async") is True}
    for chunk in PRELOADED_CHUNKS:
        assert chunk.removeprefix("dash/") in lazy, chunk  # a Dash upgrade renamed it?
        resp = client.get("/_dash-component-suites/" + chunk)
        assert resp.status_code == 200 and resp.mimetype.endswith("javascript")
