"""Stand-ins shared by the export tests (tests/export, tests/jobs, the Celery test
worker): a renderer that draws no chart and a job store in memory."""

from __future__ import annotations

import io
import time

from PIL import Image


def fake_render(fig, width: int = 960, height: int = 540, scale: float = 2,
                delay: float = 0.0) -> bytes:
    """A small white PNG (16 × 9 pixels) in place of the chart, after `delay` seconds."""
    if delay:
        time.sleep(delay)
    buffer = io.BytesIO()
    Image.new("RGB", (16, 9), "white").save(buffer, "PNG")
    return buffer.getvalue()


class MemoryStore:
    """The job store as a dict (the real one is diskcache or Redis)."""

    def __init__(self):
        self.values: dict = {}

    def get(self, key):
        return self.values.get(key)

    def set(self, key, value, expire=0):
        self.values[key] = value
