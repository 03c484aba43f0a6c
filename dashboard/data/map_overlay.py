"""What the regional map draws over the EPCI: department outlines and the names of a
few cities, both derived from the commune layer and the commune table (no coordinate
is typed here).

- outlines: the communes of each department merged (`shapely.coverage_union_all`:
  the commune layer is a coverage, so this is fast) and simplified, as one lon/lat
  line with `None` between rings (one plotly trace);
- cities: the most populated commune of each department (the préfecture in ten of
  the twelve departments of the region), at a point inside its outline.

`overlay()` is memoised per process (`store.reset()` forgets it).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import store

SIMPLIFY = 0.004
"""Tolerance (degrees, about 400 m) of the simplified outlines: invisible at map scale."""
DIGITS = 4


@dataclass(frozen=True)
class Overlay:
    """Department outlines (`lon`, `lat`, rings separated by None) and city labels."""

    lon: tuple[float | None, ...]
    lat: tuple[float | None, ...]
    cities: pd.DataFrame  # code_insee, nom, departement, lon, lat (largest population first)


def _rings(geometry) -> list[list[tuple[float, float]]]:
    """Exterior rings of a (multi)polygon."""
    import shapely

    return [list(shapely.get_exterior_ring(part).coords)
            for part in shapely.get_parts(geometry)
            if part.geom_type == "Polygon" and not part.is_empty]


def build(layer: bytes, ids: list[str], table: pd.DataFrame) -> Overlay:
    """The overlay of a commune layer (GeoJSON bytes; `ids`: its features' ids, INSEE
    codes, in file order) and its commune table (code_insee, nom, departement,
    population)."""
    import shapely

    geometries = shapely.get_parts(shapely.from_geojson(layer))
    if len(geometries) != len(ids):
        raise ValueError("couche des communes : géométries et identifiants en nombre différent")
    departement = dict(zip(table["code_insee"], table["departement"], strict=True))
    frame = pd.DataFrame({"id": ids, "departement": [departement.get(i) for i in ids]})
    lon: list[float | None] = []
    lat: list[float | None] = []
    for _dep, rows in frame.dropna(subset=["departement"]).groupby("departement", sort=True):
        merged = shapely.simplify(shapely.coverage_union_all(geometries[rows.index]), SIMPLIFY)
        for ring in _rings(merged):
            if lon:
                lon.append(None)
                lat.append(None)
            lon.extend(round(x, DIGITS) for x, _ in ring)
            lat.extend(round(y, DIGITS) for _, y in ring)
    by_id = dict(zip(ids, geometries, strict=True))
    largest = (table.sort_values(["population", "code_insee"], ascending=[False, True])
               .drop_duplicates("departement"))
    cities = []
    for rec in largest.to_dict("records"):
        geometry = by_id.get(rec["code_insee"])
        if geometry is None:
            continue
        point = shapely.point_on_surface(geometry)
        cities.append({"code_insee": rec["code_insee"], "nom": rec["nom"],
                       "departement": rec["departement"],
                       "lon": round(point.x, DIGITS), "lat": round(point.y, DIGITS)})
    return Overlay(tuple(lon), tuple(lat), pd.DataFrame.from_records(
        cities, columns=["code_insee", "nom", "departement", "lon", "lat"]))


@store.memo(maxsize=1)
def overlay() -> Overlay:
    """The overlay of the app's commune layer and table."""
    layer, _ = store.geojson_bytes("communes")
    ids = [f.get("id") for f in store.geojson("communes")["features"]]
    return build(layer, ids, store.communes()[["code_insee", "nom", "departement", "population"]])
