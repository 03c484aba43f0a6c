"""The first view of an EPCI takes shortcuts (one cut of the table per EPCI, landlord
rows by position, memoised lookups, the build's slices): each gives what the plain
computation on the whole table gives, and the profile is the same with and without
the build's precomputed slices."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import plotly
import pytest

from dashboard import config
from dashboard.data import build, precomputed, store, territories
from dashboard.data import territoire as data
from dashboard.data import territoire_officiel as officiel
from dashboard.data.aggregate import UnknownCode
from dashboard.pages import territoire_profil
from dashboard.views import territoire as tv
from dashboard.views import territoire_tables

from ..data.test_precomputed import same

# Annonay (ACV), Arche Agglo (two departments), Métropole de Lyon (many communes),
# Hautes Terres (communes without geometry).
SAMPLE = ("200072015", "200073096", "200046977", "200066637")


@pytest.mark.parametrize("siren", SAMPLE)
def test_one_epci_cut_gives_what_the_whole_table_gives(siren):
    df = store.communes()
    rows = territoire_tables.epci_table(siren)
    assert sorted(rows["code_insee"]) == sorted(df.loc[df["epci_siren"] == siren,
                                                        "code_insee"])
    assert list(rows.columns) == list(df.columns)
    assert same(tv.cached_facts(siren), officiel.epci_facts(df, siren))
    facts = officiel.commune_facts(df, siren)
    shares = data.commune_shares(df, siren)
    expected = shares.drop(columns=[c for c in facts.columns if c != "code_insee"],
                           errors="ignore").merge(facts, on="code_insee", how="left")
    expected = expected.astype({c: "str" for c in precomputed.TEXT_FACTS})  # None: NaN
    pd.testing.assert_frame_equal(tv.cached_commune_shares(siren), expected)
    pd.testing.assert_frame_equal(
        tv.cached_milestones(siren),
        officiel.with_pvd(data.milestones(df, siren), officiel.pvd_milestones(df, siren)))
    assert tv.programme_rows(siren) == data.programme_display(officiel.with_pvd_columns(
        data.programme_communes(df, siren), officiel.pvd_columns(df, siren)))


def test_the_indexed_geometry_of_every_epci_is_the_scanned_subset():
    layer = store.geojson("communes")
    for siren in sorted(store.communes()["epci_siren"].dropna().unique()):
        codes = tv.cached_commune_shares(siren)["code_insee"].tolist()
        assert tv.cached_geometry(siren) == data.geometry_subset(layer, codes), siren
    # Neussargues en Pinatelle (15141), split: its pieces share the former commune's
    # feature, drawn once on the map of their EPCI
    hautes_terres = tv.cached_geometry("200066637")["features"]
    assert [f["id"] for f in hautes_terres].count("15141") == 1


def test_known_answers_of_one_epci_cut():
    rows = territoire_tables.epci_table("200072015")
    assert len(rows) == 29 and set(rows["epci_nom"]) == {"CA Annonay Rhône Agglo"}
    with pytest.raises(UnknownCode):
        territoire_tables.epci_table("999999999")


@pytest.mark.parametrize("siren", SAMPLE)
def test_landlord_rows_by_position_are_the_rows_of_the_epci_communes(siren):
    frame = store.engagements().frame
    rows, scoped = territoire_tables._landlord_scope(siren, frame)
    expected = frame[frame["code_insee"].isin(rows["code_insee"])]
    pd.testing.assert_frame_equal(scoped, expected)


def test_landlord_positions_follow_a_replaced_landlord_table():
    frame = store.engagements().frame
    annonay = set(territoire_tables.epci_table("200072015")["code_insee"])
    _, before = territoire_tables._landlord_scope("200072015", frame)
    assert len(before) == frame["code_insee"].isin(annonay).sum() > 0
    other = frame[~frame["code_insee"].isin(annonay)].reset_index(drop=True)
    _, after = territoire_tables._landlord_scope("200072015", other)
    assert after.empty  # a new frame: positions computed again, not reused


def test_memoised_lookups_equal_the_table_and_cannot_be_changed_by_a_caller():
    df = store.communes()
    names = territories.epci_names()
    assert names == territories.epci_names(df)
    assert territories.epci_options() == territories.epci_options(df)
    assert territories.epci_options(departement="07") == territories.epci_options(
        df, departement="07")
    assert territories.commune_options("200072015") == territories.commune_options(
        "200072015", df)
    assert territories.departement_names() == territories.departement_names(df)
    assert territories.commune_index().at["07010", "nom"] == "Annonay"
    names["200072015"] = "changé"
    territories.epci_options()[0]["label"] = "changé"
    assert territories.epci_names()["200072015"] == "CA Annonay Rhône Agglo"
    assert territories.epci_options()[0]["label"] != "changé"


def test_engaged_landlords_of_every_department_and_region_equal_the_plain_count():
    df = store.communes()
    frame = store.engagements().frame
    counts = territoire_tables._engaged_everywhere(frame)
    departements = {*df["departement"].dropna(), "69D", "69M"}
    assert {code for column, code in counts if column == "departement"} == departements
    for (column, code), n in counts.items():
        rows = (data.departement_rows(df, code) if column == "departement"
                else df[df[column] == code])
        assert n == data.engaged_landlords(frame, rows), (column, code)
        assert territoire_tables._engaged_in(column, code) == n
    assert counts[("region", "84")] > 0


# (EPCI, commune, compared EPCI): a commune highlighted, a comparison
VIEWS = [(s, None, ()) for s in SAMPLE] + [
    ("200072015", "07010", ("200073096", "200046977")), ("200046977", "69123", ()),
    ("200072015", "07013", ())]  # Ardoix, in no programme: its nearest programme communes


def _profile_json(siren: str, commune: str | None = None, compare: tuple = ()) -> str:
    content = territoire_profil.profile_content(siren, commune, compare)
    return json.dumps(content, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)


def test_the_profile_is_the_same_with_and_without_precomputed_slices(
        tmp_path: Path, monkeypatch):
    assert precomputed.tables() is not None
    with_slices = {v: _profile_json(*v) for v in VIEWS}
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    here = config.tables_dir()
    for name in (build.COMMUNES_FILE, build.OUTSIDE_FILE, build.GEO_DIR):
        (data_dir / name).symlink_to(here / name)
    (data_dir / "demo").symlink_to(config.data_dir() / "demo")
    monkeypatch.setenv("AURA_DATA_DIR", str(data_dir))  # resets the store (conftest.py)
    assert precomputed.tables() is None
    for view in VIEWS:
        assert _profile_json(*view) == with_slices[view], view
