"""The territory search (components/search.py) in headless Chromium (`pytest --headless`),
in a minimal Dash app holding only the search box and the shell's `url` Location, with
the project's own CSS and a11y.js (which names Dash's dropdowns by their label).

One test (about 10 s), keyboard only: Tab reaches the search box, named by its visible
label; typing "langeac" lists "Langeac (43112) — …" and Enter opens its profile's URL;
accent-free "saint etienne" finds Saint-Étienne, chosen with the arrows and Enter; an
unknown name says "Aucun résultat"; axe-core finds nothing serious or critical.
Screenshots of the open list go to artifacts/recherche-*.png.
"""

from __future__ import annotations

from pathlib import Path

import dash
import pytest
from dash import dcc, html
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard.app_factory import INDEX_STRING
from dashboard.components.search import LABEL, register_search, search_bar
from tests.a11y import axe_violations

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "assets"
SEARCH = "essai-recherche"
OPTION = ".dash-dropdown-option"
MAX_TABS = 10

INDEX = (INDEX_STRING  # the app's own index (lang="fr"), without its plotly.js
         .replace('<script src="PLOTLY_JS_URL"></script>', "")
         .replace('<script src="PLOTLY_LOCALE_URL"></script>', ""))


@pytest.fixture
def search_app() -> dash.Dash:
    app = dash.Dash(
        __name__, assets_folder=str(ASSETS),
        # Only what the search needs: the page's styles and the dropdown fixes.
        assets_ignore=r"^(?!(?:style\.css|search\.css|a11y\.js)$)",
    )
    app.index_string = INDEX
    app.title = "Essai de la recherche"
    app.layout = html.Div([
        dcc.Location(id="url", refresh="callback-nav"),
        html.Main([html.H1("Essai de la recherche"), search_bar("essai")]),
    ])
    register_search("essai", app=app)
    return app


def _press(dash_duo, *keys: str) -> None:
    ActionChains(dash_duo.driver).send_keys(*keys).perform()


def _active(dash_duo) -> dict:
    return dash_duo.driver.execute_script(
        "const e = document.activeElement;"
        "return e ? {id: e.id, cls: String(e.className)} : {};") or {}


def _type_in_search(dash_duo, text: str) -> None:
    """From the focused dropdown: the first key opens its search box, then the rest."""
    _press(dash_duo, text[0])
    until(lambda: "dash-dropdown-search" in _active(dash_duo).get("cls", ""), timeout=10,
          msg="typing did not open the search box")
    _press(dash_duo, text[1:])


def _options(dash_duo) -> list[str]:
    """Texts of the listed options (read in one script: the list re-renders as it fills)."""
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]))"
        ".map(e => e.textContent.trim());", OPTION)


def _first_option(dash_duo) -> str:
    options = _options(dash_duo)
    return options[0] if options else ""


def test_search_by_name_opens_the_profile(dash_duo, search_app, artifacts):
    dash_duo.start_server(search_app)
    dash_duo.wait_for_element(f"#{SEARCH}", timeout=20)
    assert _options(dash_duo) == []  # no option shipped with the page

    # Tab reaches the search box, named by its visible label then its placeholder.
    for _ in range(MAX_TABS):
        _press(dash_duo, Keys.TAB)
        if _active(dash_duo).get("id") == SEARCH:
            break
    else:
        raise AssertionError("the search box is not reached with Tab")
    named = dash_duo.driver.execute_script(
        "const ids = document.getElementById(arguments[0]).getAttribute('aria-labelledby');"
        "return ids.split(/\\s+/).map(i => document.getElementById(i))"
        ".filter(Boolean).map(e => e.textContent.trim()).join(' ');", SEARCH)
    assert named.startswith(LABEL), named

    # "langeac": its option, then Enter opens the commune's profile.
    _type_in_search(dash_duo, "langeac")
    until(lambda: _first_option(dash_duo) == "Langeac (43112) — CC des Rives du Haut Allier",
          timeout=10, msg="Langeac is not the first option")
    assert axe_violations(dash_duo) == []  # the open list
    _press(dash_duo, Keys.ENTER)
    until(lambda: dash_duo.driver.current_url.endswith(
        "/territoire?epci=200073393&commune=43112"), timeout=10,
        msg="Enter did not open Langeac's profile")

    # Accent-free "saint etienne": Saint-Étienne first, then its EPCI; chosen with the
    # arrow (first option) and Enter. The focus is back on the search box.
    until(lambda: _active(dash_duo).get("id") == SEARCH, timeout=10)
    _type_in_search(dash_duo, "saint etienne")
    until(lambda: _first_option(dash_duo) == "Saint-Étienne (42218) — Saint-Étienne Métropole",
          timeout=10, msg="Saint-Étienne is not the first option")
    assert _options(dash_duo)[1] == "Saint-Étienne Métropole (EPCI, 53 communes)"
    dash_duo.driver.save_screenshot(str(artifacts / "recherche-saint-etienne.png"))
    _press(dash_duo, Keys.ARROW_DOWN)
    _press(dash_duo, Keys.ENTER)
    until(lambda: dash_duo.driver.current_url.endswith(
        "/territoire?epci=244200770&commune=42218"), timeout=10,
        msg="the arrow and Enter did not open Saint-Étienne's profile")
    dash_duo.wait_for_contains_text(f"#{SEARCH}", "Saint-Étienne (42218)", timeout=10)

    # A name that is nowhere: the French "no result" sentence.
    until(lambda: _active(dash_duo).get("id") == SEARCH, timeout=10)
    _type_in_search(dash_duo, "xyzzy")
    dash_duo.wait_for_contains_text(".dash-dropdown-options", "Aucun résultat.", timeout=10)
    dash_duo.driver.save_screenshot(str(artifacts / "recherche-aucun-resultat.png"))
    _press(dash_duo, Keys.ESCAPE)
    until(lambda: not dash_duo.find_elements(".dash-dropdown-options"), timeout=10)

    assert axe_violations(dash_duo) == []
    assert dash_duo.get_logs() == []
