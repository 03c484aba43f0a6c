"""Map layers simplified for the web, keyed by INSEE code / SIREN.

Boundaries are simplified as a *coverage* (shared edges simplified once), so
neighbouring polygons keep touching, and coordinates are rounded to 1e-3
degree (about 100 m, below a pixel at the zoom of an EPCI map).
"""

from __future__ import annotations

import json
from pathlib import Path

import shapely

# Tolerances in degrees (1e-3 degree is about 80 m east-west at 45° N).
EPCI_TOLERANCE = 0.004
COMMUNE_TOLERANCE = 0.001
DECIMALS = 3


def _round(coords, decimals: int):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], decimals), round(coords[1], decimals)]
    return [_round(c, decimals) for c in coords]


def simplify_layer(path: Path, key: str, keep: set[str], tolerance: float,
                   decimals: int = DECIMALS) -> str:
    """Read a GeoJSON layer, keep features whose `key` is in `keep`, simplify.

    Returns compact, deterministic GeoJSON text (features sorted by key, only
    the key and name properties kept). Features without geometry are kept
    with a null geometry so the table and the map agree on what exists.
    """
    data = json.loads(path.read_text("utf-8"))
    features = [f for f in data["features"] if f["properties"].get(key) in keep]
    features.sort(key=lambda f: f["properties"][key])
    geoms = [shapely.geometry.shape(f["geometry"]) if f.get("geometry") else None
             for f in features]
    present = [i for i, g in enumerate(geoms) if g is not None]
    # The source polygons overlap slightly (rounded coordinates): clean the
    # coverage first, or the simplifier refuses to move shared edges.
    cleaned = shapely.coverage_clean([geoms[i] for i in present])
    simplified = shapely.coverage_simplify(cleaned, tolerance)
    for i, g in zip(present, simplified, strict=True):
        geoms[i] = g
    name_key = "epci_nom" if key == "epci_siren" else "nom"
    out = []
    for feature, geom in zip(features, geoms, strict=True):
        props = {key: feature["properties"][key], "nom": feature["properties"].get(name_key)}
        geometry = None
        if geom is not None and not geom.is_empty:
            mapping = shapely.geometry.mapping(geom)
            geometry = {"type": mapping["type"],
                        "coordinates": _round(mapping["coordinates"], decimals)}
        out.append({"type": "Feature", "id": props[key], "properties": props,
                    "geometry": geometry})
    return json.dumps({"type": "FeatureCollection", "features": out}, ensure_ascii=False,
                      separators=(",", ":"))
