"""Per-EPCI slices of the commune table, computed by the build and loaded once.

The first view of an EPCI used to cut its rows, department and region totals,
communes, programme communes, milestones and label points out of the whole
table (tens of milliseconds of pandas per EPCI). The build computes them for
every EPCI with the very functions of `profile` and writes them under
`precomputed/` of the served version, `data/tables/<version>/precomputed/`
(parquet and JSON, no pickle: the data folder may be replaced by a user). The app
reads them once per process (under gunicorn `--preload`, once in the master) and
answers by slicing.

The files carry the SHA-256 of the commune table (and of the commune map layer)
they were computed from. When the table served is another one (a rebuilt table
without its slices, the France-wide table of the benchmark, a test's table),
`tables()` returns None and `profile` computes live, as before: the slices are
an optimisation, never a second source of truth.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config

DIR = "precomputed"
PROFILES_FILE = "profiles.json"
SHARES_FILE = "commune_shares.parquet"
PROGRAMMES_FILE = "programme_communes.parquet"
MILESTONES_FILE = "milestones.parquet"
LABELS_FILE = "labels.parquet"
TIMELINE_FILE = "timeline.parquet"
CENTROIDS_FILE = "centroids.parquet"
FILES = (PROFILES_FILE, SHARES_FILE, PROGRAMMES_FILE, MILESTONES_FILE, LABELS_FILE,
         TIMELINE_FILE, CENTROIDS_FILE)
KEY = "epci_siren"
VERSION = 2  # 2: shares merged with the communes' official facts, KPI contexts


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _plain(value: object) -> object:
    """JSON-ready value: numpy scalars as Python numbers, NaN kept (json writes NaN)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _stack(frames: dict[str, pd.DataFrame], template: pd.DataFrame) -> pd.DataFrame:
    """One frame: each EPCI's slice in its own order, with the EPCI code first."""
    parts = [f.assign(**{KEY: siren}) for siren, f in frames.items() if not f.empty]
    out = pd.concat(parts, ignore_index=True) if parts else template.assign(**{KEY: ""})
    return out[[KEY, *template.columns]]


TEXT_FACTS = ("ancienne_commune", "pvd_jalon_ort")
"""Text columns of `commune_facts` that may hold no value at all for an EPCI."""


def shares_with_facts(shares: pd.DataFrame, rows: pd.DataFrame, siren: str) -> pd.DataFrame:
    """`commune_shares` of an EPCI with each commune's official SRU status, target and
    former commune (`territoire_officiel.commune_facts` of its rows `rows`)."""
    from . import territoire_officiel as officiel

    facts = officiel.commune_facts(rows, siren)
    out = shares.drop(columns=[c for c in facts.columns if c != "code_insee"],
                      errors="ignore").merge(facts, on="code_insee", how="left")
    # Text columns as strings even when every value is missing (an object column of
    # None then), as they come back from the build's parquet file.
    for column in TEXT_FACTS:
        out[column] = out[column].astype("str")
    return out


