"""The tables the app serves, loaded and checked once per process.

With gunicorn `--preload` the master loads them before forking, so workers
share them. Lookups are by code (INSEE, SIREN), never by name.

Every file is read from one version of the data folder (`tables_dir`, the
folder the pointer `data/current` names, resolved once per process), so a
build switching versions meanwhile never gives a process a mixed set.
`load_all` reads and checks everything the app serves (table and both map
layers) at start-up.

This is the one data access point: the commune table (`communes`), the map
layers (`geojson`), the landlord file (`engagements`, `engagements_table`).
Every cache of the data and views layers is made with `memo` (or registered
with `register`), so one `reset()` forgets them all (tests, or after replacing
the files).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, TypeVar

import pandas as pd

from .. import config
from . import geo
from .atomic import PointerError
from .bailleurs.contract import check_engagements, engagements_path, is_demonstration
from .build import COMMUNES_FILE, GEO_COMMUNES_FILE, GEO_DIR, GEO_EPCI_FILE, OUTSIDE_FILE
from .schema import TableError, commune_contract, read_table
from .sources import RAW_FILES

F = TypeVar("F", bound=Callable)
_CLEARERS: list[Callable[[], None]] = []


def register(clear: Callable[[], None]) -> Callable[[], None]:
    """Register a function that forgets a cache; `reset()` calls it."""
    if clear not in _CLEARERS:
        _CLEARERS.append(clear)
    return clear


def memo(maxsize: int | None = 128) -> Callable[[F], F]:
    """`functools.lru_cache` whose cache `reset()` clears. Key it on codes, never frames."""
    def decorate(func: F) -> F:
        cached = lru_cache(maxsize=maxsize)(func)
        register(cached.cache_clear)
        return cached  # type: ignore[return-value]
    return decorate


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


def load_outside(path: Path, like: pd.DataFrame) -> pd.DataFrame:
    """The out-of-region communes of cross-border EPCI (`build.OUTSIDE_FILE`), checked
    with the commune contract; an empty table with the columns of `like` when the file
    is absent (a France-wide table, a hand-made one)."""
    if not path.is_file():
        return like.iloc[0:0]
    return load_communes(path)


@lru_cache(maxsize=1)
def communes_hors_region() -> pd.DataFrame:
    """The out-of-region communes of the region's cross-border EPCI: only EPCI totals
    read them (never the region's, a department's, lists or search)."""
    return load_outside(table_path(OUTSIDE_FILE), communes())


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
    communes_hors_region()
    for layer in GEO_LAYERS:
        geojson(layer)


# --- the landlord engagement file ----------------------------------------------------------

@dataclass(frozen=True)
class Engagements:
    """The landlord table as the app sees it: the frame, or why it is unavailable."""

    frame: pd.DataFrame | None
    demo: bool
    error: str | None = None


class _Loaded(NamedTuple):
    """The outcome of reading the app's landlord file, and which version of it."""

    key: tuple[str, int, int, dt.date]  # path, size, mtime_ns, day of the check
    frame: pd.DataFrame | None
    error: TableError | None
    demo: bool  # `is_demonstration(frame)`: checks every SIREN, so once per version


_loaded: _Loaded | None = None
_lock = threading.Lock()


def _file_key(path: Path) -> tuple[str, int, int, dt.date]:
    """What identifies one version of a file: path, size, modification time (ns), day.

    The day is part of it because a date that was in the future may no longer be.
    """
    try:
        st = path.stat()
        size, mtime = st.st_size, st.st_mtime_ns
    except OSError:
        size, mtime = -1, -1
    return str(path), size, mtime, dt.date.today()


def _load_engagements() -> _Loaded:
    """The landlord file's outcome, read and checked once per version of the file."""
    global _loaded
    path = engagements_path()
    key = _file_key(path)
    with _lock:
        cached = _loaded
        if cached is None or cached.key != key:
            frame, problems, _ = check_engagements(path, communes())
            error = TableError(path, problems) if problems else None
            demo = error is None and is_demonstration(frame)
            cached = _loaded = _Loaded(key, None if error else frame, error, demo)
    return cached


def engagements_table() -> pd.DataFrame:
    """The engagement table of the app: the real file when present, else the demo.

    Validated against the commune table once per version of the file: success
    and failure are both cached on (path, size, mtime_ns, day), so an invalid
    file is not re-read on every request, and a replaced or touched file is.
    Raises TableError (French lines) when invalid. Callers must not modify the
    frame.
    """
    cached = _load_engagements()
    if cached.error is not None:
        raise cached.error
    return cached.frame


ENGAGEMENTS_UNREADABLE = "Le fichier d'engagement des bailleurs n'a pas pu être lu ({reason})."


def engagements() -> Engagements:
    """The app's landlord table; an invalid file gives one French sentence, not a crash."""
    try:
        frame = engagements_table()
    except (TableError, OSError) as err:
        reason = err.problems[0] if isinstance(err, TableError) and err.problems else str(err)
        return Engagements(None, False, ENGAGEMENTS_UNREADABLE.format(reason=reason))
    cached = _loaded
    if cached is not None and cached.frame is frame:
        return Engagements(frame, cached.demo)
    return Engagements(frame, is_demonstration(frame))  # a frame from elsewhere (tests)


def _forget_engagements() -> None:
    global _loaded
    with _lock:
        _loaded = None


def reset() -> None:
    """Forget every loaded table and every registered cache (tests, or after
    replacing the files)."""
    tables_dir.cache_clear()
    communes.cache_clear()
    communes_hors_region.cache_clear()
    geojson.cache_clear()
    geojson_bytes.cache_clear()
    _forget_engagements()
    for clear_cache in list(_CLEARERS):
        clear_cache()


clear = reset  # the former name, used by scripts
