"""Every page works under the Content-Security-Policy, and hostile URLs show a French
message without running anything (headless Chromium, `pytest --headless`)."""

from __future__ import annotations

from urllib.parse import quote

from dash.testing.wait import until
from selenium.common.exceptions import NoAlertPresentException

# Recorded from the very start of each document (before Dash's scripts run).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""

READY = {
    "/": ["#carte-epci .main-svg", "#grille-epci .ag-row"],
    "/territoire": ["#territoire-kpi-logement", "#territoire-graph-parts .main-svg"],
    "/programmes": ["#grille-hors-programme .ag-row", "#programmes-departements .main-svg"],
    "/bailleurs": ["#bailleurs-taux .main-svg", "#bailleurs-matrice .main-svg"],
    "/methode": ["#colonnes-communes dt"],
}
"""What shows that a page has drawn (any other page: its <h1>)."""
QUERIES = {"/territoire": "?epci=200072015"}
"""The query under which a page shows its figures."""


def _pages() -> list[tuple[str, str, list[str]]]:
    """(address, menu label, selectors to wait for) of every page of the menu, which
    is the page registry."""
    from dashboard.shell import menu_pages

    return [(page["path"] + QUERIES.get(page["path"], ""), page["name"],
             READY.get(page["path"], ["#contenu h1"])) for page in menu_pages()]


def _record_violations(dash_duo) -> None:
    dash_duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                    {"source": RECORD_VIOLATIONS})


def _no_alert(dash_duo) -> bool:
    try:
        dash_duo.driver.switch_to.alert  # noqa: B018 (raises when there is none)
    except NoAlertPresentException:
        return True
    return False


def test_every_page_works_under_the_policy(dash_duo, dashboard_app):
    dash_duo.driver.set_window_size(1366, 768)
    _record_violations(dash_duo)
    dash_duo.start_server(dashboard_app)
    pages = _pages()
    assert {path.split("?")[0] for path, _, _ in pages} >= set(READY)
    for path, label, selectors in pages:
        dash_duo.wait_for_page(url=f"{dash_duo.server_url}{path}")
        for selector in selectors:
            dash_duo.wait_for_element(selector, timeout=30)
        violations = dash_duo.driver.execute_script("return window.__cspViolations;")
        assert violations == [], (path, violations)
        # The navigation marks the page being shown.
        until(lambda label=label: [
            e.text for e in dash_duo.find_elements(".site-nav .nav-link.active")]
              == [label], timeout=10)
        assert dash_duo.get_logs() == [], path
        # Everything the page loaded came from the app itself (no CDN, font, tile).
        loaded = dash_duo.driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
            ".concat(Array.from(document.querySelectorAll('[src],link[href]'))"
            ".map(e => e.src || e.href));")
        others = [u for u in loaded if u and not u.startswith(dash_duo.server_url)
                  and not u.startswith(("data:", "blob:"))]
        assert others == [], (path, others)


def test_hostile_urls_show_a_french_message_and_run_nothing(dash_duo, dashboard_app):
    script = "<script>alert(1)</script>"
    _record_violations(dash_duo)
    dash_duo.start_server(dashboard_app)

    long_value = ('"><img src=x onerror=alert(1)>' + script) * 90  # ~5 kB
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/territoire?epci={quote(long_value)}")
    dash_duo.wait_for_contains_text("#territoire-message",
                                    "n'est pas un code d'intercommunalité valide", timeout=20)
    message = dash_duo.find_element("#territoire-message").text
    assert '"><img src=x onerror=alert(1)>' in message  # shown as text...
    assert len(message) < 600  # ...and cut short
    assert _no_alert(dash_duo)
    assert dash_duo.driver.find_elements("css selector", "#contenu img, #contenu script") == []

    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/programmes?seuil={quote(script)}")
    dash_duo.wait_for_contains_text("#alerte-programmes", "n'est pas un nombre d'habitants",
                                    timeout=20)
    assert script in dash_duo.find_element("#alerte-programmes").text
    dash_duo.wait_for_element("#grille-hors-programme .ag-row", timeout=20)  # still usable
    assert _no_alert(dash_duo)
    assert dash_duo.driver.find_elements("css selector", "#contenu script") == []
    assert dash_duo.driver.execute_script("return window.__cspViolations;") == []
    assert dash_duo.get_logs() == []
