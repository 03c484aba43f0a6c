"""The data layer reads every served file from one version and checks the map layers
against the commune table (what the start-up check relies on)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dashboard import config
from dashboard.data import atomic, store
from dashboard.data.schema import TableError

SERVED = atomic.served_dir(config.ROOT / "data")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A flat copy of the served files in AURA_DATA_DIR."""
    d = tmp_path / "data"
    shutil.copytree(SERVED, d)
    (d / "raw").mkdir()
    shutil.copy(config.ROOT / "data" / "raw" / "ref_epci_2026.csv", d / "raw")
    monkeypatch.setenv("AURA_DATA_DIR", str(d))  # resets the store (tests/conftest.py)
    return d


def _edit_layer(path: Path, edit) -> None:
    data = json.loads(path.read_text("utf-8"))
    edit(data)
    path.write_text(json.dumps(data), "utf-8")


def test_a_valid_copy_loads(data_dir: Path):
    store.load_all()
    assert store.tables_dir() == data_dir  # flat layout: read as it is


def test_a_commune_missing_from_the_layer_is_refused(data_dir: Path):
    _edit_layer(data_dir / "geo/communes.geojson",
                lambda d: d.update(features=[f for f in d["features"] if f["id"] != "69114"]))
    with pytest.raises(TableError) as err:
        store.load_all()
    assert "communes.geojson n'est pas valide" in err.value.message()
    assert "1 commune de la table sans contour sur la carte : 69114" in err.value.message()


def test_the_split_communes_mapping_is_what_keeps_them_drawn(data_dir: Path):
    def forget_pieces(d):
        for f in d["features"]:
            f["properties"].pop("communes", None)

    _edit_layer(data_dir / "geo/communes.geojson", forget_pieces)
    with pytest.raises(TableError, match="15031, 15035, 15047, 15171"):
        store.load_all()


def test_an_epci_without_geometry_is_refused(data_dir: Path):
    def drop_geometry(d):
        d["features"][0]["geometry"] = None

    _edit_layer(data_dir / "geo/epci.geojson", drop_geometry)
    with pytest.raises(TableError, match="sans contour \\(géométrie absente\\)"):
        store.load_all()


def test_a_pointer_to_a_missing_version_is_a_french_error(data_dir: Path):
    (data_dir / atomic.POINTER).write_text("0123456789abcdef\n")
    with pytest.raises(TableError, match="la version 0123456789abcdef désignée par le "
                                         "pointeur est absente"):
        store.load_all()


def test_the_version_is_resolved_once_per_process(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    d = tmp_path / "data"
    files = {p.relative_to(SERVED).as_posix(): p.read_bytes() for p in SERVED.rglob("*")
             if p.is_file()}
    atomic.publish_version(d, {n: (lambda p, b=b: p.write_bytes(b)) for n, b in files.items()})
    (d / "raw").mkdir()
    shutil.copy(config.ROOT / "data" / "raw" / "ref_epci_2026.csv", d / "raw")
    monkeypatch.setenv("AURA_DATA_DIR", str(d))  # resets the store (tests/conftest.py)
    store.load_all()
    first = store.tables_dir()
    assert first.parent == d / "tables"
    (d / atomic.POINTER).write_text("0123456789abcdef\n")  # a switch meanwhile
    assert store.tables_dir() == first
    assert store.geojson_path("epci").parent.parent == first
