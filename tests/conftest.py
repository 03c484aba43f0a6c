"""Fixtures shared by every test directory.

- `app_module`, `dashboard_app`, `client`: the real app (`app.py`, real tables), its
  page modules registered in `dash.page_registry`, and a Flask test client. One app
  per test process (Dash's page registry is global to the process).
- Fresh data: whenever a test points the app at other data (`monkeypatch.setenv` of
  AURA_DATA_DIR / AURA_RAW_DIR, or `monkeypatch.setattr` of `config.data_dir`,
  `config.raw_dir` or `config.tables_dir`), `store.reset()` runs right after the
  change and again once it is undone: no cache of one data folder is seen by a test
  of another one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from dashboard import config
from dashboard.data import store

DATA_ENV = ("AURA_DATA_DIR", "AURA_RAW_DIR")
"""Environment variables that point the app at other data (`dashboard.config`)."""
DATA_FUNCTIONS = ("data_dir", "raw_dir", "tables_dir")
"""Functions of `dashboard.config` that locate the data."""


def data_state() -> tuple:
    """Everything that decides which data the app reads."""
    return (tuple(os.environ.get(name) for name in DATA_ENV),
            tuple(getattr(config, name) for name in DATA_FUNCTIONS))


class DataAwareMonkeyPatch(pytest.MonkeyPatch):
    """`pytest.MonkeyPatch` that calls `store.reset()` when a change points the app at
    other data, and again after undoing it."""

    changed_data = False

    def _after(self, before: tuple) -> None:
        if data_state() != before:
            self.changed_data = True
            store.reset()

    def setenv(self, name: str, value: str, prepend: str | None = None) -> None:
        before = data_state()
        super().setenv(name, value, prepend)
        self._after(before)

    def delenv(self, name: str, raising: bool = True) -> None:
        before = data_state()
        super().delenv(name, raising)
        self._after(before)

    def setattr(self, *args, **kwargs) -> None:  # noqa: D102 (same as MonkeyPatch's)
        before = data_state()
        super().setattr(*args, **kwargs)
        self._after(before)

    def undo(self) -> None:
        super().undo()
        if self.changed_data:
            self.changed_data = False
            store.reset()


@pytest.fixture
def monkeypatch() -> Iterator[DataAwareMonkeyPatch]:
    """pytest's `monkeypatch`, resetting the data store when the data moves."""
    patch = DataAwareMonkeyPatch()
    yield patch
    patch.undo()


@pytest.fixture(autouse=True)
def fresh_data() -> Iterator[None]:
    """Reset the data store after a test that left the app pointed at other data
    (for instance by writing to `os.environ` itself, without `monkeypatch`)."""
    before = data_state()
    yield
    if data_state() != before:
        store.reset()


@pytest.fixture(scope="session")
def app_module():
    """The `app` module: the dashboard built from the real tables, pages registered."""
    import app

    return app


@pytest.fixture(scope="session")
def dashboard_app(app_module):
    """The dashboard's Dash app (`app.app`)."""
    return app_module.app


@pytest.fixture(scope="session")
def client(dashboard_app):
    """Flask test client of the dashboard (the page router is registered by the
    first request)."""
    client = dashboard_app.server.test_client()
    assert client.get("/").status_code == 200
    return client
