"""HTTP security headers for a public-facing dashboard.

A Content-Security-Policy that allows only the app's own origin. Dash needs
two inline scripts (its renderer start-up and the clientside-callback
functions): they are allowed by their SHA-256 hashes (`app.csp_hashes()`),
computed once the first request has registered every callback, not by
'unsafe-inline'. Styles need 'unsafe-inline' (plotly.js and AG Grid inject
<style> elements). `frame-ancestors` comes from AURA_FRAME_ANCESTORS so the
association can embed the dashboard in its own site.

flask-talisman was considered: its policy is fixed when the app starts,
while Dash's inline-script hashes are only known after the first request,
and its HTTPS redirection belongs to the reverse proxy here. A small
after-request hook does exactly what is needed.
"""

from __future__ import annotations

import os
import re

import dash
import flask

FRAME_ANCESTORS_ENV = "AURA_FRAME_ANCESTORS"
# Hosts as written in CSP: 'self', 'none', https://example.org, https://*.example.org
_SOURCE_RE = re.compile(r"^(?:'self'|'none'|https?://(?:\*\.)?[A-Za-z0-9.-]+(?::\d+)?)$")


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


def install(app: dash.Dash) -> None:
    """Add the security headers to every response of `app`'s server."""
    state: dict[str, str] = {}

    @app.server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        if "csp" not in state:
            # Dash registers the pages router (and its clientside callback) on
            # the first request, before this hook runs.
            state["csp"] = content_security_policy(app.csp_hashes())
        response.headers["Content-Security-Policy"] = state["csp"]
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        return response
