"""Maps people can read and the visual defects of issue 10, measured in headless Chromium
(run under the lock with `pytest --headless`).

Boxes are read with getBoundingClientRect; "a intersects b" means the two rectangles
overlap by more than a pixel.
"""

from __future__ import annotations

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains

MAP = "#carte-epci"
BOX_JS = """
window.__box = function (el) {
    if (!el) { return null; }
    const b = el.getBoundingClientRect();
    return {left: b.left, top: b.top, right: b.right, bottom: b.bottom, width: b.width};
};
"""


def _box(dash_duo, selector: str) -> dict | None:
    return dash_duo.driver.execute_script(
        BOX_JS + "return window.__box(document.querySelector(arguments[0]));", selector)


def _boxes(dash_duo, selector: str) -> list[dict]:
    return dash_duo.driver.execute_script(
        BOX_JS + "return [...document.querySelectorAll(arguments[0])].map(window.__box);",
        selector)


def _intersect(a: dict, b: dict) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1)


def _show_toolbar(dash_duo, graph: str) -> dict:
    """Hover a graph (its toolbar shows on hover) and return the toolbar's box."""
    dash_duo.driver.execute_script(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});", graph)
    ActionChains(dash_duo.driver).move_to_element(
        dash_duo.find_element(f"{graph} .main-svg")).perform()
    until(lambda: (_box(dash_duo, f"{graph} .modebar") or {}).get("width", 0) > 0, timeout=10)
    return _box(dash_duo, f"{graph} .modebar")


def _sources_inside(dash_duo, graph: str) -> None:
    svg = _box(dash_duo, f"{graph} .main-svg")
    texts = _boxes(dash_duo, f"{graph} .annotation")
    assert texts, graph
    for text in texts:
        assert svg["left"] - 1 <= text["left"] and text["right"] <= svg["right"] + 1, graph


CUT_JS = """
return [...document.querySelectorAll('.ag-header-cell-text, .ag-cell')]
    .filter(e => e.scrollWidth > e.clientWidth + 1
                 || (e.classList.contains('ag-header-cell-text')
                     && e.scrollHeight > e.clientHeight + 1))
    .map(e => e.textContent);
"""


def _cut_in_grid(dash_duo) -> list[str]:
    """Texts of grid headers and cells wider (or taller) than their box."""
    return dash_duo.driver.execute_script(CUT_JS)


def test_programme_grid_on_a_phone_cuts_no_header(dash_duo, dashboard_app, window):
    window("phone")
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/programmes", timeout=20)
    dash_duo.wait_for_element(".ag-row .ag-cell", timeout=30)
    assert _cut_in_grid(dash_duo) == []
    assert dash_duo.get_logs() == []


def test_regional_map_fills_its_card_with_outlines_and_french_toolbar(dash_duo, dashboard_app):
    dash_duo.start_server(dashboard_app)
    # Arrive from another page by a client-side link: the toolbar must still be French.
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/methode", timeout=20)
    dash_duo.wait_for_element("#nav-0", timeout=20).click()
    dash_duo.wait_for_element(f"{MAP} .choroplethlayer path", timeout=30)

    card = dash_duo.driver.execute_script(
        BOX_JS + "return window.__box(document.querySelector(arguments[0]).closest('.card'));",
        MAP)
    geo = _box(dash_duo, f"{MAP} .choroplethlayer")
    assert geo["width"] >= 0.8 * card["width"], (geo, card)

    # Department outlines and city names are drawn over the EPCI.
    names = dash_duo.driver.execute_script(
        f"return [...document.querySelectorAll('{MAP} .scattergeo text')]"
        ".map(t => t.textContent);")
    assert {"Lyon", "Grenoble", "Clermont-Ferrand"} <= set(names)
    assert _boxes(dash_duo, f"{MAP} .scattergeo path.js-line")

    toolbar = _show_toolbar(dash_duo, MAP)
    assert not _intersect(toolbar, _box(dash_duo, f"{MAP} .gtitle"))
    _sources_inside(dash_duo, MAP)
    titles = dash_duo.driver.execute_script(
        f"return [...document.querySelectorAll('{MAP} .modebar-btn')]"
        ".map(b => b.getAttribute('data-title'));")
    assert "Télécharger le graphique en PNG" in titles, titles
    assert not {"Download plot as a PNG", "Zoom in", "Reset view"} & set(titles)

    # Grid headers and territory names wrap instead of being cut.
    dash_duo.wait_for_element("#grille-epci .ag-header-cell-text", timeout=20)
    assert _cut_in_grid(dash_duo) == []

    # / -> /territoire the way a dcc.Link goes (history.pushState, no reload): the
    # profile's toolbars are French too.
    dash_duo.driver.execute_script(
        "window.history.pushState({}, '', '/territoire?epci=200072015');"
        "window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));")
    dash_duo.wait_for_element("#territoire-graph-parts .main-svg", timeout=30)
    _show_toolbar(dash_duo, "#territoire-graph-parts")
    titles = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('#territoire-graph-parts .modebar-btn')]"
        ".map(b => b.getAttribute('data-title'));")
    assert "Télécharger le graphique en PNG" in titles and "Zoom avant" in titles, titles
    assert dash_duo.get_logs() == []


