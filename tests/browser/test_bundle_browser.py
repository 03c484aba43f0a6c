"""What the first load carries, in headless Chromium (run with `pytest --headless`,
under the shared port lock): the pages load the partial plotly.js and nothing
else of plotly.js, it draws every chart type of a profile, its French locale
holds after client-side navigation; pages without a grid load dash-ag-grid's
JavaScript only when a grid comes up; the regenerator runtime stands in for
Dash's polyfill (lazy chunks still load); a profile opened directly comes in
the first layout (no callback before its charts) and nothing is fetched from
another site."""

from __future__ import annotations

import json

import dash
from dash.testing.wait import until
from selenium.webdriver.common.by import By

from dashboard import vendor

GRAND_LAC = "200068674"
REGIONAL_MAP = "#carte-epci path.choroplethlocation"
REGIONAL_ROWS = "#grille-epci .ag-row"
GRID_JS = "/_dash-component-suites/dash_ag_grid/dash_ag_grid."
LAZY_GRID_JS = "/vendor/aura/lazy-ag-grid.js"
CHARTS = {
    "bar": "#territoire-graph-parts g.bars path",
    "choropleth": "#territoire-graph-carte path.choroplethlocation",
    "heatmap": "#territoire-graph-bailleurs g.hm image",
}

RESOURCES = """
return performance.getEntriesByType('resource').map(e => e.name);
"""

BUNDLE_FACTS = """
return JSON.stringify({
  version: window.Plotly.version,
  traces: Object.keys(window.Plotly.PlotSchema.get().traces).sort(),
});
"""

MODEBAR_TITLES = """
return Array.from(document.querySelectorAll(arguments[0] + ' .modebar-btn'))
  .map(b => b.getAttribute('data-title'));
"""


def _french_modebar(dash_duo, graph: str) -> list[str]:
    titles = dash_duo.driver.execute_script(MODEBAR_TITLES, graph)
    assert "Télécharger le graphique en PNG" in titles, (graph, titles)
    assert not any(t and t.startswith(("Download", "Reset", "Zoom in")) for t in titles), titles
    return titles


def _active_links(dash_duo) -> list[str]:
    """Ids of the menu links marked as the page shown."""
    return [e.get_attribute("id") for e in dash_duo.find_elements(".site-nav .nav-link.active")]


def _title(page: str) -> str:
    return dash.page_registry[f"dashboard.pages.{page}"]["title"]


