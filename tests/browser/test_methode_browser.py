"""The "Méthode et sources" page in headless Chromium (run with `pytest --headless`)."""

from __future__ import annotations

import urllib.request

from dashboard.data.columns import COMMUNE_COLUMNS
from tests.a11y import axe_violations

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LINK = "#telecharger-engagements_bailleurs_modele-xlsx"


def test_method_page_and_template_download(dash_duo, dashboard_app, window, artifacts):
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/methode")
    dash_duo.wait_for_text_to_equal("h1", "Méthode et sources", timeout=20)
    terms = dash_duo.find_elements("#colonnes-communes dt")
    assert [t.text for t in terms] == [c.name for c in COMMUNE_COLUMNS]
    dash_duo.wait_for_contains_text("#methode-imputation", "estimées pour")
    dash_duo.driver.save_screenshot(str(artifacts / "methode-1366.png"))
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
