"""The commune map layer draws every commune: communes nouvelles missing from the raw
boundaries are rebuilt, split communes share their former commune's feature."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from dashboard.data import geo
from dashboard.data.sources import SourceError


def square(x: float, y: float, side: float = 0.125) -> dict:
    """A square cell (binary-exact coordinates: neighbours share their edges exactly)."""
    return {"type": "Polygon", "coordinates": [[[x, y], [x + side, y], [x + side, y + side],
                                                [x, y + side], [x, y]]]}


def raw_layer(path: Path, cells: dict[str, dict | None]) -> Path:
    feats = [{"type": "Feature", "properties": {"code_insee": code, "nom": code},
              "geometry": g} for code, g in cells.items()]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8")
    return path


def table(codes: dict[str, str]) -> pd.DataFrame:
    """code -> EPCI."""
    return pd.DataFrame({"code_insee": list(codes), "nom": [f"Nom {c}" for c in codes],
                         "epci_siren": list(codes.values())})


NO_DELEGUEES = pd.DataFrame(columns=["code_insee", "nom", "commune_parent"])
NO_SPLITS = pd.DataFrame(columns=["code_insee", "nom", "commune_avant", "nom_avant",
                                  "date_effet"])
GRID = {f"0100{i}": square(4 + 0.125 * (i % 3), 45 + 0.125 * (i // 3)) for i in range(9)}


def test_commune_nouvelle_without_parts_is_drawn_as_the_gap_it_leaves(tmp_path: Path):
    # A 3 x 3 grid of communes (EPCI A); the centre one, 01004, has no polygon and no
    # former commune with one: it is the hole of the layer touching EPCI A.
    cells = {**GRID, "01004": None}
    path = raw_layer(tmp_path / "raw.geojson", cells)
    layer = geo.commune_layer(path, table({c: "A" for c in cells}),
                              pd.DataFrame({"code_insee": ["01098", "01099"],
                                            "nom": ["Ancienne 1", "Ancienne 2"],
                                            "commune_parent": ["01004", "01004"]}),
                              NO_SPLITS, tolerance=0.0001, decimals=4)
    data = json.loads(layer.text)
    centre = next(f for f in data["features"] if f["id"] == "01004")
    assert shapely.equals_exact(shape(centre["geometry"]).normalize(),
                                shape(square(4.125, 45.125)).normalize(), 1e-3)
    assert set(layer.rebuilt) == {"01004"}
    assert "01004 Nom 01004" in layer.log[0] and "gap" in layer.log[0]
    assert "01098 Ancienne 1, 01099 Ancienne 2" in layer.log[0]


def test_commune_nouvelle_is_the_union_of_its_parts(tmp_path: Path):
    cells = {"01001": square(4, 45), "01002": None, "01091": square(4.125, 45),
             "01092": square(4.25, 45)}
    path = raw_layer(tmp_path / "raw.geojson", cells)
    layer = geo.commune_layer(
        path, table({"01001": "A", "01002": "A"}),
        pd.DataFrame({"code_insee": ["01091", "01092"], "nom": ["X", "Y"],
                      "commune_parent": ["01002", "01002"]}), NO_SPLITS,
        tolerance=0.0001, decimals=4)
    data = json.loads(layer.text)
    assert [f["id"] for f in data["features"]] == ["01001", "01002"]
    merged = shape(data["features"][1]["geometry"])
    assert merged.bounds == pytest.approx((4.125, 45.0, 4.375, 45.125), abs=1e-3)
    assert "union" in layer.log[0]


def test_split_communes_share_their_former_commune_feature(tmp_path: Path):
    cells = {"15001": square(3, 45), "15141": square(3.125, 45), "15031": None,
             "15035": None}
    path = raw_layer(tmp_path / "raw.geojson", cells)
    splits = pd.DataFrame({"code_insee": ["15031", "15035", "15141"],
                           "nom": ["Celles", "Chalinargues", "Neussargues-Moissac"],
                           "commune_avant": ["15141"] * 3,
                           "nom_avant": ["Neussargues en Pinatelle"] * 3,
                           "date_effet": ["2025-01-01"] * 3})
    layer = geo.commune_layer(path, table({c: "B" for c in cells}), NO_DELEGUEES, splits,
                              tolerance=0.0001, decimals=4)
    data = json.loads(layer.text)
    assert [f["id"] for f in data["features"]] == ["15001", "15141"]  # no overlapping copies
    former = data["features"][1]
    assert former["properties"] == {"code_insee": "15141", "nom": "Neussargues en Pinatelle",
                                    "communes": ["15031", "15035", "15141"]}
    assert geo.feature_ids(data) == {"15001": "15001", "15141": "15141", "15031": "15141",
                                     "15035": "15141"}
    assert geo.check_commune_layer(data, set(cells)) == []
    assert "15141 Neussargues en Pinatelle was split into 15031 Nom 15031, 15035" in layer.log[0]


def test_commune_that_cannot_be_drawn_fails_the_build_in_french(tmp_path: Path):
    # No polygon, no part with one, and no hole in the layer: the build refuses.
    cells = {"01001": square(4, 45), "01002": None}
    path = raw_layer(tmp_path / "raw.geojson", cells)
    with pytest.raises(SourceError, match=r"carte des communes incomplète.*\n01002 Nom 01002 : "
                                          r"aucun contour"):
        geo.commune_layer(path, table({"01001": "A", "01002": "A"}), NO_DELEGUEES, NO_SPLITS)


def test_split_whose_former_commune_has_no_polygon_is_refused(tmp_path: Path):
    path = raw_layer(tmp_path / "raw.geojson", {"15141": None, "15031": None})
    splits = pd.DataFrame({"code_insee": ["15031", "15141"], "nom": ["A", "B"],
                           "commune_avant": ["15141"] * 2, "nom_avant": ["Ancienne"] * 2,
                           "date_effet": ["2025-01-01"] * 2})
    with pytest.raises(SourceError, match="sans contour de l'ancienne commune"):
        geo.commune_layer(path, table({"15141": "B", "15031": "B"}), NO_DELEGUEES, splits)


def test_layer_checks_name_what_is_wrong():
    ok = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "01001", "properties": {"code_insee": "01001"},
         "geometry": square(4, 45)}]}
    assert geo.check_commune_layer(ok, {"01001"}) == []
    assert geo.check_commune_layer(ok, {"01001", "01002"}) == [
        "1 commune de la table sans contour sur la carte : 01002"]
    assert geo.check_commune_layer([], {"01001"}) == [
        "ce n'est pas une collection d'entités GeoJSON (FeatureCollection)"]
    no_geom = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "01001", "properties": {"code_insee": "01001"},
         "geometry": None}]}
    assert geo.check_commune_layer(no_geom, {"01001"}) == [
        "entité 01001 : sans contour (géométrie absente)"]
    no_id = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code_insee": "01001"}, "geometry": square(4, 45)}]}
    assert "identifiant" in geo.check_commune_layer(no_id, {"01001"})[0]
    assert geo.check_epci_layer(ok | {"features": []}, {"200000001"}) == [
        "1 EPCI de la table sans contour sur la carte : 200000001"]


def test_map_values_combine_the_pieces_of_a_split_commune():
    geometry = {"type": "FeatureCollection", "features": [
        {"id": "15001", "properties": {"code_insee": "15001", "nom": "Autre"}},
        {"id": "15141", "properties": {"code_insee": "15141", "nom": "Ancienne",
                                       "communes": ["15031", "15141"]}}]}
    shares = pd.DataFrame({"code_insee": ["15001", "15141", "15031"],
                           "nom": ["Autre", "Neussargues-Moissac", "Celles"],
                           "logements_sociaux": [10, 30, 0],
                           "residences_principales": [100.0, 200.0, 100.0],
                           "taux_logements_sociaux": [10.0, 15.0, 0.0]})
    values = geo.map_values(shares, geometry).set_index("location")
    assert list(values.index) == ["15001", "15141"]
    assert values.loc["15001", "taux_logements_sociaux"] == 10.0
    assert values.loc["15141", "taux_logements_sociaux"] == pytest.approx(10.0)  # 30 / 300
    assert values.loc["15141", "nom"].startswith("Celles, Neussargues-Moissac (ancienne "
                                                 "commune Ancienne : données disponibles")
    assert values.loc["15141", "communes"] == ("15031", "15141")
