"""Territories as officials know them, in headless Chromium (`pytest --headless`):
the department picker offers the Rhône's two halves, a Rhône EPCI compares with
"Rhône (hors Métropole de Lyon)", and a cross-border EPCI says so.
"""

from __future__ import annotations

from dash.testing.wait import until
from selenium.webdriver.common.by import By

from dashboard.data import store
from dashboard.formatting import fmt_pct
from tests.layout_tools import plain

MACON = "200070308"  # CA Mâconnais Beaujolais Agglomération


def _rhone_epci() -> str:
    """An EPCI lying wholly in the Rhône outside the Métropole de Lyon."""
    df = store.communes()
    deps = df.groupby("epci_siren")["departement"].agg(set)
    rhone = df[(df["departement"] == "69") & (df["epci_type"] != "MET69")]
    return sorted(s for s in rhone["epci_siren"].unique() if deps[s] == {"69"})[0]


def test_rhone_halves_in_the_picker_and_the_profile(dash_duo, dashboard_app):
    siren = _rhone_epci()
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/territoire?epci={siren}&departement=69D",
                           timeout=20)
    dash_duo.wait_for_contains_text(".territoire-intro",
                                    "Rhône (hors Métropole de Lyon) (69D)", timeout=20)
    dash_duo.wait_for_contains_text("#territoire-kpi-taux .kpi-comparisons",
                                    "Rhône (hors Métropole de Lyon)", timeout=20)
    # The URL's department is kept and shown by the picker.
    dash_duo.wait_for_contains_text("#territoire-departement",
                                    "Rhône (hors Métropole de Lyon) (69D)", timeout=10)
    dash_duo.find_element("#territoire-departement").click()
    dash_duo.wait_for_element(".dash-dropdown-search", timeout=10).send_keys("Métropole")
    option = "//*[contains(@class,'dash-dropdown-option')][contains(., '(69M)')]"
    until(lambda: dash_duo.driver.find_elements(By.XPATH, option), timeout=10,
          msg="the picker does not offer the Métropole de Lyon")
    assert "Métropole de Lyon (69M)" in dash_duo.driver.find_element(By.XPATH, option).text
    assert dash_duo.get_logs() == []


def test_cross_border_epci_profile_says_so(dash_duo, dashboard_app, wait_text):
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/territoire?epci={MACON}", timeout=20)
    dash_duo.wait_for_contains_text("#territoire-hors-region",
                                    "hors de la région (Bourgogne-Franche-Comté)", timeout=20)
    rows = [t[t["epci_siren"] == MACON] for t in (store.communes(), store.communes_hors_region())]
    whole = 100 * sum(r["logements_sociaux"].sum() for r in rows) / sum(
        r["residences_principales"].sum() for r in rows)  # all its communes: 23,5 %
    wait_text("#territoire-kpi-taux .kpi-value", plain(fmt_pct(whole)))
    # The regional ranking flags such EPCI in a column (AG Grid renders only the columns
    # in view: tests/data/test_regional.py checks it), explained under the grid.
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/", timeout=20)
    dash_duo.wait_for_contains_text(".source", "« S'étend hors région » : communes et "
                                    "habitants", timeout=20)
    assert dash_duo.get_logs() == []
