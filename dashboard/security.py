"""HTTP hardening of a public-facing dashboard: headers, production mode, hostile requests.

Headers. A Content-Security-Policy that allows only the app's own origin. Dash
needs two inline scripts (its renderer start-up and the clientside-callback
functions): they are allowed by their SHA-256 hashes (`app.csp_hashes()`),
computed once the first request has registered every callback, not by
'unsafe-inline'. Styles need 'unsafe-inline' (plotly.js and AG Grid inject
<style> elements). `frame-ancestors` comes from AURA_FRAME_ANCESTORS so the
association can embed the dashboard in its own site. Files under /assets/
requested with Dash's `?m=<mtime>` stamp are cached for a year.

flask-talisman was considered: its policy is fixed when the app starts,
while Dash's inline-script hashes are only known after the first request,
and its HTTPS redirection belongs to the reverse proxy here. A small
after-request hook does exactly what is needed.

Production mode (unless `config.dev_mode()`): Dash's dev tools, Flask's debug
mode and exception propagation are off whatever DASH_* / FLASK_DEBUG say.

Hostile requests. A body larger than MAX_REQUEST_BYTES is a 413. A callback
request (`/_dash-update-component`) must be JSON (else 415), parse, nest at
most MAX_JSON_DEPTH levels and name a server callback of the app with exactly
its inputs, state and outputs (`dispatch_problem`), else 400, before Dash
sees it. Every error answers a short French plain-text sentence (never a
traceback or an exception name); an exception is logged on the server.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from typing import Any

import dash
import flask
from dash import dcc
from dash.development.base_component import Component
from dash.exceptions import (
    DependencyException,
    InvalidResourceError,
    UnsupportedRelativePath,
)
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    NotFound,
    UnsupportedMediaType,
)

from . import config

FRAME_ANCESTORS_ENV = "AURA_FRAME_ANCESTORS"
# Hosts as written in CSP: 'self', 'none', https://example.org, https://*.example.org
_SOURCE_RE = re.compile(r"^(?:'self'|'none'|https?://(?:\*\.)?[A-Za-z0-9.-]+(?::\d+)?)$")

MAX_REQUEST_BYTES = 4 * 1024 * 1024
"""Largest request body. The biggest legitimate one is the Excel export of the
hors-programme list at the lowest threshold: the browser sends the grid's
2 098 rows back (~1.5 MB of JSON)."""
MAX_JSON_DEPTH = 32
"""Deepest nesting of a callback request (real ones nest at most ~6 levels)."""
ONE_YEAR = 365 * 24 * 3600

ERROR_MESSAGES = {
    400: "Requête invalide : le tableau de bord ne peut pas la traiter.",
    403: "Accès refusé.",
    404: "Page ou fichier introuvable.",
    405: "Méthode non autorisée pour cette adresse.",
    413: "Requête trop volumineuse.",
    415: "Type de contenu non pris en charge : la requête doit être envoyée en JSON.",
    500: "Erreur interne du tableau de bord. L'incident est enregistré ; rechargez la page "
         "ou revenez à l'accueil.",
}
DEFAULT_ERROR = "La requête n'a pas pu être traitée."

logger = logging.getLogger(__name__)


# --- headers -----------------------------------------------------------------------------

def frame_ancestors() -> str:
    """Allowed embedders from the environment ("'self'" by default); invalid
    entries are dropped so a typo cannot open the policy."""
    raw = os.environ.get(FRAME_ANCESTORS_ENV, "'self'")
    sources = [s for s in raw.replace(",", " ").split() if _SOURCE_RE.match(s)]
    return " ".join(sources) or "'self'"


def content_security_policy(script_hashes: list[str]) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "worker-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors(),
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def security_headers(script_hashes: list[str]) -> dict[str, str]:
    """The headers every answer carries (the app's, and the error pages nginx and
    gunicorn produce themselves: deploy/errors.py, with no script hash)."""
    return {
        "Content-Security-Policy": content_security_policy(script_hashes),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }


def _install_headers(app: dash.Dash) -> None:
    state: dict[str, dict[str, str]] = {}
    assets_prefix = (f"{app.config.routes_pathname_prefix}"
                     f"{app.config.assets_url_path.strip('/')}/")

    @app.server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        if "headers" not in state:
            # Dash registers the pages router (and its clientside callback) on
            # the first request, before this hook runs.
            state["headers"] = security_headers(app.csp_hashes())
        response.headers.update(state["headers"])
        path = flask.request.path
        if response.status_code == 200 and (
                (path.startswith(assets_prefix) and flask.request.args.get("m"))
                or (path.endswith(PLOTLY_JS) and flask.request.args.get("v"))):
            # Dash stamps asset URLs with the file's mtime, and the app asks for
            # plotly.js with its version: a changed file has a new URL.
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.no_cache = None
        return response


# --- production mode ---------------------------------------------------------------------

def dev_tools_options(dev: bool) -> dict[str, bool]:
    """Arguments of `Dash.run` / `Dash.enable_dev_tools` that decide every dev tool
    explicitly (Dash would otherwise read DASH_DEBUG, DASH_UI, DASH_PROPS_CHECK...)."""
    return {
        "debug": dev,
        "dev_tools_ui": dev,
        "dev_tools_props_check": dev,
        "dev_tools_serve_dev_bundles": dev,
        "dev_tools_hot_reload": dev,
        "dev_tools_prune_errors": True,
        "dev_tools_validate_callbacks": dev,
        "dev_tools_silence_routes_logging": False,
        # The version check asks plot.ly: nothing leaves the machine.
        "dev_tools_disable_version_check": True,
    }


def production_mode(app: dash.Dash) -> None:
    """Dev tools, debug and exception propagation off (whatever the environment says)."""
    # With debug=False this only records the settings: no error handler showing
    # tracebacks, no reload thread, no timing headers.
    app.enable_dev_tools(**dev_tools_options(False))
    server = app.server
    server.debug = False  # FLASK_DEBUG=1 set it when the Flask app was created
    server.config["PROPAGATE_EXCEPTIONS"] = False
    server.config["TRAP_HTTP_EXCEPTIONS"] = False
    server.config["TRAP_BAD_REQUEST_ERRORS"] = False


# --- errors ------------------------------------------------------------------------------

def error_response(status: int) -> flask.Response:
    """A short French plain-text answer for an HTTP error status."""
    text = ERROR_MESSAGES.get(status, DEFAULT_ERROR)
    return flask.Response(text + "\n", status=status, mimetype="text/plain")


def _install_error_handlers(app: dash.Dash) -> None:
    server = app.server

    @server.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        # Also receives the 500 Flask makes of an unhandled exception, after it
        # has logged the traceback (server side only).
        if err.code is None or err.code < 400:
            return err
        response = error_response(err.code)
        if err.code == 405 and getattr(err, "valid_methods", None):
            response.headers["Allow"] = ", ".join(err.valid_methods)
        return response

    # Dash answers an unknown component library with its own message, which
    # repeats the requested name; an unknown file of a known library raises.
    @server.errorhandler(InvalidResourceError)
    @server.errorhandler(DependencyException)
    def _unknown_resource(_err: Exception):
        return error_response(404)

    # Dash's page router refuses a pathname outside the app's prefix (sent by
    # hand: the browser's dcc.Location always has one).
    @server.errorhandler(UnsupportedRelativePath)
    def _foreign_path(_err: Exception):
        return error_response(400)


# --- callback requests -------------------------------------------------------------------

def json_depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value (iterative: no recursion limit)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            deepest = max(deepest, depth - 1)
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _pairs(items: object) -> list[tuple[str, str]] | None:
    """[(id, property)] of a list of {"id", "property", ...} dicts, None if malformed."""
    if not isinstance(items, list):
        return None
    pairs = []
    for item in items:
        if not isinstance(item, dict):
            return None
        cid, prop = item.get("id"), item.get("property")
        if not isinstance(cid, str) or not isinstance(prop, str):
            return None
        pairs.append((cid, prop))
    return pairs


def _clean(prop: str) -> str:
    return prop.split("@", 1)[0]  # "href@<hash>" for allow_duplicate outputs


def _pattern_matching(spec: Mapping) -> bool:
    deps = [*spec.get("inputs", []), *spec.get("state", [])]
    outputs = spec.get("output")
    outputs = outputs if isinstance(outputs, list) else [outputs]
    return (any(isinstance(d.get("id"), dict) for d in deps)
            or any(isinstance(getattr(o, "component_id", None), dict) for o in outputs))


def dispatch_problem(body: object, callback_map: Mapping[str, Mapping],
                     string_props: frozenset[tuple[str, str]] = frozenset()) -> str | None:
    """Why a parsed callback request does not match a server callback of the app
    (None when it does). Values are left to the callbacks, except those of
    `string_props` ((id, property) that are always a string or null, such as a
    dcc.Location's `search`, which Dash's own page router reads)."""
    if not isinstance(body, dict):
        return "body is not an object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return "unknown output"
    spec = callback_map[output]
    if "callback" not in spec:
        return "clientside callback"
    if json_depth(body) > MAX_JSON_DEPTH:
        return "too deep"
    if _pattern_matching(spec):
        return None  # wildcard ids (lists of matches): Dash checks them
    inputs, state = _pairs(body.get("inputs")), _pairs(body.get("state", []))
    outputs = body.get("outputs")
    expected_out = spec["output"]
    multi = isinstance(expected_out, list)
    got_out = _pairs(outputs if multi else [outputs])
    if inputs is None or state is None or got_out is None:
        return "malformed inputs, state or outputs"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "malformed changedPropIds"
    if inputs != [(d["id"], d["property"]) for d in spec["inputs"]]:
        return "inputs do not match"
    if state != [(d["id"], d["property"]) for d in spec["state"]]:
        return "state does not match"
    wanted = [(o.component_id, o.component_property)
              for o in (expected_out if multi else [expected_out])]
    if [(cid, _clean(prop)) for cid, prop in got_out] != wanted:
        return "outputs do not match"
    triggers = {f"{cid}.{prop}" for cid, prop in inputs}
    if len(changed) > len(triggers) or not set(changed) <= triggers:
        return "unknown changedPropIds"
    for dep in [*body["inputs"], *body.get("state", [])]:
        value = dep.get("value")
        if (dep["id"], dep["property"]) in string_props and not isinstance(value, str | None):
            return "not a string"
    return None


LOCATION_PROPS = ("pathname", "search", "hash", "href")


def location_props(layout: object) -> frozenset[tuple[str, str]]:
    """(id, property) of the string properties of every dcc.Location in `layout`."""
    if not isinstance(layout, Component):
        return frozenset()
    found = set()
    for component in [layout, *layout._traverse()]:
        if isinstance(component, dcc.Location) and isinstance(
                getattr(component, "id", None), str):
            found.update((component.id, prop) for prop in LOCATION_PROPS)
    return frozenset(found)


def _install_dispatch_check(app: dash.Dash) -> None:
    server = app.server
    prefix = app.config.routes_pathname_prefix
    dispatch_path = f"{prefix}_dash-update-component"
    reload_path = f"{prefix}_reload-hash"
    strings: list[frozenset[tuple[str, str]]] = []

    @server.before_request
    def _check_request() -> None:
        request = flask.request
        if request.path == reload_path and not app._dev_tools.hot_reload:
            raise NotFound()  # lists the component packages; only hot reload needs it
        if request.path != dispatch_path or request.method != "POST":
            return
        if not request.is_json:
            raise UnsupportedMediaType()
        try:
            # Parsed once: Dash's get_json() reuses the cached result. A body over
            # MAX_CONTENT_LENGTH raises 413 here.
            body = request.get_json()
        except RecursionError:
            raise BadRequest() from None
        if not strings:  # the shell's layout is set by now
            strings.append(location_props(app.layout))
        problem = dispatch_problem(body, app.callback_map, strings[0])
        if problem:
            logger.info("Refused callback request (%s)", problem)
            raise BadRequest()


# --- all together ------------------------------------------------------------------------

PLOTLY_JS = "/_dash-component-suites/plotly/package_data/plotly.min.js"


def install(app: dash.Dash, dev: bool | None = None) -> None:
    """Headers, request limits, French error answers and, unless `dev`
    (default: `config.dev_mode()`), production mode."""
    if dev is None:
        dev = config.dev_mode()
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    if not dev:
        production_mode(app)
    _install_error_handlers(app)
    _install_dispatch_check(app)
    _install_headers(app)


def public_config(dash_config: dict) -> dict:
    """Dash's front-end config without the server's exact Python build."""
    dash_config.pop("python_version", None)
    return dash_config

