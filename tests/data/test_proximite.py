"""Distances between communes (`data.proximite`): known answers on hand-made layers."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.data import proximite


def square(code: str, x: float, y: float, size: float = 0.02, **props) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Feature", "id": code, "properties": props,
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def table(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """(code, name, programme key or "") -> a commune table with the registry's columns."""
    return pd.DataFrame({
        "code_insee": [r[0] for r in rows], "nom": [r[1] for r in rows],
        "acv": [r[2] == "ACV" for r in rows], "pvd_2024": [r[2] == "PVD" for r in rows],
        "ami_centres_bourgs": [False] * len(rows),
        "villages_avenir": [r[2] == "VA" for r in rows],
        "ort_statut": ["Signée" if r[2] == "ORT" else None for r in rows]})


def test_great_circle_distances():
    assert proximite.distance_km(4.0, 45.0, 4.0, 46.0) == pytest.approx(111.195, abs=0.01)
    assert proximite.distance_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(111.195, abs=0.01)
    # Lyon (Bellecour) - Paris (Notre-Dame): about 392 km
    assert proximite.distance_km(4.832, 45.758, 2.350, 48.853) == pytest.approx(392, abs=2)
    assert proximite.distance_km(4.5, 45.5, 4.5, 45.5) == 0.0


def test_centroids_and_split_pieces_share_the_former_communes():
    layer = {"features": [square("01001", 4.0, 45.0),
                          square("15141", 3.0, 45.0, communes=["15141", "15031"]),
                          {"type": "Feature", "id": "99999", "properties": {},
                           "geometry": None}]}
    points = proximite.centroids(layer)
    assert sorted(points.index) == ["01001", "15031", "15141"]
    assert tuple(points.loc["01001"]) == pytest.approx((4.01, 45.01))
    assert tuple(points.loc["15031"]) == tuple(points.loc["15141"])


def test_nearest_programme_communes_in_order_without_itself_or_its_other_pieces():
    layer = {"features": [
        square("00001", 4.0, 45.0), square("00002", 4.1, 45.0), square("00003", 4.0, 45.2),
        square("00004", 4.5, 45.0), square("00005", 3.0, 45.0, communes=["00005", "00006"]),
        square("00007", 3.05, 45.0)]}
    df = table([("00001", "Ici", ""), ("00002", "Est", "PVD"), ("00003", "Nord", "ACV"),
                ("00004", "Loin", "VA"), ("00005", "Morceau A", "ORT"),
                ("00006", "Morceau B", ""), ("00007", "Voisine", "PVD")])
    points = proximite.centroids(layer)
    near = proximite.nearest_programme_communes(df, points, "00001", n=3)
    assert [x["nom"] for x in near] == ["Est", "Nord", "Loin"]
    assert [x["programmes"] for x in near] == ["PVD", "ACV", "VA"]
    # 0.1 degree of longitude at 45.01° N; 0.2 degree of latitude
    assert near[0]["distance_km"] == pytest.approx(7.86, abs=0.01)
    assert near[1]["distance_km"] == pytest.approx(22.24, abs=0.01)
    # a piece of a split commune: its sibling piece (same polygon) is left out
    piece = proximite.nearest_programme_communes(df, points, "00006", n=1)
    assert [x["nom"] for x in piece] == ["Voisine"]
    assert proximite.nearest_programme_communes(df, points, "12345") == []
    # a commune in a programme itself is never its own nearest
    assert "Est" not in [x["nom"] for x in proximite.nearest_programme_communes(
        df, points, "00002")]
