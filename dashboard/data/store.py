"""The tables the app serves, loaded and checked once per process.

With gunicorn `--preload` the master loads them before forking, so workers
share them. Lookups are by code (INSEE, SIREN), never by name.

Every file is read from one version of the data folder (`tables_dir`, the
folder the pointer `data/current` names, resolved once per process), so a
build switching versions meanwhile never gives a process a mixed set.
`load_all` reads and checks everything the app serves (table and both map
layers) at start-up.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import config
from . import geo
from .atomic import PointerError
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


def mapped_scope(table: pd.DataFrame, layer_data: dict, layer: str) -> pd.DataFrame:
    """The rows of `table` a map layer must draw: those of the regions it covers.

    The layers are built for the region (`data/raw/geo_*_aura.geojson`); a table of
    all France (`build --region all`) is served with them, and its other regions have
    no map. A region is covered when the layer draws at least half of its communes (or
    of its communes' EPCI: an EPCI crossing the border does not bring in its other
    region); a layer that covers no region covers all the table, so that every missing
    feature is reported.
    """
    try:
        ids = set(geo.feature_ids(layer_data)) if layer == "communes" else {
            f.get("id") for f in layer_data.get("features", []) if isinstance(f, dict)}
    except (AttributeError, TypeError):
        return table  # malformed layer: the structure check reports it
    key = "code_insee" if layer == "communes" else "epci_siren"
    drawn = table[key].isin(ids).groupby(table["region"]).mean()
    covered = set(drawn.index[drawn >= 0.5])  # not the few communes of a cross-border EPCI
    if not covered:
        return table
    return table[table["region"].isin(covered)]


@lru_cache(maxsize=1)
def tables_dir() -> Path:
    """The folder of the served version (resolved once per process)."""
    try:
        return config.tables_dir()
    except PointerError as err:
        raise TableError(err.path, [err.message]) from None


def table_path(name: str) -> Path:
    """Path of one served file (e.g. `communes.parquet`, `geo/epci.geojson`)."""
    return tables_dir() / name


@lru_cache(maxsize=1)
def communes() -> pd.DataFrame:
    """The commune indicator table of the app (validated once per process)."""
    return load_communes(table_path(COMMUNES_FILE))


@lru_cache(maxsize=2)
def geojson(layer: str) -> dict:
    """The simplified map layer `epci` or `communes` as a GeoJSON dict, checked:
    a FeatureCollection whose features all have an id and a geometry, drawing
    every EPCI / commune of the commune table."""
    path = geojson_path(layer)
    data, _ = geojson_bytes(layer)
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise TableError(path, [f"couche cartographique illisible ({exc})"]) from None
    table = mapped_scope(communes(), parsed, layer)
    if layer == "epci":
        problems = geo.check_epci_layer(parsed, set(table["epci_siren"].dropna()))
    else:
        problems = geo.check_commune_layer(parsed, set(table["code_insee"]))
    if problems:
        raise TableError(path, ["couche cartographique invalide", *problems])
    return parsed


GEO_LAYERS = {"epci": GEO_EPCI_FILE, "communes": GEO_COMMUNES_FILE}


def geojson_path(layer: str) -> Path:
    return table_path(f"{GEO_DIR}/{GEO_LAYERS[layer]}")


@lru_cache(maxsize=2)
def geojson_bytes(layer: str) -> tuple[bytes, str]:
    """The layer file as served over HTTP, and a short content hash (its version)."""
    path = geojson_path(layer)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TableError(path, [f"couche cartographique illisible ({exc})"]) from None
    return data, hashlib.sha256(data).hexdigest()[:12]


def load_all() -> None:
    """Read and check every file the app serves; raise TableError (French) on the first
    one that is missing or invalid."""
    communes()
    for layer in GEO_LAYERS:
        geojson(layer)


def clear() -> None:
    """Forget loaded tables (tests, or after replacing the files)."""
    tables_dir.cache_clear()
    communes.cache_clear()
    geojson.cache_clear()
    geojson_bytes.cache_clear()
