"""Department outlines and city names of the regional map (`data.map_overlay`), on a
layer of four square communes in two departments."""

from __future__ import annotations

import json

import pandas as pd

from dashboard.data import map_overlay


def _square(x: float, y: float) -> dict:
    return {"type": "Polygon",
            "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]}


LAYER = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": code, "properties": {}, "geometry": _square(x, y)}
    for code, x, y in (("01001", 0, 0), ("01002", 1, 0), ("07001", 0, 1), ("07002", 1, 1))]}
TABLE = pd.DataFrame({
    "code_insee": ["01001", "01002", "07001", "07002"],
    "nom": ["Alpha", "Beta", "Gamma", "Delta"],
    "departement": ["01", "01", "07", "07"],
    "population": [100, 900, 50, 40],
})


def _build() -> map_overlay.Overlay:
    ids = [f["id"] for f in LAYER["features"]]
    return map_overlay.build(json.dumps(LAYER).encode(), ids, TABLE)


def test_outlines_are_one_merged_ring_per_department():
    overlay = _build()
    assert overlay.lon.count(None) == 1 == overlay.lat.count(None)  # two rings
    cut = overlay.lon.index(None)
    first = list(zip(overlay.lon[:cut], overlay.lat[:cut], strict=True))
    # Department 01 is the 2 × 1 rectangle of its two communes (no inner border).
    assert {p for p in first} == {(0.0, 0.0), (2.0, 0.0), (2.0, 1.0), (0.0, 1.0)}
    assert first[0] == first[-1]


def test_cities_are_the_most_populated_commune_of_each_department_inside_it():
    cities = _build().cities
    assert cities["nom"].tolist() == ["Beta", "Gamma"]
    beta = cities.iloc[0]
    assert 1 < beta["lon"] < 2 and 0 < beta["lat"] < 1


def test_the_app_overlay_labels_twelve_departments():
    overlay = map_overlay.overlay()
    assert len(overlay.cities) == 12
    assert {"Lyon", "Grenoble", "Clermont-Ferrand"} <= set(overlay.cities["nom"])
    assert overlay.lon.count(None) >= 11  # at least one ring per department
