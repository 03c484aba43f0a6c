"""Exports of the territory profile in headless Chromium (`pytest --headless`).

One test (about 8 s): the French toolbar label, the print stylesheet (computed
styles under the print media: navigation hidden, print header shown, charts
within the A4 width, back to normal after printing) and the ZIP button (a real
download of every chart rendered on the server).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from dash.testing.wait import until

ANNONAY = "200072015"
STYLE = ("var e = document.querySelector(arguments[0]);"
         "return e ? getComputedStyle(e)[arguments[1]] : null;")


@pytest.fixture(scope="module")
def dashboard_app():
    import app

    return app.app


@pytest.fixture(scope="module")
def renderer():
    """The kaleido renderer started in the test's own thread: dash.testing kills every
    thread started after its server thread when it stops the server, and a renderer
    started by a request would lose its threads (and hang the process at exit)."""
    from dashboard.export import png

    png.start()
    return png


def _style(dash_duo, selector: str, prop: str) -> str | None:
    return dash_duo.driver.execute_script(STYLE, selector, prop)


def _graph_widths(dash_duo) -> list[float]:
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#territoire-profil .js-plotly-plot'))"
        ".map(g => g.getBoundingClientRect().width);")


def test_print_stylesheet_and_zip_download(dash_duo, dashboard_app, renderer):
    dash_duo.driver.set_window_size(1366, 900)
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/territoire?epci={ANNONAY}", timeout=20)
    until(lambda: len(dash_duo.find_elements("#territoire-profil .js-plotly-plot .main-svg"))
          >= 8, timeout=20, msg="charts not drawn")
    # French label of the toolbar's PNG button.
    assert dash_duo.find_elements(
        "#territoire-graph-parts .modebar-btn[data-title='Télécharger le graphique en PNG']")

    # Print media: no navigation chrome, a print header, charts within the A4 width.
    assert _style(dash_duo, ".print-header", "display") == "none"
    assert max(_graph_widths(dash_duo)) > 700
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert _style(dash_duo, ".site-header", "display") == "none"
    assert _style(dash_duo, ".territoire-picker", "display") == "none"
    assert _style(dash_duo, ".territoire-actions", "display") == "none"
    assert _style(dash_duo, ".print-header", "display") == "block"
    assert _style(dash_duo, ".site-footer", "display") != "none"  # the sources stay
    assert _style(dash_duo, "#territoire-graph-parts", "display") != "none"
    assert _style(dash_duo, ".chart-card", "breakInside") == "avoid"
    assert _style(dash_duo, ".kpi-card", "breakInside") == "avoid"
    page_width = dash_duo.driver.execute_script(
        "return document.querySelector('#territoire-profil').getBoundingClientRect().width")
    assert page_width <= 704  # 186 mm: A4 less 12 mm margins
    until(lambda: max(_graph_widths(dash_duo)) <= page_width + 1, timeout=5,
          msg="charts wider than the printed page")
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    until(lambda: max(_graph_widths(dash_duo)) > 700, timeout=10,
          msg="charts did not take their width back after printing")
    assert _style(dash_duo, ".site-header", "display") != "none"

    # One click: a ZIP of every chart of the profile, rendered on the server.
    dash_duo.find_element("#territoire-export-zip").click()
    folder = Path(dash_duo.download_path)
    until(lambda: [p for p in folder.glob("*.zip")], timeout=30, msg="no ZIP downloaded")
    (path,) = folder.glob("*.zip")
    assert path.name.startswith("graphiques_ca-annonay-rhone-agglo_")
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zf:
        pngs = [n for n in zf.namelist() if n.endswith(".png")]
    assert len(pngs) >= 5 and any("carte-taux-logements-sociaux_" in n for n in pngs)
    dash_duo.wait_for_contains_text("#territoire-export-message", "images PNG", timeout=10)
    until(lambda: dash_duo.find_element("#territoire-export-zip").is_enabled(), timeout=5)
    assert dash_duo.get_logs() == []
