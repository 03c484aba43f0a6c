"""The regional view (`/`) in headless Chromium (run with `pytest --headless`)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.a11y import axe_violations
from tests.layout_tools import plain as _text

GRID = "#grille-epci"
MAP = "#carte-epci"
PATHS = f"{MAP} path.choroplethlocation"
BOURG = '.ag-row[row-id="200071751"]'


def _colorbar_title(dash_duo) -> str:
    """The map's colour bar title (read in one step: plotly redraws it)."""
    return dash_duo.driver.execute_script(
        f"const t = document.querySelector('{MAP} .cbtitle'); return t ? t.textContent : '';")


def _downloaded(folder: str, suffix: str, timeout: float = 15) -> Path:
    """The first complete file ending with `suffix` in the browser's download folder."""
    def found():
        files = [p for p in Path(folder).glob(f"*{suffix}") if p.stat().st_size > 0]
        return files[0] if files else None

    until(found, timeout=timeout)
    return found()


def test_regional_map_grid_and_exports(dash_duo, dashboard_app, artifacts):
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)
    dash_duo.wait_for_element(PATHS, timeout=20)
    assert dash_duo.driver.title == "Logement social et revitalisation — AURA-HLM"
    assert dash_duo.driver.find_element("tag name", "html").get_attribute("lang") == "fr"
    dash_duo.wait_for_contains_text("h1", "Auvergne-Rhône-Alpes")

    # One choropleth trace, one shape per EPCI, no basemap tiles.
    trace_types = dash_duo.driver.execute_script(
        f"return document.querySelector('{MAP} .js-plotly-plot').data.map(t => t.type);")
    # Invisible anchor, the map, then department outlines and city names.
    assert trace_types == ["scattergeo", "choropleth", "scattergeo", "scattergeo"]
    assert len(dash_duo.find_elements(PATHS)) == 172
    assert "16,4 %" in _text(dash_duo.find_element(f"{MAP}-resume").text)
    # The official facts (known answers of the summary CLI): legal SRU status and QPV 2024.
    kpis = _text(dash_duo.find_element("#kpi-region").text)
    assert "Communes soumises à la loi SRU" in kpis and "288" in kpis
    assert "Quartiers prioritaires (QPV 2024)" in kpis and "145" in kpis and "82" in kpis
    assert "Villages d'avenir" in kpis and "315" in kpis
    assert axe_violations(dash_duo) == []
    dash_duo.driver.save_screenshot(str(artifacts / "regional-1366.png"))

    # Filter the EPCI column from its floating filter, as a user would.
    box = dash_duo.find_element(f"{GRID} .ag-pinned-left-header .ag-floating-filter input")
    box.send_keys("Bourg-en-Bresse")
    rows = f"{GRID} .ag-pinned-left-cols-container .ag-row"
    until(lambda: len(dash_duo.find_elements(rows)) == 1, timeout=10)
    dash_duo.wait_for_text_to_equal(f"{rows} [col-id='epci_nom']",
                                    "CA du Bassin de Bourg-en-Bresse", timeout=10)
    link = dash_duo.find_element(f"{rows} [col-id='epci_nom'] a")
    assert link.get_attribute("href").endswith("/territoire?epci=200071751")
    share = dash_duo.find_element(f"{GRID} .ag-center-cols-container {BOURG} "
                                  "[col-id='taux_logements_sociaux']")
    assert _text(share.text) == "19,6 %"
    population = dash_duo.find_element(f"{GRID} .ag-center-cols-container {BOURG} "
                                       "[col-id='population']")
    assert _text(population.text) == "137 046"

    # CSV of the filtered rows: BOM, ";", French headers and decimals, source line.
    dash_duo.find_element("#export-csv-epci").click()
    csv_file = _downloaded(dash_duo.download_path, ".csv")
    assert csv_file.name.startswith("classement-epci_auvergne-rhone-alpes_")
    raw = csv_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = [line for line in raw.decode("utf-8-sig").splitlines() if line]
    assert lines[0].split(";")[:2] == ['"Intercommunalité (EPCI)"', '"Type"']
    assert '"Part de logements sociaux (%)"' in lines[0].split(";")
    assert lines[1].startswith('"CA du Bassin de Bourg-en-Bresse";"CA";"01";"137046";')
    assert '"19,6"' in lines[1].split(";")
    assert len(lines) == 3 and lines[2].startswith('"Sources : SDES')

    # Excel of the same rows, built on the server from the grid's rows.
    dash_duo.find_element("#export-xlsx-epci").click()
    xlsx_file = _downloaded(dash_duo.download_path, ".xlsx")
    assert xlsx_file.name.startswith("classement-epci_auvergne-rhone-alpes_")
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx_file.read_bytes()))
    sheet = wb.worksheets[0]
    assert sheet["A1"].value == "Intercommunalité (EPCI)"
    assert sheet["A2"].value == "CA du Bassin de Bourg-en-Bresse"
    assert sheet["A3"].value is None
    assert sheet["A4"].value.startswith("Sources : SDES")
    assert "Source" in wb.sheetnames
    assert dash_duo.get_logs() == []


