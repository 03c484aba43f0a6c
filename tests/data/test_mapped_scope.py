"""Which rows of a table the served map layers must draw (store.mapped_scope)."""

from __future__ import annotations

import pandas as pd

from dashboard.data import geo, store


def layer(codes: list[str], key: str) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": c, "properties": {key: c},
         "geometry": {"type": "Point", "coordinates": [4.0, 45.0]}} for c in codes]}


TABLE = pd.DataFrame({
    "code_insee": ["01001", "01002", "75056", "13055"],
    "epci_siren": ["200000001", "200000001", "200054781", "200054807"],
    "region": ["84", "84", "11", "93"],
})


def test_a_france_table_with_the_region_layers_checks_the_region_only():
    communes = layer(["01001", "01002"], "code_insee")
    scope = store.mapped_scope(TABLE, communes, "communes")
    assert scope["code_insee"].tolist() == ["01001", "01002"]
    assert geo.check_commune_layer(communes, set(scope["code_insee"])) == []
    epci = layer(["200000001"], "epci_siren")
    assert store.mapped_scope(TABLE, epci, "epci")["epci_siren"].unique().tolist() == [
        "200000001"]


def test_an_epci_crossing_the_border_does_not_bring_in_its_other_region():
    table = pd.concat([TABLE, pd.DataFrame({"code_insee": ["71001", "71002", "71003"],
                                             "epci_siren": ["200000001", "200070001",
                                                            "200070002"],
                                             "region": ["27", "27", "27"]})])
    scope = store.mapped_scope(table, layer(["200000001"], "epci_siren"), "epci")
    assert sorted(scope["region"].unique()) == ["84"]


def test_a_commune_missing_in_a_covered_region_is_still_reported():
    communes = layer(["01001", "01003"], "code_insee")
    table = pd.concat([TABLE, pd.DataFrame({"code_insee": ["01003"], "epci_siren": [
        "200000001"], "region": ["84"]})])
    scope = store.mapped_scope(table, communes, "communes")
    problems = geo.check_commune_layer(communes, set(scope["code_insee"]))
    assert problems == ["1 commune de la table sans contour sur la carte : 01002"]


def test_a_layer_that_draws_nothing_of_the_table_covers_all_of_it():
    empty = layer(["99999"], "code_insee")
    assert len(store.mapped_scope(TABLE, empty, "communes")) == len(TABLE)
