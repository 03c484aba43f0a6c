"""The "Bailleurs" page in headless Chromium (run with `pytest --headless`)."""

from __future__ import annotations

from dash.testing.wait import until

from tests.a11y import axe_violations

ANNONAY = "200072015"


def _svg(dash_duo, graph_id: str) -> str:
    return dash_duo.find_element(f"#{graph_id}").get_attribute("innerHTML")


def test_demo_banner_charts_and_epci_choice(dash_duo, dashboard_app, artifacts):
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/bailleurs")
    dash_duo.wait_for_contains_text("#bandeau-demo", "Données de démonstration", timeout=20)
    for graph in ("bailleurs-taux", "bailleurs-matrice", "bailleurs-types"):
        dash_duo.wait_for_element(f"#{graph} .main-svg", timeout=20)
        until(lambda g=graph: "DÉMONSTRATION" in _svg(dash_duo, g), timeout=10)
    dash_duo.wait_for_contains_text("#bailleurs-taux-resume", "dans l'ensemble de la région")
    dash_duo.driver.save_screenshot(str(artifacts / "bailleurs-1366.png"))
    assert axe_violations(dash_duo) == []

    # Choose an intercommunality as a user would: the URL changes, the matrix follows.
    dash_duo.find_element("#bailleurs-epci").click()
    dash_duo.find_element(".dash-dropdown-search").send_keys("Annonay")
    dash_duo.wait_for_contains_text(".dash-dropdown-option", "Annonay", timeout=10)
    dash_duo.find_element(".dash-dropdown-option").click()
    until(lambda: f"epci={ANNONAY}" in dash_duo.driver.current_url, timeout=10)
    dash_duo.wait_for_text_to_equal("#bailleurs-territoire", "CA Annonay Rhône Agglo",
                                    timeout=20)
    until(lambda: "CA Annonay Rhône Agglo" in _svg(dash_duo, "bailleurs-matrice"), timeout=10)
    dash_duo.wait_for_contains_text("#bailleurs-matrice-resume", "CA Annonay Rhône Agglo")

    # Back goes to the regional view (the filter lives in the URL).
    dash_duo.driver.back()
    until(lambda: "epci=" not in dash_duo.driver.current_url, timeout=10)
    dash_duo.wait_for_text_to_equal("#bailleurs-territoire", "Auvergne-Rhône-Alpes",
                                    timeout=20)
    assert dash_duo.get_logs() == []


def test_epci_in_url_and_unknown_code(dash_duo, dashboard_app, window, artifacts):
    window("phone")
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/bailleurs?epci={ANNONAY}")
    dash_duo.wait_for_element("#bailleurs-matrice .main-svg", timeout=20)
    until(lambda: "CA Annonay Rhône Agglo" in _svg(dash_duo, "bailleurs-matrice"), timeout=10)
    assert dash_duo.find_element("#bailleurs-epci").text.startswith("CA Annonay Rhône Agglo")
    scroll = ("const g = document.getElementById('bailleurs-matrice');"
              "g.scrollIntoView({block: 'start', behavior: 'instant'});"
              "return Math.abs(g.getBoundingClientRect().top);")
    until(lambda: dash_duo.driver.execute_script(scroll) < 5, timeout=10)
    dash_duo.driver.save_screenshot(str(artifacts / "bailleurs-390.png"))

    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/bailleurs?epci=abc")
    dash_duo.wait_for_contains_text(
        "#bailleurs-erreur", "n'est pas un code d'intercommunalité valide", timeout=20)
    dash_duo.wait_for_element("#bailleurs-taux .main-svg", timeout=20)  # still usable
    assert dash_duo.get_logs() == []


def test_landlord_page_words_and_denominators(dash_duo, dashboard_app):
    from dashboard.data import bailleurs, store
    from dashboard.formatting import plural
    from tests.layout_tools import plain

    communes = store.communes()
    summary = bailleurs.scope_summary(store.engagements_table(),
                                      communes[communes["epci_siren"] == ANNONAY])
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/bailleurs?epci={ANNONAY}&departement=07")
    dash_duo.wait_for_text_to_equal("#bailleurs-territoire", "CA Annonay Rhône Agglo",
                                    timeout=20)
    kpis = plain(dash_duo.find_element("#bailleurs-kpi").text)
    # The share of communes comes with its denominator, here and for the references.
    assert (f"{summary['communes_engagees']}/{summary['communes_programme']}\n"
            "communes de programme, soit") in kpis
    assert "Ardèche : " in kpis and "Région : " in kpis and kpis.count("/") >= 3
    n = summary["bailleurs"]
    informed = plural(n, "bailleur renseigné", "bailleurs renseignés")
    assert f"Sur {plain(informed)} dans le fichier pour ces communes." in kpis
    # "No information" is told apart from "non sollicité", in words, not database jargon.
    dash_duo.wait_for_contains_text("#bailleurs-legende-matrice",
                                    "« Non sollicité » est une information")
    dash_duo.wait_for_contains_text("#bailleurs-matrice-resume",
                                    "de programme de la CA Annonay Rhône Agglo", timeout=20)
    dash_duo.wait_for_contains_text("#bailleurs-matrice-resume", "« non sollicité »")
    is_informed = plural(n, "bailleur est renseigné", "bailleurs sont renseignés")
    dash_duo.wait_for_contains_text("#bailleurs-types-resume",
                                    f"{plain(is_informed)} dans le fichier")
    dash_duo.wait_for_contains_text("#bailleurs-taux-resume", "en Ardèche")
    body = dash_duo.find_element("body").text
    assert "au moins une ligne" not in body and "(s)" not in body
    assert dash_duo.get_logs() == []
