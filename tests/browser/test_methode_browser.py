"""The "Méthode et sources" page in headless Chromium (run with `pytest --headless`)."""

from __future__ import annotations

import urllib.request

from dash.testing.wait import until
from selenium.webdriver.common.keys import Keys

from dashboard import glossary
from dashboard.data.columns import COMMUNE_COLUMNS
from tests.a11y import axe_violations

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LINK = "#telecharger-engagements_bailleurs_modele-xlsx"


def test_method_page_and_template_download(dash_duo, dashboard_app, window, artifacts):
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/methode")
    dash_duo.wait_for_text_to_equal("h1", "Méthode et sources", timeout=20)
    # The glossary comes first, every term visible; the data maintenance is collapsed.
    first_h2 = dash_duo.find_element(".page-methode h2")
    assert first_h2.text == "Les mots du tableau de bord"
    words = dash_duo.find_elements("#methode-glossaire dt")
    assert [w.text.split(" (")[0] for w in words] == [e.term for e in glossary.OFFICIALS]
    dash_duo.wait_for_contains_text("#methode-imputation", "recensement 2021")
    terms = dash_duo.find_elements("#colonnes-communes dt")
    assert len(terms) == len(COMMUNE_COLUMNS)
    assert not any(t.is_displayed() for t in terms)
    dash_duo.driver.save_screenshot(str(artifacts / "methode-1366.png"))
    assert axe_violations(dash_duo) == []

    # Opened with the keyboard, the maintenance part shows every column of the table.
    summary = dash_duo.find_element("#methode-maintenance > summary")
    summary.send_keys(Keys.ENTER)
    until(lambda: terms[0].is_displayed(), timeout=5)
    assert [t.text for t in terms] == [c.name for c in COMMUNE_COLUMNS]
    assert axe_violations(dash_duo) == []

    href = dash_duo.find_element(LINK).get_attribute("href")
    assert href.startswith(dash_duo.server_url)  # same origin
    with urllib.request.urlopen(href, timeout=30) as resp:
        assert resp.status == 200
        assert resp.headers.get_content_type() == XLSX
        assert resp.read(2) == b"PK"  # a zip container, as every xlsx

    window("phone")
    dash_duo.wait_for_text_to_equal("h1", "Méthode et sources")
    dash_duo.driver.save_screenshot(str(artifacts / "methode-390.png"))
    assert dash_duo.get_logs() == []
