"""The build's per-EPCI slices (data/precomputed/) give what the live computation gives."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard import config
from dashboard.data import bailleurs, build, contexte, precomputed, store
from dashboard.data import territoire as profile
from dashboard.data import territoire_officiel as officiel
from dashboard.data.atomic import served_dir
from dashboard.views import territoire as tv

# Annonay (ACV), Arche Agglo (two departments), Beaujolais Pierres Dorées and Hautes
# Terres (communes without geometry), Métropole de Lyon, and the first/last codes.
SAMPLE = ("200072015", "200073096", "200040574", "200066637", "200046977")


def same(a: object, b: object) -> bool:
    """Equality where NaN equals NaN (profiles hold NaN rates)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def sample_codes() -> list[str]:
    codes = sorted(store.communes()["epci_siren"].dropna().unique())
    return sorted({*SAMPLE, codes[0], codes[-1]} & set(codes))


def test_the_committed_slices_belong_to_the_committed_table():
    tables = precomputed.tables()
    assert tables is not None
    assert tables.labels is not None
    assert set(tables.profiles) == set(store.communes()["epci_siren"].dropna())


@pytest.mark.parametrize("siren", sample_codes())
def test_slices_equal_the_live_computation(siren):
    df = store.communes()
    tables = precomputed.tables()
    assert same(tables.profiles[siren],
                profile.epci_profile(df, siren, store.communes_hors_region()))
    # the shares are merged with the communes' official facts, as the view uses them
    facts = officiel.commune_facts(df, siren)
    expected = profile.commune_shares(df, siren).drop(
        columns=[c for c in facts.columns if c != "code_insee"], errors="ignore").merge(
        facts, on="code_insee", how="left")
    expected = expected.astype({c: "str" for c in precomputed.TEXT_FACTS})  # None: NaN
    pd.testing.assert_frame_equal(tables.shares.get(siren), expected)
    pd.testing.assert_frame_equal(tables.shares.get(siren), precomputed.shares_with_facts(
        profile.commune_shares(df, siren), df, siren))
    pd.testing.assert_frame_equal(tables.programmes.get(siren),
                                  profile.programme_communes(df, siren))
    pd.testing.assert_frame_equal(tables.milestones.get(siren), profile.milestones(df, siren))
    shares = profile.commune_shares(df, siren)
    layer = profile.geometry_subset(store.geojson("communes"), shares["code_insee"].tolist())
    pd.testing.assert_frame_equal(tables.labels.get(siren),
                                  profile.label_points(layer, profile.labelled_communes(shares)))
    assert same(tables.facts[siren], officiel.epci_facts(df, siren, store.communes_hors_region()))
    assert tables.programme_rows[siren] == profile.programme_display(officiel.with_pvd_columns(
        profile.programme_communes(df, siren), officiel.pvd_columns(df, siren)))
    pd.testing.assert_frame_equal(tables.timeline.get(siren), officiel.with_pvd(
        profile.milestones(df, siren), officiel.pvd_milestones(df, siren)))
    p = tables.profiles[siren]
    place, context = tables.contexts[siren]
    assert place == (p["departement"], p["region"])
    assert same(context, contexte.context(
        siren, contexte.region_tables(df, store.communes_hors_region(), p["region"]),
        contexte.departement_tables(df, p["departement"])))


def test_known_answers_of_the_official_slices():
    tables = precomputed.tables()
    facts = tables.facts["200072015"]  # CA Annonay Rhône Agglo
    assert facts["population_2021"] == sum(
        int(v) for v in store.communes().loc[
            store.communes()["epci_siren"] == "200072015", "population_2021"].dropna())
    rows = tables.programme_rows["200072015"]
    assert "Annonay" in [r["commune"] for r in rows]
    timeline = tables.timeline.get("200072015")
    assert timeline["date"].is_monotonic_increasing
    assert timeline["programme"].tolist().count("ACV") == 1