def test_compared_profile_table_first_labels_clear_and_print_styles(dash_duo, dashboard_app):
    dash_duo.start_server(dashboard_app)
    # Bonneville: 23,7 % of social housing for a 25 % target.
    dash_duo.wait_for_page(
        url=f"{dash_duo.server_url}/territoire?epci=200000172&compare=200072015", timeout=20)
    dash_duo.wait_for_element("#territoire-table-comparaison", timeout=30)
    dash_duo.wait_for_element("#territoire-graph-parts .bartext", timeout=30)

    table = _box(dash_duo, "#territoire-table-comparaison")
    kpis = _box(dash_duo, "#territoire-kpi-logement")
    assert table["bottom"] <= kpis["top"]

    # No value label is crossed by an SRU target line; Bonneville's is after its line.
    labels = _boxes(dash_duo, "#territoire-graph-parts .bartext")
    lines = _boxes(dash_duo, "#territoire-graph-parts .scatterlayer path.point")
    assert labels and lines
    assert [(a, b) for a in labels for b in lines if _intersect(a, b)] == []
    moved = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('#territoire-graph-parts .textpoint')]"
        ".map(t => t.textContent.trim());")
    assert moved == ["23,7\u00a0%"]

    # The demonstration label sits clear of the toolbar and of the title.
    for graph in ("#territoire-graph-bailleurs", "#territoire-graph-comparaison"):
        dash_duo.wait_for_element(f"{graph} .annotation", timeout=20)
        demo = dash_duo.driver.execute_script(
            BOX_JS + "return window.__box([...document.querySelectorAll(arguments[0])]"
            ".find(a => a.textContent.startsWith('DONNÉES DE DÉMONSTRATION')));",
            f"{graph} .annotation")
        assert demo is not None, graph
        toolbar = _show_toolbar(dash_duo, graph)
        assert not _intersect(demo, toolbar), graph
        assert not _intersect(demo, _box(dash_duo, f"{graph} .gtitle")), graph

    # The territory map: toolbar clear of its title, notes and source inside the image.
    toolbar = _show_toolbar(dash_duo, "#territoire-graph-carte")
    assert not _intersect(toolbar, _box(dash_duo, "#territoire-graph-carte .gtitle"))
    _sources_inside(dash_duo, "#territoire-graph-carte")

    # Print: headings keep with what follows, cards are never cut, no toolbar strip.
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    styles = dash_duo.driver.execute_script("""
        const h2 = document.querySelector('.territoire-section-title');
        const card = document.querySelector('.chart-card');
        const graph = document.querySelector('.chart-card .chart-graph');
        const after = getComputedStyle(h2, '::after');
        return {h2After: getComputedStyle(h2).breakAfter,
                h2Inside: getComputedStyle(h2).breakInside,
                reserve: after.height, give: after.marginBottom,
                card: getComputedStyle(card).breakInside,
                next: getComputedStyle(h2.nextElementSibling).breakBefore,
                strip: getComputedStyle(graph).marginTop};
    """)
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert styles["h2After"] == "avoid" and styles["h2Inside"] == "avoid"
    assert styles["card"] == "avoid" and styles["next"] == "avoid"
    assert float(styles["reserve"].removesuffix("px")) > 100
    reserve, give = (float(styles[k].removesuffix("px")) for k in ("reserve", "give"))
    assert give == pytest.approx(-reserve, abs=0.1)
    assert styles["strip"] == "0px"
    assert dash_duo.get_logs() == []
