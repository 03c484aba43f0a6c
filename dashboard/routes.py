"""Every Flask route the dashboard adds besides Dash's own, registered in one place
at app creation (`register(app)`, called by `app_factory.create_app`), never as a
side effect of importing a page:

- `vendor/`: Bootstrap from the installed xstatic-bootstrap package, the partial
  plotly.js, the lazy AG Grid stand-in, the regenerator runtime and the ZIP
  writer (fflate) of dashboard/vendor/;
- `geo/<layer>.geojson`: the EPCI map layer, fetched once by the browser;
- `telechargements/<nom>`: the method page's fill-in templates (a fixed list);
- `territoire/diapositives`: the 16:9 slides of one profile chart, for the camera
  (`export.slide_route`).

The addresses pages link to are built by `dashboard.urls`.
"""

from __future__ import annotations

from pathlib import Path

import dash
import flask
from werkzeug.exceptions import NotFound

from . import urls, vendor
from .data import provenance, store
from .export import slide_route

VENDOR_PATH = "vendor/bootstrap/"
VENDOR_SUFFIXES = {".css", ".js", ".map"}
ONE_YEAR = 365 * 24 * 3600
PLOTLY_BUNDLE_PATH = f"/vendor/plotly/{vendor.BUNDLE.name}"
LAZY_GRID_PATH = f"/vendor/aura/{vendor.LAZY_GRID.name}"
REGENERATOR_PATH = f"/vendor/aura/{vendor.REGENERATOR.name}"
ZIP_SCRIPT_PATH = f"/vendor/aura/{vendor.FFLATE.name}"
AURA_SCRIPTS = {LAZY_GRID_PATH: vendor.LAZY_GRID, REGENERATOR_PATH: vendor.REGENERATOR,
                ZIP_SCRIPT_PATH: vendor.FFLATE}
"""The small scripts of dashboard/vendor/ the pages load, by address."""
DOWNLOAD_ENDPOINT = "methode_telechargement"


def bootstrap_dir() -> Path:
    """Folder of the installed Bootstrap files (xstatic-bootstrap)."""
    from xstatic.pkg import bootstrap

    return Path(bootstrap.BASE_DIR)


def bootstrap_version() -> str:
    """Version of the installed Bootstrap (stamps its stylesheet's address)."""
    from xstatic.pkg import bootstrap

    return bootstrap.VERSION


def versioned(response: flask.Response, version: str, etag: str | None = None
              ) -> flask.Response:
    """Cache a file served at a versioned URL (`?v=<version>`) for a year; any other
    URL is revalidated. Answers 304 to a matching conditional request."""
    response.set_etag(etag or version)
    if flask.request.args.get("v") == version:
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response.make_conditional(flask.request)


def _plotly_bundle_response() -> flask.Response:
    """The partial plotly.js, sent pre-compressed (Brotli from the build, else gzip)."""
    accepted = flask.request.accept_encodings
    encoding = next((e for e in ("br", "gzip") if accepted[e]), "identity")
    response = flask.Response(vendor.bundle_bytes(encoding), mimetype="text/javascript")
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding  # flask-compress leaves it alone
    response.vary.add("Accept-Encoding")
    return versioned(response, vendor.version(), f"{vendor.version()}-{encoding}")


def _add_vendor_route(app: dash.Dash) -> None:
    """Serve Bootstrap's CSS/JS from the installed xstatic-bootstrap package, and
    the partial plotly.js of dashboard/vendor/.

    Everything under vendor/ that is not one of those files is a 404 (rather
    than Dash's catch-all page route).
    """
    base = bootstrap_dir()
    rule = f"{app.config.routes_pathname_prefix}vendor/<path:rest>"

    def vendor_file(rest: str) -> flask.Response:
        if f"/vendor/{rest}" == PLOTLY_BUNDLE_PATH:
            return _plotly_bundle_response()
        if f"/vendor/{rest}" in AURA_SCRIPTS:
            response = flask.send_file(AURA_SCRIPTS[f"/vendor/{rest}"],
                                       mimetype="text/javascript", max_age=ONE_YEAR)
            response.cache_control.immutable = True
            return response
        package, _, filename = rest.partition("/")
        if package != "bootstrap" or Path(filename).suffix not in VENDOR_SUFFIXES:
            raise NotFound()
        # send_from_directory refuses absolute paths and paths leaving `base` (404).
        response = flask.send_from_directory(base, filename, max_age=ONE_YEAR)
        response.cache_control.immutable = True
        return response

    app.server.add_url_rule(rule, endpoint="vendor_file", view_func=vendor_file)


def _add_geo_route(app: dash.Dash) -> None:
    """Serve the EPCI map layer as a file: the browser fetches it once and keeps
    it in its HTTP cache, instead of receiving it inside every regional view."""
    rule = f"{app.config.routes_pathname_prefix}{urls.GEO_PATH}<layer>.geojson"

    def geo_file(layer: str) -> flask.Response:
        if layer != "epci":
            raise NotFound()
        data, version = store.geojson_bytes(layer)
        response = flask.Response(data, mimetype="application/json")
        return versioned(response, version)

    app.server.add_url_rule(rule, endpoint="geo_file", view_func=geo_file)


def download(name: str) -> flask.Response:
    """Serve one of `provenance.DOWNLOADS` by its exact name; anything else is a 404."""
    path = provenance.download_path(name)
    if path is None:
        raise NotFound()
    _, mimetype = provenance.DOWNLOADS[name]
    return flask.send_file(path, mimetype=mimetype, as_attachment=True, download_name=name,
                           max_age=300)


def _add_download_route(app: dash.Dash) -> None:
    """Serve the method page's fill-in templates (same origin, fixed names)."""
    rule = f"{app.config.routes_pathname_prefix}{urls.DOWNLOAD_ROUTE}/<path:name>"
    app.server.add_url_rule(rule, endpoint=DOWNLOAD_ENDPOINT, view_func=download)


def register(app: dash.Dash) -> None:
    """Add every route above to the app's server (once, at app creation)."""
    _add_vendor_route(app)
    _add_geo_route(app)
    _add_download_route(app)
    slide_route.register(app)
