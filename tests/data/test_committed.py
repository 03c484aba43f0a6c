"""What is committed under data/ is what the project's own commands produce."""

from __future__ import annotations

import json
from pathlib import Path

from dashboard import config
from dashboard.data import atomic, bailleurs, build, docs, geo, precomputed, store
from dashboard.data.schema import check_frame, commune_contract

DATA = config.ROOT / "data"
SERVED = atomic.served_dir(DATA)
OUTPUTS = (build.COMMUNES_FILE, build.OUTSIDE_FILE, build.BUILD_INFO_FILE, "geo/epci.geojson",
           "geo/communes.geojson", *(f"{precomputed.DIR}/{name}" for name in precomputed.FILES))


def test_committed_tables_are_the_build_of_data_raw(tmp_path: Path):
    raw = DATA / "raw"
    ref = store.epci_reference(raw)
    build.build(raw, tmp_path, region="84",
                validate=lambda df: check_frame(df, commune_contract(ref)), echo=lambda s: None)
    rebuilt = atomic.served_dir(tmp_path)
    for name in OUTPUTS:
        assert (rebuilt / name).read_bytes() == (SERVED / name).read_bytes(), (
            f"data/{name} is stale: run `make data`")
    # same content, same version name: the committed pointer is the one a rebuild writes
    assert (tmp_path / atomic.POINTER).read_text() == (DATA / atomic.POINTER).read_text()


def test_committed_data_is_one_version_and_nothing_else():
    """The pointer names the only version folder; no flat copy, no temporary left."""
    assert SERVED.parent == DATA / atomic.VERSIONS_DIR
    assert [p.name for p in (DATA / atomic.VERSIONS_DIR).iterdir()] == [SERVED.name]
    assert sorted(p.relative_to(SERVED).as_posix() for p in SERVED.rglob("*")
                  if p.is_file()) == sorted(OUTPUTS)
    assert atomic.folder_digest(SERVED) == SERVED.name
    for name in OUTPUTS:
        assert not (DATA / name).exists(), f"stray flat copy data/{name}"
    assert not list(DATA.glob(".current.tmp-*"))


def test_every_commune_and_epci_of_the_table_is_drawn():
    table = store.load_communes(SERVED / build.COMMUNES_FILE)
    com = json.loads((SERVED / "geo/communes.geojson").read_text("utf-8"))
    epci = json.loads((SERVED / "geo/epci.geojson").read_text("utf-8"))
    assert geo.check_commune_layer(com, set(table["code_insee"])) == []
    assert geo.check_epci_layer(epci, set(table["epci_siren"].dropna())) == []
    assert all(f["geometry"] for f in com["features"] + epci["features"])


def test_schema_doc_is_up_to_date():
    assert (DATA / "SCHEMA.md").read_text("utf-8") == docs.schema_markdown(), (
        "data/SCHEMA.md is stale: run `python -m dashboard.data schema-doc`")


def test_map_layer_is_light_enough_for_the_web():
    assert (SERVED / "geo/epci.geojson").stat().st_size < 350_000


def test_committed_demo_file_is_valid_and_flagged():
    frame, problems = bailleurs.read_engagements(bailleurs.demo_path(), store.communes())
    assert problems == []
    assert bailleurs.is_demonstration(frame)


def test_committed_table_carries_the_official_facts_of_issue_9():
    """Known answers of issue 9 on the committed table (region 84)."""
    t = store.load_communes(SERVED / build.COMMUNES_FILE)
    assert int(t["sru_soumise"].sum()) == 288
    assert int(t["pvd_2024"].sum()) == 226
    assert int(t["villages_avenir"].sum()) == 315
    assert int((t["qpv_2024"] > 0).sum()) == 82
    assert len({q for codes in t["qpv_2024_codes"].dropna() for q in codes.split(",")}) == 145
    # census denominator: every commune measured, the split Neussargues counted once
    split = t[t["recensement_ancienne_commune"].notna()]
    assert sorted(split["code_insee"]) == ["15031", "15035", "15047", "15141", "15171"]
    assert split["rp_recensement_2021"].isna().all()
    census = t["rp_recensement_2021"].sum() + split["rp_recensement_ancienne_commune"].iloc[0]
    assert t.loc[t["code_insee"] == "69123", "rp_recensement_2021"].item() == 270_970
    assert (t["recensement_statut"] == "absent du recensement").sum() == 0
    assert int(t["logements_sociaux"].sum()) == 604_470
    assert round(100 * 604_470 / census, 2) == 16.43
