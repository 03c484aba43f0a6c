"""The home page in headless Chromium (run with `pytest --headless`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dash.testing.wait import until

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
GRID = "#grille-epci"
BOURG = '.ag-row[row-id="200071751"]'


def _text(value: str) -> str:
    """Visible text with no-break spaces as plain spaces."""
    return value.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def dashboard_app():
    import app

    return app.app


def test_home_lists_epci_with_french_numbers(dash_duo, dashboard_app):
    dash_duo.driver.set_window_size(1366, 900)
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)
    assert dash_duo.driver.title == "Logement social et revitalisation — AURA-HLM"
    assert dash_duo.driver.find_element("tag name", "html").get_attribute("lang") == "fr"
    dash_duo.wait_for_contains_text("h1", "Auvergne-Rhône-Alpes")

    # Filter the EPCI column from its floating filter, as a user would.
    box = dash_duo.find_element(f"{GRID} .ag-pinned-left-header .ag-floating-filter input")
    box.send_keys("Bourg-en-Bresse")
    rows = f"{GRID} .ag-pinned-left-cols-container .ag-row"
    until(lambda: len(dash_duo.find_elements(rows)) == 1, timeout=10)
    dash_duo.wait_for_text_to_equal(f"{rows} [col-id='epci_nom']",
                                    "CA du Bassin de Bourg-en-Bresse", timeout=10)
    share = dash_duo.find_element(f"{GRID} .ag-center-cols-container {BOURG} "
                                  "[col-id='taux_logements_sociaux']")
    assert _text(share.text) == "19,6 %"
    population = dash_duo.find_element(f"{GRID} .ag-center-cols-container {BOURG} "
                                       "[col-id='population']")
    assert _text(population.text) == "137 046"

    ARTIFACTS.mkdir(exist_ok=True)
    dash_duo.driver.save_screenshot(str(ARTIFACTS / "accueil.png"))
    assert dash_duo.get_logs() == []


PLOT_WITH_FRENCH_LOCALE = """
const done = arguments[arguments.length - 1];
const script = document.createElement('script');
script.src = arguments[0];
script.onerror = () => done('plotly.js introuvable');
script.onload = () => {
  const div = document.createElement('div');
  document.body.appendChild(div);
  Plotly.newPlot(div,
    [{x: ['2024-01-15', '2024-03-15', '2024-05-15'], y: [1200.5, 2400.25, 1800], type: 'bar'}],
    {width: 600, height: 300},
    {locale: 'fr', displayModeBar: true})
  .then(() => {
    const button = div.querySelector('.modebar-btn[data-val="png"], .modebar-btn')
      && Array.from(div.querySelectorAll('.modebar-btn')).map(b => b.getAttribute('data-title'));
    const ticks = Array.from(div.querySelectorAll('.xtick text')).map(t => t.textContent);
    done(JSON.stringify({buttons: button, ticks: ticks}));
  })
  .catch(err => done(String(err)));
};
document.head.appendChild(script);
"""


def test_plotly_french_locale_and_404(dash_duo, dashboard_app):
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)

    # Load plotly.js the way Dash does for a graph (a script added later): the
    # locale of assets/plotly-locale-fr.js must be registered before the plot.
    import json

    url = f"{dash_duo.server_url}/_dash-component-suites/plotly/package_data/plotly.min.js"
    dash_duo.driver.set_script_timeout(30)
    result = dash_duo.driver.execute_async_script(PLOT_WITH_FRENCH_LOCALE, url)
    found = json.loads(result)
    assert "Télécharger le graphique en PNG" in found["buttons"]
    assert "Réinitialiser les axes" in found["buttons"]
    assert any("mars" in t or "févr." in t or "avr." in t for t in found["ticks"]), found

    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/page-inexistante")
    dash_duo.wait_for_text_to_equal("h1", "Page introuvable", timeout=10)
    dash_duo.find_element("a.btn").click()
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)
    assert dash_duo.get_logs() == []
