"""The territory profile page in headless Chromium (run with `pytest --headless`).

Few tests on purpose (about 4 s each): the data, figures and callbacks are
tested as plain functions in tests/data, tests/figures and tests/pages.
"""

from __future__ import annotations

from urllib.parse import quote

from dash.testing.wait import until
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

from tests.a11y import axe_violations
from tests.layout_tools import plain as _text

TITLE = "#territoire-titre"
SHARE = "#territoire-kpi-taux .kpi-value"
MAP = "#territoire-graph-carte .main-svg"
BARS = "#territoire-graph-parts .main-svg"


def _open(dash_duo, search: str) -> None:
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/territoire{search}", timeout=20)


def test_profile_of_annonay_with_map_and_screenshots(dash_duo, dashboard_app, window, artifacts,
                                                     wait_text):
    dash_duo.start_server(dashboard_app)
    _open(dash_duo, "?epci=200072015")
    dash_duo.wait_for_text_to_equal(TITLE, "CA Annonay Rhône Agglo", timeout=20)
    wait_text(SHARE, "15,5 %")
    comparisons = _text(dash_duo.find_element("#territoire-kpi-taux .kpi-comparisons").text)
    assert "Auvergne-Rhône-Alpes : 16,4 %" in comparisons
    assert "−0,9 pt" in comparisons
    # The map draws from the EPCI's own outlines, with nothing fetched from a CDN.
    dash_duo.wait_for_element(MAP, timeout=20)
    until(lambda: len(dash_duo.find_elements(
        "#territoire-graph-carte path.choroplethlocation")) >= 29, timeout=20)
    dash_duo.wait_for_element(BARS, timeout=20)
    assert "Annonay" in dash_duo.find_element("#territoire-table-programmes").text
    assert dash_duo.find_element("#territoire-bandeau-demo").is_displayed()
    assert axe_violations(dash_duo) == []

    dash_duo.driver.save_screenshot(str(artifacts / "territoire-1366.png"))
    window("phone")
    until(lambda: dash_duo.driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1"), timeout=10,
        msg="the page scrolls sideways on a phone")
    assert axe_violations(dash_duo) == []  # wide tables scroll from the keyboard too
    dash_duo.driver.save_screenshot(str(artifacts / "territoire-390.png"))
    assert dash_duo.get_logs() == []


def test_picker_changes_url_and_back_returns(dash_duo, dashboard_app, window, wait_text):
    window("tall")
    dash_duo.start_server(dashboard_app)
    _open(dash_duo, "?epci=200072015")
    wait_text(SHARE, "15,5 %")

    dash_duo.find_element("#territoire-epci").click()
    search = dash_duo.wait_for_element(".dash-dropdown-search", timeout=10)
    search.send_keys("Bourg-en-Bresse")
    option = "//*[contains(@class,'dash-dropdown-option')][contains(., '200071751')]"
    until(lambda: dash_duo.driver.find_elements(By.XPATH, option), timeout=10)
    dash_duo.driver.find_element(By.XPATH, option).click()

    until(lambda: dash_duo.driver.current_url.endswith("/territoire?epci=200071751"),
          timeout=20, msg="URL not updated")
    dash_duo.wait_for_text_to_equal(TITLE, "CA du Bassin de Bourg-en-Bresse", timeout=20)
    wait_text(SHARE, "19,6 %")
    dash_duo.wait_for_element(BARS, timeout=20)
    assert axe_violations(dash_duo) == []

    dash_duo.driver.back()
    until(lambda: dash_duo.driver.current_url.endswith("/territoire?epci=200072015"),
          timeout=20, msg="back did not return to Annonay")
    dash_duo.wait_for_text_to_equal(TITLE, "CA Annonay Rhône Agglo", timeout=20)
    wait_text(SHARE, "15,5 %")
    assert dash_duo.get_logs() == []

    # A commune highlighted and another EPCI compared: still no serious violation.
    _open(dash_duo, "?epci=200071751&commune=01053&compare=200072015")
    dash_duo.wait_for_text_to_equal(TITLE, "Bourg-en-Bresse — CA du Bassin de Bourg-en-Bresse",
                                    timeout=20)
    until(lambda: dash_duo.find_element("#territoire-commune").text.startswith("Bourg-en-Bresse"),
          timeout=20)
    dash_duo.wait_for_element("#territoire-table-comparaison", timeout=20)
    dash_duo.wait_for_element(BARS, timeout=20)
    assert axe_violations(dash_duo) == []
    assert dash_duo.get_logs() == []


def _no_alert(dash_duo) -> bool:
    try:
        alert = dash_duo.driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return alert is None


def test_bad_codes_give_a_french_message_and_run_nothing(dash_duo, dashboard_app):
    dash_duo.start_server(dashboard_app)
    _open(dash_duo, "")  # no territory chosen yet: an invitation and the picker
    dash_duo.wait_for_element("#territoire-invitation", timeout=20)
    dash_duo.wait_for_element("#territoire-epci", timeout=20)
    assert axe_violations(dash_duo) == []

    _open(dash_duo, "?epci=123")
    dash_duo.wait_for_contains_text("#territoire-message", "un SIREN compte 9 chiffres",
                                    timeout=20)
    assert dash_duo.find_element("#territoire-epci").is_displayed()  # picker still usable
    assert dash_duo.get_logs() == []

    script = "<script>alert(1)</script>"
    _open(dash_duo, "?epci=" + quote(script))
    dash_duo.wait_for_contains_text("#territoire-message", "n'est pas un code", timeout=20)
    message = dash_duo.find_element("#territoire-message")
    assert script in message.text  # shown as text...
    assert message.find_elements(By.TAG_NAME, "script") == []  # ...never as markup
    assert _no_alert(dash_duo)
    assert dash_duo.find_element("#territoire-invitation").is_displayed()
    assert dash_duo.get_logs() == []


def test_legal_sru_targets_and_the_selected_commune_facts(dash_duo, dashboard_app, wait_text):
    """Only a browser shows the target marks drawn on the bars and the facts laid out."""
    dash_duo.start_server(dashboard_app)
    _open(dash_duo, "?epci=200041366&commune=07102")  # CC Rhône Crussol, Guilherand-Granges
    dash_duo.wait_for_text_to_equal(TITLE, "Guilherand-Granges — CC Rhône Crussol", timeout=20)
    dash_duo.wait_for_element(BARS, timeout=20)
    # one target mark per subject commune (two, both at 25 %), no region-wide line
    until(lambda: len(dash_duo.find_elements(
        "#territoire-graph-parts .scatterlayer .point")) == 2, timeout=20)
    wait_text("#territoire-kpi-sru .kpi-value", "2")
    chosen = _text(dash_duo.find_element("#territoire-ma-commune-sru").text)
    assert "taux légal 12,25 %, objectif 25 % (carencée)" in chosen
    assert "Les deux taux diffèrent" in chosen
    assert "densité : Grands centres urbains" in _text(
        dash_duo.find_element("#territoire-ma-commune-centralite").text)
    assert axe_violations(dash_duo) == []
    assert dash_duo.get_logs() == []
