"""Distances between communes, from the map layer's polygons (pure functions).

A commune in no programme sees the nearest programme communes on its profile
("Ma commune"): name, programmes and distance in kilometres between the
communes' centroids (great-circle distance on a sphere of radius 6 371 km).

The centroids come from the commune layer served with the table
(`store.geojson("communes")`). A commune split after 2024 has no polygon of
its own there: its pieces share the former commune's feature
(`properties.communes`), hence its centroid.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from shapely.geometry import shape

from .. import registry

EARTH_RADIUS_KM = 6371.0
NEAREST = 3
"""How many programme communes a commune in no programme is shown."""


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine) in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def centroids(layer: dict) -> pd.DataFrame:
    """(lon, lat) of the centroid of each commune of a GeoJSON layer, indexed by INSEE
    code; the pieces of a split commune (`properties.communes`) share its centroid."""
    rows: dict[str, tuple[float, float]] = {}
    for feature in layer.get("features", []):
        geometry = feature.get("geometry")
        if not geometry:
            continue
        point = shape(geometry).centroid
        codes = (feature.get("properties") or {}).get("communes") or [feature.get("id")]
        for code in codes:
            rows[str(code)] = (point.x, point.y)
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=["lon", "lat"])
    frame.index.name = "code_insee"
    return frame


def programme_points(df: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """The programme communes of `df` that have a centroid: code_insee, nom, programmes
    ("ACV, ORT signée", registry short labels), lon, lat."""
    flags = registry.programme_flags(df)
    members = df[flags[registry.ANY] & df["code_insee"].isin(points.index)]
    labels = [", ".join(p.short for p in registry.PROGRAMMES if row[p.key])
              for row in flags.loc[members.index].to_dict("records")]
    located = points.loc[members["code_insee"]]
    return pd.DataFrame({"code_insee": members["code_insee"].astype(str).to_numpy(),
                         "nom": members["nom"].astype(str).to_numpy(), "programmes": labels,
                         "lon": located["lon"].to_numpy(), "lat": located["lat"].to_numpy()})


def nearest(members: pd.DataFrame, points: pd.DataFrame, code: str,
            n: int = NEAREST) -> list[dict]:
    """The `n` rows of `members` (`programme_points`) nearest to commune `code`.

    The commune itself and the communes drawn at the same point (the other pieces of
    a split commune share its polygon) are left out. Each item: code_insee, nom,
    programmes, distance_km. Ties by name. Empty when the commune has no centroid.
    """
    if code not in points.index:
        return []
    lon, lat = (float(v) for v in points.loc[code, ["lon", "lat"]])
    p1, p2 = math.radians(lat), np.radians(members["lat"].to_numpy(dtype=float))
    dl = np.radians(members["lon"].to_numpy(dtype=float) - lon)
    h = np.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))
    same = (members["lon"].to_numpy() == lon) & (members["lat"].to_numpy() == lat)
    found = members.assign(distance_km=km)[~same & members["code_insee"].ne(code).to_numpy()]
    found = found.sort_values(["distance_km", "nom"], kind="stable").head(n)
    return [{"code_insee": r.code_insee, "nom": r.nom, "programmes": r.programmes,
             "distance_km": float(r.distance_km)} for r in found.itertuples()]


def nearest_programme_communes(df: pd.DataFrame, points: pd.DataFrame, code: str,
                               n: int = NEAREST) -> list[dict]:
    """`nearest` programme communes of commune `code` in the commune table `df`,
    `points` being what `centroids` returns."""
    return nearest(programme_points(df, points), points, code, n)