def compute(table: pd.DataFrame, geometry: dict | None,
            outside: pd.DataFrame | None = None) -> dict:
    """Every EPCI's profile, communes, programme communes, milestones and label points.

    `geometry` is the commune map layer (GeoJSON dict); without it (France-wide
    build) there are no label points and the app computes them live. `outside`: the
    out-of-region communes of cross-border EPCI (their profiles' totals cover them).
    """
    from . import contexte, proximite
    from . import territoire as profile  # the pure functions of the profile
    from . import territoire_officiel as officiel

    sirens = sorted(table[KEY].dropna().unique())
    groups = {siren: rows for siren, rows in table.groupby(KEY, sort=True)}
    profiles, shares, programmes, milestones, labels = {}, {}, {}, {}, {}
    facts, programme_rows, timeline, merged = {}, {}, {}, {}
    for siren in sirens:
        rows = groups[siren]
        profiles[siren] = _plain(profile.epci_profile(table, siren, outside))
        shares[siren] = profile.commune_shares(rows, siren)
        merged[siren] = shares_with_facts(shares[siren], rows, siren)
        programmes[siren] = profile.programme_communes(rows, siren)
        milestones[siren] = profile.milestones(rows, siren)
        # the official facts, the programme table and the calendar (PVD adhesions in)
        facts[siren] = _plain(officiel.epci_facts(rows, siren, outside))
        programme_rows[siren] = profile.programme_display(officiel.with_pvd_columns(
            programmes[siren], officiel.pvd_columns(rows, siren)))
        timeline[siren] = officiel.with_pvd(milestones[siren],
                                            officiel.pvd_milestones(rows, siren))
        if geometry is not None:
            codes = shares[siren]["code_insee"].tolist()
            labels[siren] = profile.label_points(profile.geometry_subset(geometry, codes),
                                                 profile.labelled_communes(shares[siren]))
    # the KPI cards' context (department and region of each profile)
    places = {s: (p["departement"], p["region"]) for s, p in profiles.items()}
    found = contexte.contexts(table, outside, places)
    contexts = {s: {"place": list(places[s]), **_plain(contexte.as_record(found[s]))}
                for s in sirens}
    first = sirens[0]
    out = {
        "profiles": profiles,
        "contexts": contexts,
        "shares": _stack(merged, merged[first].iloc[0:0]),
        "programmes": _stack(programmes, programmes[first].iloc[0:0]),
        "milestones": _stack(milestones, milestones[first].iloc[0:0]),
        "facts": facts,
        "programme_rows": programme_rows,
        "timeline": _stack(timeline, timeline[first].iloc[0:0]),
    }
    if geometry is not None:
        out["labels"] = _stack(labels, labels[first].iloc[0:0])
        out["centroids"] = proximite.centroids(geometry).reset_index()
    return out


def writers(table: pd.DataFrame, table_bytes: bytes, geometry_text: str | None,
            outside: pd.DataFrame | None = None) -> dict[str, Callable[[Path], None]]:
    """The build's writers for `precomputed/*` (name relative to the data folder).

    `table_bytes` are the bytes of the commune table the build writes, and
    `geometry_text` the commune map layer it writes (None: no layer).
    """
    geometry = json.loads(geometry_text) if geometry_text is not None else None
    data = compute(table, geometry, outside)
    meta = {
        "version": VERSION,
        "communes_sha256": digest(table_bytes),
        "geo_communes_sha256": (digest(geometry_text.encode("utf-8"))
                                if geometry_text is not None else None),
        "profiles": data["profiles"],
        "facts": data["facts"],
        "programme_rows": data["programme_rows"],
        "contexts": data["contexts"],
    }

    def parquet(frame: pd.DataFrame) -> Callable[[Path], None]:
        return lambda p: frame.to_parquet(p, index=False, compression="zstd")

    out: dict[str, Callable[[Path], None]] = {
        f"{DIR}/{SHARES_FILE}": parquet(data["shares"]),
        f"{DIR}/{PROGRAMMES_FILE}": parquet(data["programmes"]),
        f"{DIR}/{MILESTONES_FILE}": parquet(data["milestones"]),
        f"{DIR}/{TIMELINE_FILE}": parquet(data["timeline"]),
    }
    if "labels" in data:
        out[f"{DIR}/{LABELS_FILE}"] = parquet(data["labels"])
        out[f"{DIR}/{CENTROIDS_FILE}"] = parquet(data["centroids"])
    # Written last: its digest is what says the other files belong to this table.
    out[f"{DIR}/{PROFILES_FILE}"] = lambda p: p.write_text(
        json.dumps(meta, ensure_ascii=False, sort_keys=True, separators=(",", ":")), "utf-8")
    return out


