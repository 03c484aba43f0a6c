"""The programmes page (`/programmes`) in headless Chromium (run with `pytest --headless`)."""

from __future__ import annotations

from dash.testing.wait import until
from selenium.webdriver.common.keys import Keys

from tests.a11y import axe_violations
from tests.layout_tools import plain as _text

GRID = "#grille-hors-programme"
SENTENCE = "#hors-programme-phrase"
VENISSIEUX = '.ag-row[row-id="69259"]'


def _expected(seuil: int) -> int:
    from dashboard.data import programmes, store

    return len(programmes.hors_programme(store.communes(), seuil))


def test_poles_hors_programme_from_url_and_optional_threshold(dash_duo, dashboard_app, window,
                                                              artifacts):
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/programmes?seuil=10000")
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)
    dash_duo.wait_for_element("#programmes-departements .js-plotly-plot", timeout=20)
    assert dash_duo.driver.title == "Programmes de revitalisation — AURA-HLM"

    n = _expected(10000)
    sentence = _text(dash_duo.find_element(SENTENCE).text)
    assert f"{n} pôles de 10 000 habitants ou plus ne sont dans aucun programme" in sentence
    assert "ni Villages d'avenir" in sentence
    assert dash_duo.find_element("#programmes-seuil").get_attribute("value") == "10000"
    row = f"{GRID} .ag-center-cols-container {VENISSIEUX}"
    level = dash_duo.find_element(f"{row} [col-id='niveau']")
    assert _text(level.get_attribute("textContent")) == "Centre structurant"
    sru = dash_duo.find_element(f"{row} [col-id='sru_statut']")
    assert _text(sru.get_attribute("textContent")) == "Soumise, non déficitaire"
    # No ACV phase on the page: the sources do not document one.
    assert "phase" not in _text(dash_duo.find_element("#programmes-acv").text).lower()
    dash_duo.driver.save_screenshot(str(artifacts / "programmes-1366.png"))
    assert axe_violations(dash_duo) == []

    # The box emptied: every pôle, whatever its population; the URL follows.
    box = dash_duo.find_element("#programmes-seuil")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("0", Keys.ENTER)
    every = _expected(0)
    until(lambda: f"{every} pôles ne sont dans aucun programme" in _text(
        dash_duo.find_element(SENTENCE).text), timeout=10)
    until(lambda: "seuil=0" in dash_duo.driver.current_url, timeout=10)
    rows = f"{GRID} .ag-pinned-left-cols-container .ag-row"
    until(lambda: 0 < len(dash_duo.find_elements(rows)) <= every, timeout=10)
    assert dash_duo.get_logs() == []

    # The copied link reproduces the view, here on a phone-sized window.
    link = dash_duo.driver.current_url
    window("phone")
    dash_duo.wait_for_page(url=link)
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)
    assert dash_duo.find_element("#programmes-seuil").get_attribute("value") == "0"
    dash_duo.driver.save_screenshot(str(artifacts / "programmes-390.png"))
    assert dash_duo.get_logs() == []


def test_bad_threshold_shows_french_message(dash_duo, dashboard_app):
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/programmes?seuil=abc")
    dash_duo.wait_for_contains_text("#alerte-programmes", "n'est pas un nombre d'habitants",
                                    timeout=20)
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)
    assert f"{_expected(0)} pôles ne sont dans aucun programme" in _text(
        dash_duo.find_element(SENTENCE).text)
    assert dash_duo.find_element("#programmes-seuil").get_attribute("value") == "0"
    assert dash_duo.get_logs() == []
