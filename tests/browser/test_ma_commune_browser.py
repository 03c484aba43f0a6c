"""The mayor's commune profile in headless Chromium (run with `pytest --headless`, under
the lock): `?commune=` shows the heading and the "Ma commune" block first, and the
presentation mode opens on the commune's slide after the key figures."""

from __future__ import annotations

from dash.testing.wait import until

from tests.a11y import axe_violations
from tests.layout_tools import plain as _text

TITLE = "#territoire-titre"
BLOCK = "#territoire-ma-commune"


def test_commune_heading_block_and_slide(dash_duo, dashboard_app, artifacts):
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/territoire?commune=07010", timeout=20)
    dash_duo.wait_for_text_to_equal(TITLE, "Annonay — CA Annonay Rhône Agglo", timeout=20)
    dash_duo.wait_for_text_to_equal("#territoire-ma-commune-titre",
                                    "Ma commune : Annonay (07010)", timeout=10)
    assert dash_duo.find_element(BLOCK).is_displayed()
    part = _text(dash_duo.find_element("#territoire-ma-commune-part").text)
    assert "30,1 % des résidences principales" in part and "Sources : SDES, RPLS" in part
    assert "1re sur 29" in dash_duo.find_element("#territoire-ma-commune-rang").text
    # the block comes before the EPCI's key figures
    assert dash_duo.driver.execute_script(
        "var a = document.querySelector(arguments[0]), b = document.querySelector(arguments[1]);"
        "return !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);",
        BLOCK, "#territoire-chiffres")
    assert axe_violations(dash_duo) == []
    dash_duo.driver.save_screenshot(str(artifacts / "ma-commune.png"))

    dash_duo.wait_for_page(
        url=f"{dash_duo.server_url}/territoire?epci=200072015&commune=07010"
            "&mode=presentation", timeout=20)
    dash_duo.wait_for_element(".presentation-mode", timeout=20)
    slide = "#territoire-diapo-2"
    dash_duo.wait_for_element(f"{slide} .main-svg", timeout=20)
    assert dash_duo.find_element(slide).get_attribute("aria-label").endswith(
        ": Annonay (07010) — Ma commune (1/2)")  # two slides of large type
    until(lambda: "Annonay (07010) — Ma commune" in dash_duo.find_element(
        f"{slide} .gtitle").get_attribute("textContent"), timeout=10)
    assert dash_duo.get_logs() == []
