from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.data import build, store
from dashboard.data.schema import check_frame, commune_contract

from .rawfixture import write_raw


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    return write_raw(tmp_path / "raw")


def validator(raw: Path):
    ref = store.epci_reference(raw)
    return lambda df: check_frame(df, commune_contract(ref))


@pytest.fixture
def built(raw_dir: Path, tmp_path: Path) -> Path:
    """The fixture raw folder built into tmp_path/out (region 84)."""
    out = tmp_path / "out"
    build.build(raw_dir, out, region="84", validate=validator(raw_dir), echo=lambda s: None)
    return out
