"""Shared fixtures: the dashboard's Flask test client (the real app, real tables)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def dash_app():
    import app

    return app.app


@pytest.fixture(scope="session")
def client(dash_app):
    client = dash_app.server.test_client()
    assert client.get("/").status_code == 200  # registers the pages router
    return client