GEOMETRY_MARK = """
const gd = document.querySelector(arguments[0] + ' .js-plotly-plot');
window.__geometry = gd.data[1].geojson;
const fetched = performance.getEntriesByType('resource')
  .filter(e => e.name.includes('/geo/epci.geojson')).length;
performance.clearResourceTimings();
return [fetched, window.PlotlyGeoAssets[gd.data[1].geojson].features.length];
"""

UPDATE_SIZES = """
return performance.getEntriesByType('resource')
  .filter(e => e.name.includes('_dash-update-component'))
  .map(e => e.decodedBodySize);
"""


def test_indicator_patches_map_and_click_opens_territory(dash_duo, dashboard_app, window,
                                                         artifacts):
    window("phone")
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_element(PATHS, timeout=20)
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)
    dash_duo.driver.save_screenshot(str(artifacts / "regional-390.png"))
    assert "Logements" in _colorbar_title(dash_duo)
    assert dash_duo.driver.execute_script(GEOMETRY_MARK, MAP) == [1, 172]

    # Keyboard: the arrow key moves from the first indicator to the second.
    first = dash_duo.find_element("#indicateur-carte input[type='radio']:checked")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", first)
    first.send_keys(Keys.ARROW_DOWN)
    until(lambda: "Communes en" in _colorbar_title(dash_duo), timeout=10)
    dash_duo.wait_for_contains_text(f"{MAP}-resume", "au moins un programme", timeout=10)
    assert "indicateur=communes-programme" in dash_duo.driver.current_url

    # The geometry stayed in the browser: same layer, not fetched again, and no
    # large response.
    same = dash_duo.driver.execute_script(
        f"return document.querySelector('{MAP} .js-plotly-plot').data[1].geojson "
        "=== window.__geometry;")
    assert same is True
    sizes = dash_duo.driver.execute_script(UPDATE_SIZES)
    assert sizes and max(sizes) < 60_000, sizes
    assert dash_duo.get_logs() == []

    # Clicking an EPCI opens its territory page.
    paths = dash_duo.find_elements(PATHS)
    biggest = max(paths, key=lambda p: p.size["width"] * p.size["height"])
    ActionChains(dash_duo.driver).move_to_element(biggest).click().perform()
    until(lambda: "/territoire?epci=" in dash_duo.driver.current_url, timeout=10)
    siren = dash_duo.driver.current_url.rsplit("epci=", 1)[1]
    assert siren.isdigit() and len(siren) == 9
    # The territory profile of that EPCI is drawn, without a browser error.
    dash_duo.wait_for_element("#territoire-kpi-logement", timeout=30)
    dash_duo.wait_for_element("#territoire-graph-parts .main-svg", timeout=30)
    assert dash_duo.get_logs() == []


PLOT_WITH_FRENCH_LOCALE = """
const done = arguments[arguments.length - 1];
const div = document.createElement('div');
document.body.appendChild(div);
Plotly.newPlot(div,
  [{x: ['2024-01-15', '2024-03-15', '2024-05-15'], y: [1200.5, 2400.25, 1800], type: 'bar'}],
  {width: 600, height: 300},
  {locale: 'fr', displayModeBar: true})
.then(() => {
  const buttons = Array.from(div.querySelectorAll('.modebar-btn'))
    .map(b => b.getAttribute('data-title'));
  const ticks = Array.from(div.querySelectorAll('.xtick text')).map(t => t.textContent);
  done(JSON.stringify({buttons: buttons, ticks: ticks}));
})
.catch(err => done(String(err)));
"""


def test_plotly_french_locale_and_404(dash_duo, dashboard_app):
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)
    dash_duo.wait_for_element(PATHS, timeout=20)

    # plotly.js was loaded lazily for the map: assets/plotly-locale-fr.js must
    # have registered the French locale before it drew anything.
    map_buttons = dash_duo.driver.execute_script(
        f"return Array.from(document.querySelectorAll('{MAP} .modebar-btn'))"
        ".map(b => b.getAttribute('data-title'));")
    assert "Télécharger le graphique en PNG" in map_buttons
    dash_duo.driver.set_script_timeout(30)
    found = json.loads(dash_duo.driver.execute_async_script(PLOT_WITH_FRENCH_LOCALE))
    assert "Télécharger le graphique en PNG" in found["buttons"]
    assert "Réinitialiser les axes" in found["buttons"]
    assert any("mars" in t or "févr." in t or "avr." in t for t in found["ticks"]), found

    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/page-inexistante")
    dash_duo.wait_for_text_to_equal("h1", "Page introuvable", timeout=10)
    assert axe_violations(dash_duo) == []
    dash_duo.find_element("a.btn").click()
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)
    assert dash_duo.get_logs() == []