# --- loading -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Slices:
    """One precomputed table: the frame and each EPCI's row range in it."""

    frame: pd.DataFrame
    ranges: dict[str, tuple[int, int]]

    @classmethod
    def read(cls, path: Path) -> Slices:
        frame = pd.read_parquet(path)
        codes = frame.pop(KEY).to_numpy()
        ranges: dict[str, tuple[int, int]] = {}
        if len(codes):
            starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
            ends = np.r_[starts[1:], len(codes)]
            ranges = {str(codes[s]): (int(s), int(e)) for s, e in zip(starts, ends, strict=True)}
        return cls(frame, ranges)

    def get(self, siren: str) -> pd.DataFrame:
        """The EPCI's rows (an empty frame with the columns when it has none)."""
        start, end = self.ranges.get(siren, (0, 0))
        return self.frame.iloc[start:end].reset_index(drop=True)


@dataclass(frozen=True)
class Tables:
    profiles: dict[str, dict]
    shares: Slices  # commune_shares with the communes' official facts (shares_with_facts)
    programmes: Slices
    milestones: Slices
    labels: Slices | None
    facts: dict[str, dict] | None = None  # territoire_officiel.epci_facts
    programme_rows: dict[str, list[dict[str, str]]] | None = None  # the programme table
    timeline: Slices | None = None  # milestones with the PVD adhesions
    contexts: dict | None = None  # siren -> ((department, region), contexte.Context)
    centroids: pd.DataFrame | None = None  # proximite.centroids of the commune layer


def _contexts(records: dict[str, dict]) -> dict:
    from .contexte import from_record

    return {s: (tuple(r["place"]), from_record(r)) for s, r in records.items()}


def read(data_dir: Path, communes_bytes: bytes, geo_bytes: bytes | None) -> Tables | None:
    """The precomputed tables of `data_dir`, or None when they are missing, unreadable or
    computed from another commune table."""
    folder = data_dir / DIR
    try:
        meta = json.loads((folder / PROFILES_FILE).read_text("utf-8"))
        if meta.get("version") != VERSION or meta.get("communes_sha256") != digest(
                communes_bytes):
            return None
        labels = centroids = None
        if (geo_bytes is not None and meta.get("geo_communes_sha256") == digest(geo_bytes)
                and (folder / LABELS_FILE).is_file()):
            labels = Slices.read(folder / LABELS_FILE)
            if (folder / CENTROIDS_FILE).is_file():
                centroids = pd.read_parquet(folder / CENTROIDS_FILE).set_index("code_insee")
        return Tables(
            profiles=meta["profiles"],
            shares=Slices.read(folder / SHARES_FILE),
            programmes=Slices.read(folder / PROGRAMMES_FILE),
            milestones=Slices.read(folder / MILESTONES_FILE),
            labels=labels,
            # absent from the slices of an older build: computed live
            facts=meta.get("facts"),
            programme_rows=meta.get("programme_rows"),
            timeline=(Slices.read(folder / TIMELINE_FILE)
                      if (folder / TIMELINE_FILE).is_file() else None),
            contexts=_contexts(meta["contexts"]) if "contexts" in meta else None,
            centroids=centroids,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


@lru_cache(maxsize=1)
def tables() -> Tables | None:
    """The app's precomputed tables (once per process), None when they do not match the
    commune table served."""
    from .atomic import PointerError
    from .build import COMMUNES_FILE, GEO_COMMUNES_FILE, GEO_DIR

    try:
        data_dir = config.tables_dir()  # the served version (data/current), or data/ itself
    except PointerError:
        return None
    try:
        communes_bytes = (data_dir / COMMUNES_FILE).read_bytes()
    except OSError:
        return None
    try:
        geo_bytes = (data_dir / GEO_DIR / GEO_COMMUNES_FILE).read_bytes()
    except OSError:
        geo_bytes = None
    return read(data_dir, communes_bytes, geo_bytes)


def clear() -> None:
    tables.cache_clear()
