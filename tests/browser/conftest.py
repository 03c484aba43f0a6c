"""Shared set-up of the browser tests (dash.testing's `dash_duo`, `pytest --headless`,
under the lock: `flock /tmp/aura-browser.lock ...`).

- every `dash_duo` test starts with a desktop window (`DESKTOP`); a test that needs
  another size sets it itself (`dash_duo.driver.set_window_size(*PHONE)`);
- `artifacts`: the folder screenshots go to (created);
- `wait_text`: waits until an element shows a text, no-break spaces read as plain
  spaces (`tests.layout_tools`, the one set of text helpers);
- `dashboard_app` comes from tests/conftest.py.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import layout_tools

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
DESKTOP = (1366, 768)
PHONE = (390, 844)


@pytest.fixture(autouse=True)
def desktop_window(request) -> None:
    """A 1366 × 768 window for every test that uses the browser."""
    if "dash_duo" in request.fixturenames:
        request.getfixturevalue("dash_duo").driver.set_window_size(*DESKTOP)


@pytest.fixture
def artifacts() -> Path:
    """The folder of the tests' screenshots (artifacts/, created)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def wait_text(dash_duo) -> Callable[..., None]:
    """`wait_text(selector, expected, timeout=20)` for this test's browser
    (`tests.layout_tools.wait_text`)."""
    return functools.partial(layout_tools.wait_text, dash_duo)