def test_profile_after_navigation_uses_the_partial_bundle_in_french(dash_duo, dashboard_app,
                                                                    window):
    window("tall")
    dash_duo.start_server(dashboard_app)
    # First page: the regional map, drawn by the partial bundle.
    until(lambda: len(dash_duo.find_elements(REGIONAL_MAP)) >= 100, timeout=30)
    _french_modebar(dash_duo, "#carte-epci")
    # A page with a grid loads dash-ag-grid's JavaScript directly.
    dash_duo.wait_for_element(REGIONAL_ROWS, timeout=30)
    names = dash_duo.driver.execute_script(RESOURCES)
    assert sum(GRID_JS in n for n in names) == 1, names
    assert not any(LAZY_GRID_JS in n for n in names), names

    # The home page is not pre-rendered: the menu link is marked in the browser.
    until(lambda: _active_links(dash_duo) == ["nav-0"], timeout=10)

    # To /territoire through the menu (client-side navigation), then an EPCI.
    dash_duo.find_element("#nav-1").click()
    until(lambda: dash_duo.driver.current_url.endswith("/territoire"), timeout=20)
    dash_duo.wait_for_element("#territoire-invitation", timeout=20)
    until(lambda: _active_links(dash_duo) == ["nav-1"], timeout=10)
    until(lambda: dash_duo.driver.title == _title("territoire"), timeout=10,
          msg="the tab keeps the former page's title")
    dash_duo.find_element("#territoire-epci").click()
    search = dash_duo.wait_for_element(".dash-dropdown-search", timeout=10)
    search.send_keys("Grand Lac")
    option = f"//*[contains(@class,'dash-dropdown-option')][contains(., '{GRAND_LAC}')]"
    until(lambda: dash_duo.driver.find_elements(By.XPATH, option), timeout=10)
    dash_duo.driver.find_element(By.XPATH, option).click()
    until(lambda: dash_duo.driver.current_url.endswith(f"/territoire?epci={GRAND_LAC}"),
          timeout=20, msg="URL not updated")

    # Bar, choropleth and heat map drawn; every modebar speaks French.
    for kind, selector in CHARTS.items():
        until(lambda s=selector: dash_duo.find_elements(s), timeout=30, msg=f"no {kind}")
    for graph in ("#territoire-graph-parts", "#territoire-graph-carte",
                  "#territoire-graph-bailleurs"):
        _french_modebar(dash_duo, graph)

    # Only the partial bundle was fetched, once; never the full plotly.min.js.
    names = dash_duo.driver.execute_script(RESOURCES)
    full = [n for n in names if n.split("?")[0].endswith("/plotly.min.js")]
    assert full == [], full
    assert sum("/vendor/plotly/plotly-aura.min.js" in n for n in names) == 1, names
    assert sum("plotly-locale-fr.js" in n for n in names) == 1, names
    # Dash's lazy chunks (drop-down, chart) loaded through the regenerator runtime,
    # without Dash's Babel polyfill.
    assert not any("polyfill" in n for n in names), names
    assert sum("/vendor/aura/regenerator-runtime.min.js" in n for n in names) == 1, names
    assert any(n.split("?")[0].endswith("/dcc/async-graph.js") for n in names), names
    assert dash_duo.driver.execute_script(
        "return typeof window.regeneratorRuntime.mark;") == "function"
    # It is the Python package's plotly.js, with exactly the manifest's trace types.
    facts = json.loads(dash_duo.driver.execute_script(BUNDLE_FACTS))
    manifest = vendor.manifest()
    assert facts["version"] == manifest["plotly_js_version"]
    assert facts["traces"] == sorted(manifest["trace_types"])
    assert dash_duo.get_logs() == []


def test_page_without_grid_loads_the_grid_only_when_one_comes_up(dash_duo, dashboard_app, window):
    window("tall")
    dash_duo.start_server(dashboard_app, navigate=False)
    dash_duo.wait_for_page(url=f"{dash_duo.server.url.rstrip('/')}/territoire?epci={GRAND_LAC}",
                          timeout=20)
    for kind, selector in CHARTS.items():
        until(lambda s=selector: dash_duo.find_elements(s), timeout=30, msg=f"no {kind}")
    names = dash_duo.driver.execute_script(RESOURCES)
    assert not any(GRID_JS in n for n in names), names
    assert sum(LAZY_GRID_JS in n for n in names) == 1, names
    # The profile came in the first layout: no callback was needed to show it (the
    # pages router did not run), and every file came from the dashboard itself.
    assert sum("/_dash-layout" in n for n in names) == 1, names
    assert not any("/_dash-update-component" in n for n in names), names
    origin = dash_duo.server.url.rstrip("/") + "/"
    assert all(n.startswith(origin) for n in names), [n for n in names
                                                      if not n.startswith(origin)]
    until(lambda: "CA Grand Lac" in dash_duo.driver.title, timeout=10,
          msg="the tab does not name the territory")
    # The server marked the menu link of the page it pre-rendered.
    assert _active_links(dash_duo) == ["nav-1"]

    # To the regional view through the menu: the grid's library comes then, once.
    dash_duo.find_element("#nav-0").click()
    dash_duo.wait_for_element(REGIONAL_ROWS, timeout=30)
    until(lambda: _active_links(dash_duo) == ["nav-0"], timeout=10)
    until(lambda: dash_duo.driver.title == _title("regional"), timeout=10,
          msg="the tab keeps the profile's title")
    until(lambda: len(dash_duo.find_elements(REGIONAL_MAP)) >= 100, timeout=30)
    names = dash_duo.driver.execute_script(RESOURCES)
    assert sum(GRID_JS in n for n in names) == 1, names
    rows = dash_duo.find_elements(REGIONAL_ROWS)
    assert len(rows) >= 10
    # The real grid, with its cell renderers: the EPCI names link to their profiles.
    dash_duo.wait_for_element("#grille-epci .ag-cell a[href*='/territoire?epci=']", timeout=20)
    assert dash_duo.get_logs() == []
