"""Shared set-up of the browser tests (dash.testing's `dash_duo`, `pytest --headless`,
under the lock: `flock /tmp/aura-browser.lock ...`).

- every `dash_duo` test starts with a desktop window (`DESKTOP`, 1366 × 768); a test
  that needs another size asks the `window` fixture by name (`window("phone")`, one
  of `WINDOWS`);
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
WINDOWS = {
    "desktop": (1366, 768),    # a meeting-room laptop: the default
    "tall": (1366, 900),       # a taller desktop window
    "phone": (390, 844),
    "projector": (1920, 1200),  # 1920 × 1080 once the browser's frame is counted
}
DESKTOP = WINDOWS["desktop"]


@pytest.fixture(autouse=True)
def desktop_window(request) -> None:
    """A 1366 × 768 window for every test that uses the browser."""
    if "dash_duo" in request.fixturenames:
        request.getfixturevalue("dash_duo").driver.set_window_size(*DESKTOP)


@pytest.fixture
def window(dash_duo) -> Callable[[str], None]:
    """`window("phone")`: resize this test's browser to one of `WINDOWS`."""

    def resize(name: str) -> None:
        dash_duo.driver.set_window_size(*WINDOWS[name])

    return resize


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
