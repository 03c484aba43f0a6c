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
