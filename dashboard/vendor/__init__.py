"""plotly.js cut to the dashboard's trace types (built by `make plotly-bundle`).

plotly-aura.min.js: plotly.js with only the trace types the figures use;
plotly-aura.min.js.br: the same, Brotli-compressed once at build time;
plotly-aura.json: its manifest (plotly.js version, trace types, sha256);
lazy-ag-grid.js: stand-in for dash-ag-grid's JavaScript on pages without a grid;
regenerator-runtime.min.js: the one part of Dash's Babel polyfill its components use;
fflate-zip.min.js: npm's fflate (`zipSync` only), loaded by assets/presentation.js when
a tall chart's slides are downloaded as one ZIP.
The files are committed: serving them needs no Node.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUNDLE = HERE / "plotly-aura.min.js"
BUNDLE_BR = HERE / "plotly-aura.min.js.br"
MANIFEST = HERE / "plotly-aura.json"
LAZY_GRID = HERE / "lazy-ag-grid.js"
"""Stand-in for dash-ag-grid's JavaScript on pages without a grid (app_factory.py)."""
REGENERATOR = HERE / "regenerator-runtime.min.js"
"""npm's regenerator-runtime, minified by `make plotly-bundle`: the global
`regeneratorRuntime` that Dash's bundles call when they load a lazy chunk, served
in place of Dash's whole Babel polyfill (app_factory.py)."""
FFLATE = HERE / "fflate-zip.min.js"
"""npm's fflate, cut to `zipSync` by `make plotly-bundle`: the ZIP writer of
assets/presentation.js (camera of a tall chart), loaded only when needed."""


@functools.cache
def manifest() -> dict:
    """The bundle's manifest: plotly_js_version, trace_types, bytes, sha256."""
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def version() -> str:
    """Short content stamp of the bundle, for its cache-busting URL."""
    return manifest()["sha256"][:16]


@functools.cache
def stamp(path: Path) -> str:
    """Short content stamp of one of the files above, for its cache-busting URL."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def lazy_grid_version() -> str:
    """Short content stamp of lazy-ag-grid.js, for its cache-busting URL."""
    return stamp(LAZY_GRID)


@functools.cache
def bundle_bytes(encoding: str = "identity") -> bytes:
    """The bundle as sent with `Content-Encoding: encoding` ("br", "gzip" or "identity")."""
    if encoding == "br":
        return BUNDLE_BR.read_bytes()
    data = BUNDLE.read_bytes()
    if encoding == "gzip":
        return gzip.compress(data, compresslevel=9, mtime=0)
    return data
