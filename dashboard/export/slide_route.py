"""`territoire/diapositives`: the 16:9 slides of one chart of a profile, as JSON, for the
chart toolbar's camera (assets/presentation.js).

The camera of a profile chart downloads the same slides as the ZIP: the browser
draws each page of `slides.profile_pages` at 960×540, scale 2 (1920×1080 pixels)
with its own plotly.js; a chart too tall for one slide gives its numbered slides
"(1/2)", "(2/2)", in one small ZIP (`archive`: one download, where several PNG
downloads in a row would be blocked by the browser). Nothing is rendered on the
server (no Chromium in a web worker): the route only hands out figure dicts the
profile already memoises.

Query: the profile's own (`epci`, `commune`, `compare`: untrusted, checked by
`views.territoire.check_view`) and `graphique`, the graph id of the chart.
"""

from __future__ import annotations

import datetime as dt
import json

import dash
import flask
import plotly.utils

from ..data import territories
from ..figures.common import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH, export_filename
from ..views import territoire as tv
from . import slides

PATH = "territoire/diapositives"
"""Route of the slides of one chart, under the app's pathname prefix."""
MAX_QUERY = 2000
"""Longest query string looked at (a longer one is refused)."""


def _error(message: str, status: int) -> flask.Response:
    body = json.dumps({"erreur": message}, ensure_ascii=False)
    return flask.Response(body, status=status, mimetype="application/json")


def chart_slides(search: str, graph_id: str, day: dt.date | None = None) -> dict | None:
    """{"pages": [{"filename", "title", "figure"}…], "archive", "width", "height",
    "scale"} of the
    chart `graph_id` of the profile in `search` (a query string); None when the view or
    the chart is unknown."""
    view = tv.view_of_search(search)
    if view.epci is None:
        return None
    others = tuple(c for c in view.compare if c != view.epci)[:tv.MAX_OTHERS]
    pages = [p for p in slides.profile_pages(view.epci, view.commune, others)
             if p.graph_id == graph_id]
    if not pages:
        return None
    name = territories.epci_names()[view.epci]
    indicator = pages[0].indicator.rsplit(f"-1-sur-{pages[0].count}", 1)[0]
    archive = (export_filename(indicator, name, day) + "_diapositives.zip"
               if len(pages) > 1 else None)
    return {"archive": archive, "width": EXPORT_WIDTH, "height": EXPORT_HEIGHT,
            "scale": EXPORT_SCALE,
            "pages": [{"filename": export_filename(p.indicator, name, day) + ".png",
                       "title": p.title, "figure": p.figure} for p in pages]}


def slides_response() -> flask.Response:
    """The JSON of `chart_slides` for this request (404 with a French message)."""
    search = flask.request.query_string.decode("utf-8", "replace")
    graph_id = flask.request.args.get("graphique", "")
    if len(search) > MAX_QUERY or not graph_id:
        return _error("Adresse incomplète : le graphique n'est pas précisé.", 404)
    found = chart_slides(search, graph_id)
    if found is None:
        return _error("Ce graphique n'existe pas pour ce territoire.", 404)
    body = json.dumps(found, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)
    response = flask.Response(body, mimetype="application/json")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def register(app: dash.Dash) -> None:
    """Add the route to the app's server (`routes.register`)."""
    rule = f"{app.config.routes_pathname_prefix}{PATH}"
    app.server.add_url_rule(rule, endpoint="territoire_diapositives", view_func=slides_response)
