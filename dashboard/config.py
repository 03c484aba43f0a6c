"""Settings read from the environment, with safe defaults (debug off)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent

TITLE = "Logement social et revitalisation — AURA-HLM"
"""The dashboard's name: title of the home page, suffix of the others."""


def env_flag(name: str, default: bool = False) -> bool:
    """A boolean environment variable: 1/true/yes/oui/on are true, anything else false."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "oui", "on"}


def data_dir() -> Path:
    """Where the app's tables live (`AURA_DATA_DIR`, default `data/`)."""
    return Path(os.environ.get("AURA_DATA_DIR", ROOT / "data"))


def tables_dir() -> Path:
    """The folder of the served tables: the version `data_dir()/current` points to
    (`data_dir()/tables/<version>/`), or `data_dir()` itself when it has no pointer.

    Raises `dashboard.data.atomic.PointerError` (French message) on a broken pointer.
    """
    from .data.atomic import served_dir

    return served_dir(data_dir())


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


PLOTLY_BUNDLE_ENV = "AURA_PLOTLY_BUNDLE"
PLOTLY_BUNDLES = ("partial", "full")
"""`partial` (default): dashboard/vendor/plotly-aura.min.js, plotly.js with only the
trace types of the figures; `full`: the full plotly.min.js of the Python plotly
package (to compare first loads in the benchmark)."""


def plotly_bundle() -> str:
    """Which plotly.js the pages load (`AURA_PLOTLY_BUNDLE`): "partial" or "full".

    Raises ValueError with a French message for any other value.
    """
    raw = os.environ.get(PLOTLY_BUNDLE_ENV, "")
    value = raw.strip().lower() or PLOTLY_BUNDLES[0]
    if value not in PLOTLY_BUNDLES:
        raise ValueError(
            f"{PLOTLY_BUNDLE_ENV}={raw!r} n'est pas une valeur reconnue : utilisez "
            "« partial » (plotly.js réduit aux graphiques du tableau de bord, par défaut) "
            "ou « full » (plotly.js complet).")
    return value


# --- background jobs (dashboard.jobs) --------------------------------------------------------

REDIS_SCHEMES = ("redis", "rediss")


class ConfigError(ValueError):
    """A setting from the environment is invalid (message in French)."""


def jobs_dir() -> Path:
    """Where the embedded job queue keeps its store and each job's temporary files
    (`AURA_JOBS_DIR`, default `aura-hlm-jobs` in the system's temporary directory)."""
    value = os.environ.get("AURA_JOBS_DIR", "").strip()
    return Path(value) if value else Path(tempfile.gettempdir()) / "aura-hlm-jobs"


def redis_url() -> str | None:
    """`AURA_REDIS_URL` (e.g. `redis://127.0.0.1:6379/0`): when set, exports run on
    Celery workers with Redis as broker and result store; unset or empty: the
    embedded queue. Raises `ConfigError` (French) for a value that is not a Redis URL."""
    value = os.environ.get("AURA_REDIS_URL", "").strip()
    if not value:
        return None
    problem = None
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        parts, port, problem = None, None, "le port n'est pas un nombre valide"
    if problem is None and parts is not None:
        if parts.scheme not in REDIS_SCHEMES:
            problem = "l'adresse doit commencer par redis:// ou rediss://"
        elif not parts.hostname:
            problem = "le nom du serveur Redis manque"
        elif parts.path not in ("", "/") and not parts.path.strip("/").isdigit():
            problem = "le numéro de base après « / » doit être un entier"
        elif port == 0:
            problem = "le port 0 n'est pas valide"
    if problem:
        raise ConfigError(
            f"AURA_REDIS_URL est invalide : {problem}. Exemple : "
            "AURA_REDIS_URL=redis://127.0.0.1:6379/0 ; laissez la variable vide pour "
            "utiliser la file d'attente intégrée.")
    return value
