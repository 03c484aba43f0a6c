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
