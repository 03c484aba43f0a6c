"""The programmes page (`/programmes`) in headless Chromium (run with `pytest --headless`)."""

from __future__ import annotations

from dash.testing.wait import until
from selenium.webdriver.common.keys import Keys

from tests.a11y import axe_violations
from tests.layout_tools import plain as _text

GRID = "#grille-hors-programme"
SENTENCE = "#hors-programme-phrase"
LYON = '.ag-row[row-id="69123"]'


def _expected(seuil: int) -> int:
    from dashboard.data import programmes, store

    return len(programmes.hors_programme(store.communes(), seuil))


def test_hors_programme_list_threshold_from_url_and_input(dash_duo, dashboard_app, window,
                                                          artifacts):
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/programmes?seuil=10000")
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)
    dash_duo.wait_for_element("#programmes-departements .js-plotly-plot", timeout=20)
    assert dash_duo.driver.title == "Programmes de revitalisation — AURA-HLM"

    n = _expected(10000)
    sentence = _text(dash_duo.find_element(SENTENCE).text)
    assert f"{n} communes de 10 000 habitants ou plus ne sont dans aucun programme" in sentence
    assert dash_duo.find_element("#programmes-seuil").get_attribute("value") == "10000"
    population = dash_duo.find_element(f"{GRID} .ag-center-cols-container {LYON} "
                                       "[col-id='population']")
    assert _text(population.get_attribute("textContent")) == "519 127"
    share = dash_duo.find_element(f"{GRID} .ag-center-cols-container {LYON} "
                                  "[col-id='taux_logements_sociaux']")
    assert _text(share.get_attribute("textContent")) == "20,2 %"
    dash_duo.driver.save_screenshot(str(artifacts / "programmes-1366.png"))
    assert axe_violations(dash_duo) == []

    # A new threshold typed in the labelled box: list, sentence and URL follow.
    box = dash_duo.find_element("#programmes-seuil")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("20000", Keys.ENTER)
    n20 = _expected(20000)
    until(lambda: f"{n20} communes de 20 000 habitants" in _text(
        dash_duo.find_element(SENTENCE).text), timeout=10)
    until(lambda: "seuil=20000" in dash_duo.driver.current_url, timeout=10)
    rows = f"{GRID} .ag-pinned-left-cols-container .ag-row"
    until(lambda: 0 < len(dash_duo.find_elements(rows)) <= n20, timeout=10)
    assert dash_duo.get_logs() == []

    # The copied link reproduces the view, here on a phone-sized window.
    link = dash_duo.driver.current_url
    window("phone")
    dash_duo.wait_for_page(url=link)
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)
    assert dash_duo.find_element("#programmes-seuil").get_attribute("value") == "20000"
    dash_duo.driver.save_screenshot(str(artifacts / "programmes-390.png"))
    assert dash_duo.get_logs() == []


def test_bad_threshold_shows_french_message(dash_duo, dashboard_app):
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/programmes?seuil=abc")
    dash_duo.wait_for_contains_text("#alerte-programmes", "n'est pas un nombre d'habitants",
                                    timeout=20)
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)
    assert "3 500 habitants" in _text(dash_duo.find_element(SENTENCE).text)
    assert dash_duo.find_element("#programmes-seuil").get_attribute("value") == "3500"
    assert dash_duo.get_logs() == []
