"""Keyboard only, in headless Chromium (`pytest --headless`): no mouse click.

One test (about 10 s): from `/`, the skip link and the navigation take a visible
focus, "Territoire" opens the profile page, the EPCI picker is reached with Tab
(named by its visible label), typing a name and Enter opens that profile; back
on `/`, the ranking grid's cells take a visible focus and Enter on an EPCI name
opens its profile. axe-core also checks the picker while its list is open.
"""

from __future__ import annotations

from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.a11y import axe_violations

TITLE = "#territoire-titre"
GRID = "#grille-epci"
MAX_TABS = 80

ACTIVE = """
const e = document.activeElement;
if (!e) return null;
const s = getComputedStyle(e);
const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
  || (s.boxShadow && s.boxShadow !== 'none');
const cell = e.closest('.ag-cell');
const link = cell ? cell.querySelector('a[href]') : null;
return {
  id: e.id, tag: e.tagName.toLowerCase(), cls: String(e.className),
  text: (e.textContent || '').trim(), ring: !!ring,
  grid: e.closest(arguments[0]) !== null, col: cell ? cell.getAttribute('col-id') : null,
  href: link ? link.getAttribute('href') : null,
  labelledby: e.getAttribute('aria-labelledby'),
};
"""


def _press(dash_duo, *keys: str) -> None:
    ActionChains(dash_duo.driver).send_keys(*keys).perform()


def _active(dash_duo) -> dict:
    return dash_duo.driver.execute_script(ACTIVE, GRID) or {}


def _tab_until(dash_duo, found, what: str) -> dict:
    """Press Tab until `found(active element)`; fail after MAX_TABS presses."""
    for _ in range(MAX_TABS):
        _press(dash_duo, Keys.TAB)
        active = _active(dash_duo)
        if found(active):
            return active
    raise AssertionError(f"{what} not reached with {MAX_TABS} presses of Tab")


def _accessible_label(dash_duo, element_id: str) -> str:
    """Text of the elements naming `element_id` (its aria-labelledby), in order."""
    return dash_duo.driver.execute_script(
        "const ids = (document.getElementById(arguments[0]).getAttribute('aria-labelledby')"
        " || '').split(/\\s+/);"
        "return ids.map(i => document.getElementById(i)).filter(Boolean)"
        ".map(e => e.textContent.trim()).join(' ');", element_id)


def test_keyboard_only_path_to_a_profile(dash_duo, dashboard_app, window):
    window("tall")
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)

    # The first Tab reaches the skip link, then the navigation: both visibly focused.
    _press(dash_duo, Keys.TAB)
    active = _active(dash_duo)
    assert active["text"] == "Aller au contenu" and active["ring"], active
    active = _tab_until(dash_duo, lambda a: a.get("id") == "nav-1", "the Territoire link")
    assert active["text"] == "Territoire" and active["ring"], active
    _press(dash_duo, Keys.ENTER)
    until(lambda: dash_duo.driver.current_url.endswith("/territoire"), timeout=10)
    dash_duo.wait_for_element("#territoire-invitation", timeout=20)

    # Tab reaches the EPCI picker itself, named by its visible label then its value.
    active = _tab_until(dash_duo, lambda a: a.get("id") == "territoire-epci", "the EPCI picker")
    assert active["ring"], active
    assert _accessible_label(dash_duo, "territoire-epci").startswith(
        "Intercommunalité (EPCI) Choisir une intercommunalité")

    # Typing opens the list and its search box; Enter picks the match.
    _press(dash_duo, "B")
    until(lambda: "dash-dropdown-search" in _active(dash_duo).get("cls", ""), timeout=10,
          msg="typing did not open the search box")
    _press(dash_duo, "ourg-en-Bresse")
    dash_duo.wait_for_contains_text(".dash-dropdown-option", "200071751", timeout=10)
    assert axe_violations(dash_duo) == []  # the open list too
    _press(dash_duo, Keys.ENTER)
    until(lambda: dash_duo.driver.current_url.endswith("/territoire?epci=200071751"),
          timeout=20, msg="Enter did not choose the EPCI")
    dash_duo.wait_for_text_to_equal(TITLE, "CA du Bassin de Bourg-en-Bresse", timeout=20)

    # Back on /: the ranking grid takes the focus from the keyboard, cells show it,
    # and Enter on an EPCI name follows its link.
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/", timeout=20)
    dash_duo.wait_for_element(f"{GRID} .ag-row", timeout=20)
    active = _tab_until(dash_duo, lambda a: a.get("grid"), "the EPCI grid")
    assert active["ring"], active
    _press(dash_duo, Keys.ARROW_DOWN)  # the column's filter box
    _press(dash_duo, Keys.ARROW_DOWN)  # the first row
    until(lambda: _active(dash_duo).get("col") == "epci_nom", timeout=5)
    active = _active(dash_duo)
    assert active["ring"], active
    assert active["href"] and "/territoire?epci=" in active["href"], active
    name = active["text"]
    _press(dash_duo, Keys.ENTER)
    until(lambda: dash_duo.driver.current_url.endswith(active["href"]), timeout=20,
          msg="Enter on a grid link did not open the profile")
    dash_duo.wait_for_text_to_equal(TITLE, name, timeout=20)
    assert dash_duo.get_logs() == []
