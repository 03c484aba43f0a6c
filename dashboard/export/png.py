"""Server-side PNG rendering with kaleido and Debian's Chromium.

One persistent kaleido renderer per process, started on first use (so that
gunicorn workers each start their own after the fork), guarded by a lock
because it is not safe for concurrent callers. The page kaleido renders
loads the project's French plotly locale (with charset utf-8, or accents
break) and no MathJax from a CDN: nothing is fetched from the internet.
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading
from pathlib import Path

import plotly.graph_objects as go

from .. import config
from ..figures.common import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH

LOCALE_SCRIPTS = (
    config.ROOT / "assets" / "plotly-locale-fr.js",
    Path(__file__).with_name("kaleido-locale-fr.js"),
)
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
_lock = threading.Lock()
_started = False


class ExportUnavailable(RuntimeError):
    """The server cannot render PNG files (message in French)."""


def chromium_path() -> str | None:
    """The browser kaleido will use: BROWSER_PATH, else Chromium on the PATH."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


MISSING_BROWSER = ("L'export des graphiques en PNG sur le serveur est indisponible : Chromium "
                   "n'est pas installé sur le serveur (paquet Debian « chromium »). Le bouton "
                   "« Télécharger le graphique en PNG » de chaque graphique reste utilisable.")


def _start() -> None:
    global _started
    import kaleido

    path = chromium_path()
    if path is None:
        raise ExportUnavailable(MISSING_BROWSER)
    os.environ.setdefault("BROWSER_PATH", path)
    page = kaleido.PageGenerator(mathjax=False,
                                 others=[(p.as_uri(), "utf-8") for p in LOCALE_SCRIPTS])
    kaleido.start_sync_server(n=1, timeout=config.RENDER_TIMEOUT, page_generator=page,
                              silence_warnings=True)
    _started = True
    atexit.register(stop)


def start() -> None:
    """Start this process's renderer now rather than at the first export (raises
    `ExportUnavailable` without Chromium). The renderer runs in threads of its own:
    start it from a long-lived thread (a request thread is fine; a thread that is
    killed later, like dash.testing's server thread, takes the renderer with it)."""
    with _lock:
        if not _started:
            _start()


def stop() -> None:
    """Stop this process's renderer (it restarts on next use)."""
    global _started
    if _started:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
        _started = False


def render_png(fig: go.Figure | dict, width: int = EXPORT_WIDTH, height: int = EXPORT_HEIGHT,
               scale: float = EXPORT_SCALE) -> bytes:
    """The figure as PNG bytes (default 960×540 at scale 2: 1920×1080 pixels)."""
    import kaleido

    opts = {"format": "png", "width": width, "height": height, "scale": scale}
    with _lock:
        try:
            if not _started:
                _start()
            return kaleido.calc_fig_sync(fig, opts=opts)
        except ExportUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - any renderer failure: one French message
            stop()
            if chromium_path() is None:
                raise ExportUnavailable(MISSING_BROWSER) from None
            raise ExportUnavailable(
                "Le rendu PNG a échoué sur le serveur "
                f"({type(exc).__name__}). Réessayez ; si le problème persiste, utilisez le "
                "bouton « Télécharger le graphique en PNG » de chaque graphique.") from None
