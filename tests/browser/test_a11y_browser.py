"""Screen-reader and keyboard checks over every page and view (`pytest --headless`, under
the lock).

- every page and view (`/`, `/territoire` empty, with an EPCI, with a commune, with a
  comparison, in presentation mode, `/programmes`, `/bailleurs` with and without a
  territory, `/methode`, the 404 page): axe-core finds no serious or critical
  violation, the headings go down one level at a time from one h1, each chart is an
  image named by its title and described by its summary (its other SVG layers hidden
  from assistive technology), and a page about a territory names it in the tab title;
- the mayor's path, keys only: search a commune by name from `/` → its profile (focus
  on the heading, "Profil d'Annonay affiché" announced, the tab titled) → the ZIP
  export (its completion message) → presentation mode → Escape back to the profile.

Tests are written on ids and roles, not on layouts.
"""

from __future__ import annotations

import datetime as dt

from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard.config import TITLE
from tests.a11y import axe_violations

ANNONAY_EPCI = "200072015"
ANNONAY = "07010"
BOURG = "200071751"
LYON = "200046977"
MAX_TABS = 80

PAGES = (
    # (path and query, selector of the drawn content, minimum number of charts, tab title)
    ("/", "#grille-epci .ag-row", 1, None),
    ("/territoire", "#territoire-invitation", 0, None),
    (f"/territoire?epci={ANNONAY_EPCI}", "#territoire-profil", 4,
     f"CA Annonay Rhône Agglo — {TITLE}"),
    (f"/territoire?epci={ANNONAY_EPCI}&commune={ANNONAY}", "#territoire-profil", 4,
     f"Annonay — CA Annonay Rhône Agglo — {TITLE}"),
    (f"/territoire?epci={ANNONAY_EPCI}&compare={BOURG},{LYON}",
     "#territoire-comparaison", 5, f"CA Annonay Rhône Agglo — {TITLE}"),
    (f"/territoire?epci={ANNONAY_EPCI}&mode=presentation", ".presentation-mode", 0,
     f"CA Annonay Rhône Agglo — {TITLE}"),
    ("/programmes", "#programmes-departements", 1, None),
    ("/bailleurs", "#bailleurs-territoire", 1,
     "Auvergne-Rhône-Alpes — Bailleurs sociaux — AURA-HLM"),
    (f"/bailleurs?epci={ANNONAY_EPCI}", "#bailleurs-territoire", 1,
     "CA Annonay Rhône Agglo — Bailleurs sociaux — AURA-HLM"),
    ("/methode", "main h1", 0, None),
    ("/cette-page-n-existe-pas", "main h1", 0, None),
)

HEADINGS = """
return Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
  .filter(h => h.getClientRects().length > 0 && !h.closest('[aria-hidden="true"]'))
  .map(h => [Number(h.tagName[1]), h.textContent.trim()]);
"""

CHARTS = """
return Array.from(document.querySelectorAll('.js-plotly-plot'))
  .filter(g => g.getClientRects().length > 0 && !g.closest('[aria-hidden="true"]'))
  .map(g => {
    const layers = Array.from(g.querySelectorAll('svg.main-svg'));
    const image = layers[0];
    const described = image ? image.getAttribute('aria-describedby') : null;
    const summary = described ? document.getElementById(described) : null;
    const owner = g.closest('[id]');
    return {
      id: owner ? owner.id : null,
      role: image ? image.getAttribute('role') : null,
      label: image ? image.getAttribute('aria-label') : null,
      title: (g.querySelector('.gtitle') || {}).textContent || null,
      summary: summary ? summary.textContent.trim() : null,
      othersHidden: layers.slice(1).every(l => l.getAttribute('aria-hidden') === 'true'),
      buttons: g.querySelectorAll('.modebar-btn').length,
      buttonsHidden: Array.from(g.querySelectorAll('.modebar-btn'))
        .filter(b => b.closest('[aria-hidden="true"], [role="img"]')).length,
    };
  });
"""

