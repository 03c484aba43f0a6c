"""The tables the app serves, loaded and checked once per process.

With gunicorn `--preload` the master loads them before forking, so workers
share them. Lookups are by code (INSEE, SIREN), never by name.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import config
from .build import COMMUNES_FILE, GEO_COMMUNES_FILE, GEO_DIR, GEO_EPCI_FILE
from .schema import TableError, commune_contract, read_table
from .sources import RAW_FILES


def epci_reference(raw_dir: Path | None = None) -> frozenset[str] | None:
    """SIREN of the 2026 EPCI, from the raw reference file when it is there."""
    path = (raw_dir or config.raw_dir()) / RAW_FILES["epci"]
    if not path.is_file():
        return None
    return frozenset(pd.read_csv(path, dtype=str, usecols=["epci_siren"])["epci_siren"])


def load_communes(path: Path, raw_dir: Path | None = None) -> pd.DataFrame:
    """Read and validate a commune table; raise TableError with French lines."""
    df, problems = read_table(path, commune_contract(epci_reference(raw_dir)))
    if problems:
        raise TableError(path, problems)
    return df


@lru_cache(maxsize=1)
def communes() -> pd.DataFrame:
    """The commune indicator table of the app (validated once per process)."""
    return load_communes(config.data_dir() / COMMUNES_FILE)


@lru_cache(maxsize=2)
def geojson(layer: str) -> dict:
    """The simplified map layer `epci` or `communes` as a GeoJSON dict."""
    path = geojson_path(layer)
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise TableError(path, [f"couche cartographique illisible ({exc})"]) from None


GEO_LAYERS = {"epci": GEO_EPCI_FILE, "communes": GEO_COMMUNES_FILE}


def geojson_path(layer: str) -> Path:
    return config.data_dir() / GEO_DIR / GEO_LAYERS[layer]


@lru_cache(maxsize=2)
def geojson_bytes(layer: str) -> tuple[bytes, str]:
    """The layer file as served over HTTP, and a short content hash (its version)."""
    path = geojson_path(layer)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TableError(path, [f"couche cartographique illisible ({exc})"]) from None
    return data, hashlib.sha256(data).hexdigest()[:12]


def clear() -> None:
    """Forget loaded tables (tests, or after replacing the files)."""
    communes.cache_clear()
    geojson.cache_clear()
    geojson_bytes.cache_clear()
