"""Map layers simplified for the web, keyed by INSEE code / SIREN.

Boundaries are simplified as a *coverage* (shared edges simplified once), so
neighbouring polygons keep touching, and coordinates are rounded to 1e-3
degree (about 100 m, below a pixel at the zoom of an EPCI map).

Every commune of the table is drawn. The raw boundaries predate some changes
of the COG 2026, and two kinds of commune have no polygon of their own there:

- **A commune nouvelle** (several communes merged into one) gets the union of
  its former communes' polygons, found through the delegated/associated list.
  When the raw layer has none of them either (69114 Porte des Pierres Dorées:
  Jarnioux, Liergues, Pouilly-le-Monial), it gets the gap they leave in the
  commune layer: the hole of the layer that touches the other communes of its
  EPCI (the raw layer is a coverage, so that hole is exactly its territory).
  Its EPCI's outline gets the same polygon.
- **A commune restored by a split** (the former Neussargues en Pinatelle,
  15141, split into five communes on 1 January 2025, detected by the census
  reader: `official.census.detect_splits`) cannot be drawn piece by piece: only
  the former commune's polygon exists, and one feature per piece would draw
  five overlapping copies. The layer has ONE feature for the former commune,
  whose `id` is the former code and whose `properties.communes` lists the
  codes of the pieces. A choropleth keyed by commune code maps each piece to
  that feature (`feature_ids`) and colours it with the pieces' combined
  figure, which is also how the data are published: for the former commune
  only ("données disponibles pour l'ancienne commune seulement").

`commune_layer` fails with a French message when a commune of the table would
still have no feature: a map with a missing commune makes plotly.js throw.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import shapely
from shapely.geometry import Polygon, mapping, shape

from ..formatting import plural
from .sources import SourceError

# Tolerances in degrees (1e-3 degree is about 80 m east-west at 45° N).
EPCI_TOLERANCE = 0.004
COMMUNE_TOLERANCE = 0.001
DECIMALS = 3
# A hole of the commune layer smaller than this (km²) is a drawing artefact, not a commune.
MIN_GAP_KM2 = 0.5
# Distance (degrees) within which a hole "touches" a commune (raw coordinates are rounded).
TOUCH = 5e-4


def _round(coords, decimals: int):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], decimals), round(coords[1], decimals)]
    return [_round(c, decimals) for c in coords]


def km2(geom) -> float:
    """Approximate area in km² of a lon/lat geometry (local equirectangular scale)."""
    if geom.is_empty:
        return 0.0
    lat = geom.centroid.y
    return geom.area * 111.32 * 111.32 * math.cos(math.radians(lat))


def _read_features(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text("utf-8"))
        features = data["features"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"{path.name} : couche cartographique illisible ({exc})") from None
    return features


def _simplify(features: list[dict], geoms: list, tolerance: float, decimals: int) -> str:
    """Simplify `geoms` as one coverage and write the features (same order) as GeoJSON."""
    present = [i for i, g in enumerate(geoms) if g is not None]
    # The source polygons overlap slightly (rounded coordinates): clean the
    # coverage first, or the simplifier refuses to move shared edges.
    cleaned = shapely.coverage_clean([geoms[i] for i in present])
    simplified = shapely.coverage_simplify(cleaned, tolerance)
    geoms = list(geoms)
    for i, g in zip(present, simplified, strict=True):
        geoms[i] = g
    out = []
    for feature, geom in zip(features, geoms, strict=True):
        geometry = None
        if geom is not None and not geom.is_empty:
            m = mapping(geom)
            geometry = {"type": m["type"], "coordinates": _round(m["coordinates"], decimals)}
        out.append({"type": "Feature", "id": feature["id"], "properties": feature["properties"],
                    "geometry": geometry})
    return json.dumps({"type": "FeatureCollection", "features": out}, ensure_ascii=False,
                      separators=(",", ":"))


def simplify_layer(path: Path, key: str, keep: set[str], tolerance: float,
                   decimals: int = DECIMALS, extra: dict[str, list] | None = None) -> str:
    """Read a GeoJSON layer, keep features whose `key` is in `keep`, simplify.

    Returns compact, deterministic GeoJSON text (features sorted by key, only
    the key and name properties kept). `extra` adds polygons to a feature
    (union), e.g. a commune rebuilt by `commune_layer` to its EPCI. Features
    without geometry are kept with a null geometry.
    """
    raw = [f for f in _read_features(path) if f["properties"].get(key) in keep]
    raw.sort(key=lambda f: f["properties"][key])
    name_key = "epci_nom" if key == "epci_siren" else "nom"
    features, geoms = [], []
    for f in raw:
        code = f["properties"][key]
        geom = shape(f["geometry"]) if f.get("geometry") else None
        added = (extra or {}).get(code, [])
        if added:
            geom = shapely.union_all([g for g in [geom, *added] if g is not None])
        features.append({"id": code, "properties": {key: code,
                                                    "nom": f["properties"].get(name_key)}})
        geoms.append(geom)
    return _simplify(features, geoms, tolerance, decimals)


@dataclass
class CommuneLayer:
    """The commune layer to publish, what was rebuilt, and the lines for the build log."""

    text: str
    rebuilt: dict[str, object]  # code -> polygon made for a commune nouvelle (for its EPCI)
    log: list[str]


def _holes(geoms: list) -> list[Polygon]:
    """Holes of the union of `geoms` larger than MIN_GAP_KM2, largest first."""
    union = shapely.union_all(geoms)
    polygons = list(getattr(union, "geoms", [union]))
    holes = [Polygon(ring) for p in polygons if p.geom_type == "Polygon" for ring in p.interiors]
    holes = [h for h in holes if km2(h) >= MIN_GAP_KM2]
    return sorted(holes, key=lambda h: (-round(km2(h), 6), h.bounds))


def commune_layer(path: Path, table: pd.DataFrame, deleguees: pd.DataFrame,
                  splits: pd.DataFrame, tolerance: float = COMMUNE_TOLERANCE,
                  decimals: int = DECIMALS) -> CommuneLayer:
    """The commune layer of the communes of `table` (code_insee, nom, epci_siren).

    `deleguees` (code_insee, nom, commune_parent) lists the former communes of
    each commune nouvelle; `splits` (code_insee, nom, commune_avant, nom_avant) the
    communes restored by a split (`official.split_pieces`). See the module docstring.
    Raises SourceError (French) if a commune still has no feature.
    """
    codes = set(table["code_insee"])
    names = dict(zip(table["code_insee"], table["nom"], strict=True))
    epci_of = dict(zip(table["code_insee"], table["epci_siren"], strict=True))
    raw = {f["properties"].get("code_insee"): f for f in _read_features(path)}
    geom = {c: shape(f["geometry"]) for c, f in raw.items() if f.get("geometry")}
    log: list[str] = []

    # Split communes: one feature, the former commune's polygon, for all the pieces.
    groups: dict[str, list[str]] = {}
    former_name: dict[str, str] = {}
    for row in splits.itertuples(index=False):
        if row.code_insee not in codes:
            continue
        groups.setdefault(row.commune_avant, []).append(row.code_insee)
        former_name[row.commune_avant] = row.nom_avant
    problems = []
    for former, pieces in sorted(groups.items()):
        if former not in geom:
            problems.append(f"{former} {former_name[former]} : commune scindée sans contour de "
                            "l'ancienne commune dans la couche source")
        epcis = {epci_of[p] for p in pieces}
        if len(epcis) > 1:
            problems.append(f"{former} {former_name[former]} : communes issues de la scission "
                            "dans plusieurs EPCI, impossibles à dessiner ensemble")
    in_group = {p: former for former, pieces in groups.items() for p in pieces}

    # Communes nouvelles without a polygon: union of their former communes, else the gap.
    rebuilt: dict[str, object] = {}
    missing = sorted(c for c in codes if c not in geom and c not in in_group)
    parts_of = deleguees.groupby("commune_parent")["code_insee"].apply(list).to_dict()
    part_names = dict(zip(deleguees["code_insee"], deleguees["nom"], strict=True))
    holes: list[Polygon] | None = None
    for code in missing:
        parts = sorted(parts_of.get(code, []))
        with_geom = [geom[p] for p in parts if p != code and p in geom]
        described = ", ".join(f"{p} {part_names.get(p, '')}".strip() for p in parts) \
            or "aucune"
        if with_geom:
            rebuilt[code] = shapely.union_all(with_geom)
            how = "the union of its parts' polygons"
        else:
            if holes is None:
                holes = _holes(list(geom.values()))
            neighbours = shapely.union_all([geom[c] for c in codes
                                            if epci_of[c] == epci_of[code] and c in geom])
            touching = [h for h in holes if h.buffer(TOUCH).intersects(neighbours)]
            if len(touching) != 1:
                problems.append(f"{code} {names[code]} : aucun contour dans la couche source, "
                                f"ni pour ses anciennes communes ({described}), et "
                                f"{plural(len(touching), 'vide')} de la couche au contact de "
                                f"son EPCI {epci_of[code]} au lieu d'un seul")
                continue
            rebuilt[code] = touching[0]
            holes.remove(touching[0])
            how = "the gap its former communes leave in the commune layer"
        log.append(f"geometry: {code} {names[code]} (commune nouvelle; its parts in the "
                   f"delegated/associated list: {described}) has no polygon in {path.name}: "
                   f"drawn as {how} "
                   f"({km2(rebuilt[code]):.1f} km2), also added to its EPCI {epci_of[code]}")
    for former, pieces in sorted(groups.items()):
        listed = ", ".join(f"{p} {names[p]}" for p in sorted(pieces))
        log.append(f"geometry: {former} {former_name[former]} was split into {listed}: "
                   f"drawn as one feature, the former commune's polygon (id {former}, "
                   "properties.communes lists the pieces)")
    if problems:
        raise SourceError(f"carte des communes incomplète ({plural(len(problems), 'commune')} "
                          "sans contour) :\n" + "\n".join(problems))

    features, geoms = [], []
    drawn = sorted((codes - set(in_group)) | set(groups))
    for code in drawn:
        if code in groups:
            props = {"code_insee": code, "nom": former_name[code],
                     "communes": sorted(groups[code])}
        else:
            props = {"code_insee": code, "nom": names[code]}
        features.append({"id": code, "properties": props})
        geoms.append(rebuilt.get(code, geom.get(code)))
    text = _simplify(features, geoms, tolerance, decimals)
    check = check_commune_layer(json.loads(text), codes)
    if check:
        raise SourceError("carte des communes incomplète :\n" + "\n".join(check))
    return CommuneLayer(text=text, rebuilt=rebuilt, log=log)


def feature_ids(geometry: dict) -> dict[str, str]:
    """Commune code -> id of the feature that draws it (itself, or its former commune)."""
    out: dict[str, str] = {}
    for f in geometry.get("features", ()):
        fid = f.get("id")
        out.setdefault(fid, fid)
        for code in (f.get("properties") or {}).get("communes", ()):
            out[code] = fid
    return out


def check_layer_structure(data: object, key: str) -> list[str]:
    """French problem lines for a map layer that is not a FeatureCollection of
    features with a text `id` equal to `properties[key]` and a geometry."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        return ["ce n'est pas une collection d'entités GeoJSON (FeatureCollection)"]
    problems = []
    for i, f in enumerate(data["features"]):
        if not isinstance(f, dict):
            problems.append(f"entité n° {i + 1} : ce n'est pas une entité GeoJSON")
            continue
        props = f.get("properties") if isinstance(f.get("properties"), dict) else {}
        fid = f.get("id")
        if not isinstance(fid, str) or props.get(key) != fid:
            problems.append(f"entité n° {i + 1} : identifiant « id » absent ou différent de "
                            f"« {key} »")
        elif not isinstance(f.get("geometry"), dict):
            problems.append(f"entité {fid} : sans contour (géométrie absente)")
        if len(problems) >= 10:
            problems.append("(liste arrêtée à 10 problèmes)")
            break
    return problems


