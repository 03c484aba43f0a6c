"""The glossary "ⓘ" of the KPI cards in headless Chromium, with the keyboard alone
(run with `flock /tmp/aura-browser.lock pytest --headless`)."""

from __future__ import annotations

from dash.testing.wait import until
from selenium.webdriver.common.keys import Keys

from dashboard import glossary
from tests.a11y import axe_violations

FIRST_INFO = ".kpi-card .glossary-button"
MAX_TABS = 60


def _active(dash_duo):
    return dash_duo.driver.switch_to.active_element


def _is_open(dash_duo, details) -> bool:
    return dash_duo.driver.execute_script("return arguments[0].open;", details)


def test_info_button_opens_with_enter_and_space(dash_duo, dashboard_app, artifacts):
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/bailleurs")
    dash_duo.wait_for_element(FIRST_INFO, timeout=30)
    first = dash_duo.find_element(FIRST_INFO)
    label = dash_duo.find_element(".kpi-card .kpi-label").text
    entry = glossary.definitions_for(label)[0]
    details = dash_duo.find_element(".kpi-card .glossary-info")
    definition = dash_duo.find_element(".kpi-card .glossary-definition")
    assert not definition.is_displayed()

    # Tab from the top of the page until the first ⓘ has the focus (bounded).
    dash_duo.driver.execute_script("document.activeElement && document.activeElement.blur();")
    body = dash_duo.find_element("body")
    body.send_keys(Keys.TAB)
    for _ in range(MAX_TABS):
        if _active(dash_duo) == first:
            break
        _active(dash_duo).send_keys(Keys.TAB)
    assert _active(dash_duo) == first, "the ⓘ is not reachable with Tab"

    # Read by screen readers as "Définition : <label>"; a visible focus ring.
    assert first.accessible_name == f"Définition : {label}"
    assert first.value_of_css_property("outline-style") == "solid"
    assert first.value_of_css_property("outline-width") == "3px"

    first.send_keys(Keys.ENTER)
    until(lambda: definition.is_displayed(), timeout=5)
    assert _is_open(dash_duo, details)
    assert entry.definition[1:40] in definition.text
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", first)
    dash_duo.driver.save_screenshot(str(artifacts / "glossaire-ouvert.png"))
    assert axe_violations(dash_duo) == []  # the open definition too

    first.send_keys(Keys.SPACE)
    until(lambda: not definition.is_displayed(), timeout=5)
    first.send_keys(Keys.SPACE)
    until(lambda: definition.is_displayed(), timeout=5)
    assert _is_open(dash_duo, details)
    assert dash_duo.get_logs() == []
