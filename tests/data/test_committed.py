"""What is committed under data/ is what the project's own commands produce."""

from __future__ import annotations

from pathlib import Path

from dashboard import config
from dashboard.data import bailleurs, build, docs, store
from dashboard.data.schema import check_frame, commune_contract

DATA = config.ROOT / "data"


def test_committed_tables_are_the_build_of_data_raw(tmp_path: Path):
    raw = DATA / "raw"
    ref = store.epci_reference(raw)
    build.build(raw, tmp_path, region="84",
                validate=lambda df: check_frame(df, commune_contract(ref)), echo=lambda s: None)
    for name in (build.COMMUNES_FILE, build.BUILD_INFO_FILE, "geo/epci.geojson",
                 "geo/communes.geojson"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), (
            f"data/{name} is stale: run `make data`")


def test_schema_doc_is_up_to_date():
    assert (DATA / "SCHEMA.md").read_text("utf-8") == docs.schema_markdown(), (
        "data/SCHEMA.md is stale: run `python -m dashboard.data schema-doc`")


def test_map_layer_is_light_enough_for_the_web():
    assert (DATA / "geo/epci.geojson").stat().st_size < 350_000


def test_committed_demo_file_is_valid_and_flagged():
    frame, problems = bailleurs.read_engagements(bailleurs.demo_path(), store.communes())
    assert problems == []
    assert bailleurs.is_demonstration(frame)