ACTIVE = """
const e = document.activeElement;
return e ? {id: e.id, tag: e.tagName.toLowerCase(), cls: String(e.className),
            text: (e.textContent || '').trim()} : {};
"""


def _headings_in_order(levels: list[int]) -> bool:
    """One h1 first, and never a level skipped on the way down."""
    if not levels or levels[0] != 1 or levels.count(1) != 1:
        return False
    return all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


def test_headings_rule_known_answers():
    assert _headings_in_order([1, 2, 3, 2, 2, 3])
    assert not _headings_in_order([1, 3])
    assert not _headings_in_order([2, 3])
    assert not _headings_in_order([1, 2, 1])
    assert not _headings_in_order([])


def _charts_named(dash_duo, minimum: int, path: str) -> list[dict]:
    """The page's charts once drawn and named by assets/a11y.js (at least `minimum`)."""
    def ready():
        charts = dash_duo.driver.execute_script(CHARTS)
        if len(charts) >= minimum and all(c["role"] == "img" for c in charts):
            return (charts,)  # truthy even with no chart
        return None

    (charts,) = until(ready, timeout=30, msg=f"{path}: fewer than {minimum} charts drawn and named")
    return charts


def _check_charts(dash_duo, minimum: int, path: str) -> None:
    """Every chart shown is an image named by its drawn title, described by its summary,
    its other layers hidden, its toolbar's buttons outside the image."""
    for chart in _charts_named(dash_duo, minimum, path):
        assert chart["label"] and chart["label"] != "Graphique", (path, chart)
        assert chart["label"].replace(" ", "") == (chart["title"] or "").replace(" ", ""), (
            path, chart)
        assert chart["summary"], (path, chart)
        assert chart["othersHidden"], (path, chart)
        assert chart["buttonsHidden"] == 0, (path, chart)


def test_every_page_and_view_is_accessible(dash_duo, dashboard_app, window):
    dash_duo.start_server(dashboard_app)
    for path, drawn, minimum, title in PAGES:
        # Presentation mode is for a projector (its fit to smaller screens is the
        # presentation's own test).
        window("projector" if "mode=presentation" in path else "desktop")
        dash_duo.wait_for_page(url=f"{dash_duo.server_url}{path}", timeout=20)
        dash_duo.wait_for_element(drawn, timeout=30)
        _check_charts(dash_duo, minimum, path)
        headings = dash_duo.driver.execute_script(HEADINGS)
        assert _headings_in_order([level for level, _ in headings]), (path, headings)
        if title is not None:
            until(lambda t=title: dash_duo.driver.title == t, timeout=10,
                  msg=f"{path}: tab title {dash_duo.driver.title!r}, not {title!r}")
        # Loaded from the address bar: the focus is not moved to the heading.
        assert _active(dash_duo).get("id") != "territoire-titre", path
        assert axe_violations(dash_duo) == [], path
        if "mode=presentation" in path:  # the first slide has no chart: the next one
            _press(dash_duo, Keys.ARROW_RIGHT)
            dash_duo.wait_for_element("#territoire-diapo-2.is-active", timeout=10)
            _check_charts(dash_duo, 1, path)
            assert axe_violations(dash_duo) == [], path
    assert dash_duo.get_logs() == []


def _press(dash_duo, *keys: str) -> None:
    ActionChains(dash_duo.driver).send_keys(*keys).perform()


def _active(dash_duo) -> dict:
    return dash_duo.driver.execute_script(ACTIVE) or {}


def _tab_until(dash_duo, element_id: str) -> dict:
    """Press Tab until the element `element_id` has the focus; fail after MAX_TABS."""
    for _ in range(MAX_TABS):
        _press(dash_duo, Keys.TAB)
        active = _active(dash_duo)
        if active.get("id") == element_id:
            return active
    raise AssertionError(f"#{element_id} not reached with {MAX_TABS} presses of Tab")