def test_slices_of_an_older_build_without_official_slices_are_still_used(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(config.tables_dir() / precomputed.DIR, data / precomputed.DIR)
    (data / precomputed.DIR / precomputed.TIMELINE_FILE).unlink()
    meta_path = data / precomputed.DIR / precomputed.PROFILES_FILE
    meta = json.loads(meta_path.read_text("utf-8"))
    del meta["facts"], meta["programme_rows"]
    meta_path.write_text(json.dumps(meta), "utf-8")
    table = (config.tables_dir() / build.COMMUNES_FILE).read_bytes()
    tables = precomputed.read(data, table, None)
    assert tables is not None and tables.profiles
    assert tables.facts is None and tables.programme_rows is None and tables.timeline is None


def test_known_answers_from_the_slices():
    store.reset()
    p = tv.cached_profile("200072015")
    assert p["nom"] == "CA Annonay Rhône Agglo" and p["epci"]["nb_communes"] == 29
    shares = tv.cached_commune_shares("200072015")
    assert len(shares) == 29 and list(shares.index) == list(range(29))
    annonay = shares.set_index("code_insee").loc["07010"]
    assert annonay["nom"] == "Annonay" and bool(annonay["sru_soumise"])
    assert shares["taux_logements_sociaux"].is_monotonic_decreasing
    assert tv.cached_milestones("200072015")["programme"].tolist().count("ACV") == 1


@pytest.mark.parametrize("siren", sample_codes())
def test_landlord_figures_equal_the_full_computation(siren):
    store.reset()
    frame = store.engagements_table()
    df = store.communes()
    assert same(tv.cached_engagement(siren), profile.engagement_profile(frame, df, siren))
    pd.testing.assert_frame_equal(tv.cached_matrix(siren),
                                  bailleurs.matrix(frame, df, siren))


def test_slices_of_another_table_are_ignored(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(config.tables_dir() / precomputed.DIR, data / precomputed.DIR)
    table = (config.tables_dir() / build.COMMUNES_FILE).read_bytes()
    assert precomputed.read(data, table, None) is not None
    assert precomputed.read(data, table + b"x", None) is None  # another table: live
    assert precomputed.read(data, table, b"{}").labels is None  # another map layer
    meta = data / precomputed.DIR / precomputed.PROFILES_FILE
    meta.write_text("{not json", "utf-8")
    assert precomputed.read(data, table, None) is None
    assert precomputed.read(tmp_path / "nowhere", table, None) is None


def test_the_app_computes_live_without_slices(tmp_path: Path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    here = config.tables_dir()
    for name in (build.COMMUNES_FILE, build.GEO_DIR):
        (data / name).symlink_to(here / name)
    (data / "demo").symlink_to(config.data_dir() / "demo")
    monkeypatch.setenv("AURA_DATA_DIR", str(data))  # resets the store (tests/conftest.py)
    assert precomputed.tables() is None
    p = tv.cached_profile("200072015")
    assert p["epci"]["nb_communes"] == 29
    assert len(tv.cached_labels("200072015")) >= 1


def test_the_build_writes_slices_for_its_table(built: Path):
    built = served_dir(built)
    tables = precomputed.read(built, (built / build.COMMUNES_FILE).read_bytes(),
                              (built / build.GEO_DIR / build.GEO_COMMUNES_FILE).read_bytes())
    assert tables is not None and tables.labels is not None
    df = pd.read_parquet(built / build.COMMUNES_FILE)
    for siren in sorted(df["epci_siren"].dropna().unique()):
        assert tables.profiles[siren]["epci"]["nb_communes"] == int(
            (df["epci_siren"] == siren).sum())
        assert sorted(tables.shares.get(siren)["code_insee"]) == sorted(
            df.loc[df["epci_siren"] == siren, "code_insee"])
    meta = json.loads((built / precomputed.DIR / precomputed.PROFILES_FILE).read_text("utf-8"))
    assert meta["version"] == precomputed.VERSION


def test_known_answers_of_the_precomputed_contexts():
    df = store.communes()
    place, ctx = precomputed.tables().contexts["200072015"]  # CA Annonay, in Ardèche
    assert place == ("07", "84")
    mine, ardeche = df[df["epci_siren"] == "200072015"], df[df["departement"] == "07"]
    assert ctx.departement["population"] == (mine["population"].sum(),
                                             ardeche["population"].sum())
    assert ctx.region["logements_sociaux"] == (mine["logements_sociaux"].sum(),
                                               df["logements_sociaux"].sum())
    assert list(ctx.departement) == list(contexte.COUNT_KEYS)  # the live order
    assert list(ctx.ranks) == list(contexte.RANK_KEYS)
    assert ctx.ranks["population"].total == df["epci_siren"].nunique()


def test_a_context_survives_its_record():
    ctx = contexte.Context({"population": contexte.Part(1.0, 4.0)},
                           {"population": contexte.Part(1.0, 9.5)},
                           {"population": contexte.Rank(None, 3)})
    back = contexte.from_record(json.loads(json.dumps(contexte.as_record(ctx))))
    assert back == ctx and isinstance(back.ranks["population"], contexte.Rank)


def test_the_precomputed_centroids_are_the_layer_s_centroids():
    from dashboard.data import proximite

    centroids = precomputed.tables().centroids
    pd.testing.assert_frame_equal(centroids, proximite.centroids(store.geojson("communes")))
    assert len(centroids) >= store.communes()["code_insee"].nunique() - 5
    # Annonay (07010) lies near 4.67° E, 45.24° N
    assert abs(centroids.at["07010", "lon"] - 4.67) < 0.05
    assert abs(centroids.at["07010", "lat"] - 45.24) < 0.05
