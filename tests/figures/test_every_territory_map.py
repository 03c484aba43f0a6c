"""Every EPCI of the region gets a commune map that plotly.js can draw: each location is
a feature of the map's geometry, each feature has a geometry, each commune is drawn."""

from __future__ import annotations

import pytest

from dashboard.data import geo, store
from dashboard.views import territoire as tv

SPLIT_EPCI = "200066637"  # CC Hautes Terres: the former Neussargues en Pinatelle, split in 2025
MERGED_EPCI = "200040574"  # CC Beaujolais Pierres Dorées: 69114 Porte des Pierres Dorées


def choropleths(figure: dict) -> list[dict]:
    return [tr for tr in figure["data"] if tr.get("type") == "choropleth"]


def test_all_epci_maps_draw_every_commune():
    df = store.communes()
    sirens = sorted(df["epci_siren"].dropna().unique())
    assert len(sirens) == 172
    for siren in sirens:
        chart = tv.map_chart(siren)
        trace = choropleths(chart.figure)[0]
        features = trace["geojson"]["features"]
        ids = [f["id"] for f in features]
        assert len(ids) == len(set(ids)), siren
        assert all(f.get("geometry") for f in features), siren
        locations = list(trace["locations"])
        assert len(locations) == len(set(locations)), siren  # one value per feature
        assert set(locations) <= set(ids), siren
        drawn = geo.feature_ids(trace["geojson"])
        communes = set(df.loc[df["epci_siren"] == siren, "code_insee"])
        assert {drawn.get(c) for c in communes} <= set(locations), siren
        assert len(trace["z"]) == len(locations), siren


def test_the_two_broken_territories_now_have_every_commune():
    merged = choropleths(tv.map_chart(MERGED_EPCI).figure)[0]
    assert "69114" in merged["locations"]
    split = choropleths(tv.map_chart(SPLIT_EPCI).figure)[0]
    pieces = ["15031", "15035", "15047", "15141", "15171"]
    assert "15141" in split["locations"]
    assert not set(pieces[:3] + pieces[4:]) & set(split["locations"])  # no overlapping copies
    i = list(split["locations"]).index("15141")
    label = split["customdata"][i][0]
    assert "Celles" in label and "Neussargues en Pinatelle" in label
    assert "données disponibles pour l'ancienne commune seulement" in label
    shares = tv.cached_commune_shares(SPLIT_EPCI).set_index("code_insee").loc[pieces]
    combined = 100 * shares["logements_sociaux"].sum() / shares["residences_principales"].sum()
    assert split["z"][i] == pytest.approx(combined)


def test_selecting_a_split_commune_outlines_its_former_commune():
    traces = choropleths(tv.map_chart(SPLIT_EPCI, "15031").figure)
    outline = traces[-1]
    assert list(outline["locations"]) == ["15141"]
    assert [f["id"] for f in outline["geojson"]["features"]] == ["15141"]
