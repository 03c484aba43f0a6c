"""A Celery worker app for the tests: the real `dashboard.jobs` app (every background
callback of the Dash app registered as a task), with a fake renderer so that an
export takes a known, short time: `celery -A tests.jobs.fake_worker worker`.

Only the tests import this module. `AURA_TEST_RENDER_DELAY` (seconds per image) is
read here and nowhere else.
"""

from __future__ import annotations

import os

from dashboard import jobs
from dashboard.export import png
from tests.jobs.fakes import fake_render

DELAY = float(os.environ.get("AURA_TEST_RENDER_DELAY", "0.2"))


def slow_render(fig, width=960, height=540, scale=2) -> bytes:
    """The tests' fake renderer, `DELAY` seconds per image."""
    return fake_render(fig, width, height, scale, delay=DELAY)


png.render_png = slow_render
app = jobs.celery  # builds the Dash app first: its background callbacks become tasks
