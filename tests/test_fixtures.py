"""The shared fixtures of tests/conftest.py: pointing the app at other data resets the
data store (during the test and after it)."""

from __future__ import annotations

from dashboard import config
from dashboard.data import store


@store.memo(maxsize=None)
def _probe() -> object:
    """A cached value: a new object after each `store.reset()`."""
    return object()


def test_other_data_dir_resets_the_store_then_and_after(monkeypatch, tmp_path):
    before = _probe()
    monkeypatch.setenv("AURA_JOBS_DIR", str(tmp_path))  # not data: caches kept
    assert _probe() is before
    monkeypatch.setenv("AURA_DATA_DIR", str(tmp_path))
    during = _probe()
    assert during is not before
    assert config.data_dir() == tmp_path
    monkeypatch.undo()
    assert _probe() is not during
    assert config.data_dir() != tmp_path


def test_patched_config_function_resets_the_store(monkeypatch, tmp_path):
    before = _probe()
    monkeypatch.setattr(config, "raw_dir", lambda: tmp_path)
    assert _probe() is not before
    monkeypatch.delenv("AURA_RAW_DIR", raising=False)  # unchanged: no reset
    during = _probe()
    assert _probe() is during