def check_commune_layer(data: dict, codes: set[str]) -> list[str]:
    """Communes of the table drawn by no feature (neither their own nor their former
    commune's), as French problem lines."""
    problems = check_layer_structure(data, "code_insee")
    if problems:
        return problems
    absent = sorted(codes - set(feature_ids(data)))
    if absent:
        shown = ", ".join(absent[:20]) + (" ..." if len(absent) > 20 else "")
        problems.append(f"{plural(len(absent), 'commune')} de la table sans contour sur la carte : "
                        f"{shown}")
    return problems


def check_epci_layer(data: dict, sirens: set[str]) -> list[str]:
    """EPCI of the table without a feature in the EPCI layer, as French problem lines."""
    problems = check_layer_structure(data, "epci_siren")
    if problems:
        return problems
    absent = sorted(sirens - {f["id"] for f in data["features"]})
    if absent:
        problems.append(f"{len(absent)} EPCI de la table sans contour sur la carte : "
                        f"{', '.join(absent[:20])}")
    return problems


def map_values(shares: pd.DataFrame, geometry: dict) -> pd.DataFrame:
    """One row per feature of `geometry` that draws communes of `shares`.

    `shares` has code_insee, nom, logements_sociaux, residences_principales,
    taux_logements_sociaux (`territoire.commune_shares`). A feature drawing
    several communes (a former commune split since) gets their names and
    their combined share (ratio of sums). Columns: location (feature id), nom,
    taux_logements_sociaux, communes (codes drawn). Communes with no feature
    are left out (the build makes sure there are none).
    """
    ids = feature_ids(geometry)
    names = {f.get("id"): (f.get("properties") or {}).get("nom")
             for f in geometry.get("features", ())}
    df = shares.assign(location=shares["code_insee"].map(ids)).dropna(subset=["location"])
    rows = []
    for location, part in df.groupby("location", sort=False):
        if len(part) == 1 and part["code_insee"].iloc[0] == location:
            rate = float(part["taux_logements_sociaux"].iloc[0])
            nom = str(part["nom"].iloc[0])
        else:
            rp = float(part["residences_principales"].sum())
            rate = 100 * float(part["logements_sociaux"].sum()) / rp if rp > 0 else math.nan
            nom = (", ".join(sorted(part["nom"].astype(str)))
                   + f" (ancienne commune {names.get(location) or location} : "
                     "données disponibles pour l'ancienne commune seulement)")
        rows.append((location, nom, rate, tuple(sorted(part["code_insee"]))))
    return pd.DataFrame(rows, columns=["location", "nom", "taux_logements_sociaux", "communes"])
