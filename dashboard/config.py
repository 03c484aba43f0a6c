"""Settings read from the environment, with safe defaults (debug off)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    """A boolean environment variable: 1/true/yes/oui/on are true, anything else false."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "oui", "on"}


def data_dir() -> Path:
    """Where the app's tables live (`AURA_DATA_DIR`, default `data/`)."""
    return Path(os.environ.get("AURA_DATA_DIR", ROOT / "data"))


def raw_dir() -> Path:
    return Path(os.environ.get("AURA_RAW_DIR", data_dir() / "raw"))


DEV_FLAGS = ("AURA_DEV", "AURA_DEBUG")
"""Explicit development flags (either one). Dash's and Flask's own variables
(DASH_DEBUG, DASH_UI, FLASK_DEBUG, ...) never switch the dashboard to development."""


def dev_mode() -> bool:
    """True only when AURA_DEV=1 or AURA_DEBUG=1: debug, dev tools, tracebacks in the browser."""
    return any(env_flag(name) for name in DEV_FLAGS)


# --- timeouts of the request path (seconds) ----------------------------------------------
# One home: dashboard/export/png.py, deploy/gunicorn.conf.py and deploy/render.py (nginx)
# all read these, and tests/deploy/test_timeouts.py checks they keep this order, so that
# a hung Chromium ends in the app's French export error, never in a proxy or worker error.

RENDER_TIMEOUT = 60
"""How long the kaleido renderer waits for one figure before giving up (the app then
answers its French export error)."""

WORKER_TIMEOUT = RENDER_TIMEOUT + 30
"""gunicorn's worker timeout: longer than the renderer's, so a worker blocked on a hung
Chromium is never killed before the renderer gives up. (With gthread workers it only
bounds a stuck main loop; a request thread may run longer.)"""

PROXY_READ_TIMEOUT = WORKER_TIMEOUT + 30
"""nginx's proxy_read_timeout: the longest silence nginx accepts from gunicorn, at
least the worker timeout, so an export still rendering is not cut by the proxy."""

GRACEFUL_TIMEOUT = 30
"""Time gunicorn gives a worker to finish its requests on restart or stop."""

KEEPALIVE_TIMEOUT = 5
"""gunicorn's keep-alive between nginx and the workers; nginx closes its idle upstream
connections sooner (UPSTREAM_KEEPALIVE_TIMEOUT) so it never reuses one gunicorn is closing."""

UPSTREAM_KEEPALIVE_TIMEOUT = KEEPALIVE_TIMEOUT - 1