def _live_text(dash_duo) -> str:
    return dash_duo.driver.execute_script(
        "const e = document.getElementById('annonce-page'); return e ? e.textContent : null;")


def _forget_zip(epci: str, commune: str) -> None:
    """Drop the day's memoised ZIP of the view (an earlier run may have made it)."""
    from dashboard import jobs

    jobs.manager().handle.delete(
        jobs.memo_key("zip", epci, commune, "", dt.date.today().isoformat()))


def test_keyboard_only_mayor_path(dash_duo, dashboard_app, window):
    _forget_zip(ANNONAY_EPCI, ANNONAY)
    window("tall")
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_element("#grille-epci .ag-row", timeout=20)

    # Search by the commune's name, from the home page: Tab, type, Enter.
    _tab_until(dash_duo, "accueil-recherche")
    _press(dash_duo, "a")  # opens the list and its search box, which takes the letter
    until(lambda: "dash-dropdown-search" in _active(dash_duo).get("cls", ""), timeout=10,
          msg="typing did not open the search box")
    _press(dash_duo, "nnonay")
    dash_duo.wait_for_contains_text(".dash-dropdown-option", f"Annonay ({ANNONAY})", timeout=15)
    _press(dash_duo, Keys.ENTER)
    until(lambda: f"commune={ANNONAY}" in dash_duo.driver.current_url, timeout=20,
          msg="Enter in the search did not open the commune's profile")
    dash_duo.wait_for_element("#territoire-profil", timeout=30)

    # The profile says so: focus on its heading, the live region, the tab title.
    until(lambda: _active(dash_duo).get("id") == "territoire-titre", timeout=10,
          msg=f"the focus is not on the profile's heading: {_active(dash_duo)}")
    until(lambda: _live_text(dash_duo) == "Profil d'Annonay affiché", timeout=10,
          msg=f"live region says {_live_text(dash_duo)!r}")
    until(lambda: dash_duo.driver.title == f"Annonay — CA Annonay Rhône Agglo — {TITLE}",
          timeout=10, msg=f"tab title {dash_duo.driver.title!r}")

    # The ZIP export: Tab to its button, Enter starts the job, its message ends it.
    _tab_until(dash_duo, "territoire-export-zip")
    _press(dash_duo, Keys.ENTER)
    dash_duo.wait_for_contains_text("#territoire-export-message", "images PNG", timeout=120)

    # Presentation mode, then Escape leaves it for the profile.
    _tab_until(dash_duo, "territoire-mode-presentation")
    _press(dash_duo, Keys.ENTER)
    until(lambda: "mode=presentation" in dash_duo.driver.current_url, timeout=20,
          msg="Enter did not open the presentation mode")
    dash_duo.wait_for_element(".presentation-mode", timeout=30)
    until(lambda: dash_duo.driver.title == f"Annonay — CA Annonay Rhône Agglo — {TITLE}",
          timeout=10, msg=f"tab title in presentation {dash_duo.driver.title!r}")
    # A real browser leaves full screen on its own at Escape; headless Chromium gets
    # the key but stays in full screen, where assets/presentation.js leaves Escape to
    # the browser: leave full screen as the browser would, then the key.
    dash_duo.driver.execute_script(
        "if (document.fullscreenElement) { return document.exitFullscreen(); }")
    until(lambda: not dash_duo.driver.execute_script("return !!document.fullscreenElement;"),
          timeout=5, msg="still in full screen")
    _press(dash_duo, Keys.ESCAPE)
    until(lambda: "mode=presentation" not in dash_duo.driver.current_url, timeout=20,
          msg="Escape did not leave the presentation mode")
    dash_duo.wait_for_element("#territoire-profil", timeout=30)
    assert f"commune={ANNONAY}" in dash_duo.driver.current_url
    until(lambda: _active(dash_duo).get("id") == "territoire-titre", timeout=10,
          msg=f"back from the presentation, the focus is on {_active(dash_duo)}")
    assert dash_duo.get_logs() == []
