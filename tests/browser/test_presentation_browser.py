"""Presentation mode of the territory profile in headless Chromium (`pytest --headless`).

The mode opens from the URL at 1920×1080 with the site navigation hidden, the
keyboard moves between charts, the picker keeps the mode, and leaving returns to
the same territory; the toggle opens it again. The key figures fit a laptop
screen. At 1280×720, 1366×768 and 1920×1080, every chart slide (the commune block,
each chart type, the comparison, the programme table) has its chart text at 18 px
or more on screen, no text box over another, all inside the slide (a probe of the
SVG `text` boxes, `CHART_TEXT`); the screenshots go to artifacts/.
"""

from __future__ import annotations

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.a11y import axe_violations

ANNONAY = "200072015"
BOURG = "200071751"  # CA du Bassin de Bourg-en-Bresse: the comparison slide
TITLE = "#territoire-titre"
COUNTER = "#territoire-presentation-compteur"


def _active(dash_duo) -> str:
    return dash_duo.driver.execute_script(
        "var s = document.querySelector('.presentation-slide.is-active');"
        "return s ? s.getAttribute('data-slide') : null;")


def _visible(dash_duo, selector: str) -> bool:
    return dash_duo.driver.execute_script(
        "var e = document.querySelector(arguments[0]);"
        "if (!e) return false; var s = getComputedStyle(e);"
        "return s.display !== 'none' && s.visibility !== 'hidden';", selector)


def _press(dash_duo, key: str) -> None:
    ActionChains(dash_duo.driver).send_keys(key).perform()


def _projector(dash_duo, width: int = 1920, height: int = 1080) -> None:
    """A `width`×`height` viewport, 1920×1080 by default (the window size would include
    the browser's frame)."""
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


SMALLEST_TEXT = """
var slide = document.querySelector(arguments[0]);
var graph = slide.querySelector('.presentation-graph');
var scale = graph.getBoundingClientRect().width / 960;
var sizes = Array.from(slide.querySelectorAll('svg text'))
  .filter(function (t) { return t.textContent.trim(); })
  .map(function (t) { return parseFloat(getComputedStyle(t).fontSize); });
return Math.min.apply(null, sizes) * scale;
"""


def _smallest_text(dash_duo, slide: str) -> float:
    """Smallest font size (px on screen, after scaling) of a chart slide's SVG text."""
    return dash_duo.driver.execute_script(SMALLEST_TEXT, slide)


def _outside(dash_duo, selector: str) -> list:
    """Boxes of the elements of `selector` that are not inside the viewport."""
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(function (e) {"
        "  var r = e.getBoundingClientRect(); return [e.id, r.left, r.top, r.right, r.bottom];"
        "}).filter(function (b) { return b[1] < 0 || b[2] < 0 || b[3] > innerWidth + 0.5"
        "  || b[4] > innerHeight + 0.5; });", selector)


def test_presentation_from_url_keyboard_and_back(dash_duo, dashboard_app, window, artifacts):
    window("projector")
    _projector(dash_duo)
    dash_duo.start_server(dashboard_app)
    search = f"?epci={ANNONAY}&commune=07010"
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/territoire{search}&mode=presentation",
                           timeout=20)
    # The heading names the commune, like the profile page.
    dash_duo.wait_for_text_to_equal(TITLE, "Annonay — CA Annonay Rhône Agglo", timeout=20)
    dash_duo.wait_for_element(".presentation-mode", timeout=10)
    assert not _visible(dash_duo, ".site-header")  # navigation hidden
    assert not _visible(dash_duo, ".site-footer")
    count = len(dash_duo.find_elements(".presentation-slide"))
    assert count >= 5  # key figures, then one slide per chart (page)
    until(lambda: _active(dash_duo) == "1", timeout=10)
    dash_duo.wait_for_text_to_equal(COUNTER, f"1 / {count}", timeout=10)
    # Large type on the projector.
    size = dash_duo.driver.execute_script(
        "return parseFloat(getComputedStyle(document.querySelector('.presentation-mode'))"
        ".fontSize)")
    assert size >= 28
    # Key figures: every card, programme counts included, inside the screen.
    assert dash_duo.find_elements("#territoire-diapo-1 #territoire-kpi-programmes .kpi-card")
    assert _outside(dash_duo, "#territoire-diapo-1 .kpi-card") == []
    assert axe_violations(dash_duo) == []

    _press(dash_duo, Keys.ARROW_RIGHT)
    until(lambda: _active(dash_duo) == "2", timeout=5, msg="→ did not move to the next chart")
    dash_duo.wait_for_text_to_equal(COUNTER, f"2 / {count}", timeout=5)
    slide = "#territoire-diapo-2"
    dash_duo.wait_for_element(f"{slide} .main-svg", timeout=20)
    assert "Annonay (07010) — Ma commune" in dash_duo.find_element(  # the commune first
        f"{slide} .gtitle").text
    # The chart is scaled up to fill the projector (960 px wide at scale 1).
    width = dash_duo.driver.execute_script(
        "return document.querySelector(arguments[0] + ' .presentation-graph')"
        ".getBoundingClientRect().width", slide)
    assert width > 1300
    assert _smallest_text(dash_duo, slide) >= 18  # readable from the back of the room
    _press(dash_duo, Keys.PAGE_DOWN)
    until(lambda: _active(dash_duo) == "3", timeout=5)
    _press(dash_duo, Keys.PAGE_UP)
    until(lambda: _active(dash_duo) == "2", timeout=5)
    dash_duo.driver.save_screenshot(str(artifacts / "presentation-1920.png"))

    # Leaving returns to the same territory (and commune), with the navigation back.
    dash_duo.find_element("#territoire-quitter-presentation").click()
    until(lambda: dash_duo.driver.current_url.endswith(f"/territoire{search}"), timeout=10,
          msg="leaving the mode changed the territory")
    until(lambda: not dash_duo.find_elements(".presentation-mode"), timeout=20,
          msg="still in presentation mode")
    dash_duo.wait_for_element("#territoire-export-zip", timeout=20)  # the ordinary profile
    dash_duo.wait_for_text_to_equal(TITLE, "Annonay — CA Annonay Rhône Agglo", timeout=10)
    assert dash_duo.find_element("#territoire-commune").text.startswith("Annonay")
    assert _visible(dash_duo, ".site-header")

    # The visible toggle opens the mode again for the same view.
    dash_duo.find_element("#territoire-mode-presentation").click()
    until(lambda: dash_duo.driver.current_url.endswith(f"{search}&mode=presentation"),
          timeout=10)
    dash_duo.wait_for_element(".presentation-mode", timeout=20)
    until(lambda: _active(dash_duo) == "1", timeout=10)
    assert dash_duo.get_logs() == []


def test_presentation_fits_laptop_screens_and_escape_leaves(dash_duo, dashboard_app):
    _projector(dash_duo, 1366, 768)  # a meeting-room laptop
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(
        url=f"{dash_duo.server_url}/territoire?epci={ANNONAY}&mode=presentation", timeout=20)
    dash_duo.wait_for_element(".presentation-mode", timeout=20)
    dash_duo.wait_for_text_to_equal(TITLE, "CA Annonay Rhône Agglo", timeout=10)  # no commune
    until(lambda: _active(dash_duo) == "1", timeout=10)
    cards = dash_duo.find_elements("#territoire-diapo-1 .kpi-card")
    assert len(cards) >= 12  # housing, one per programme, SRU, programme population, landlords
    until(lambda: _outside(dash_duo, "#territoire-diapo-1 .kpi-card") == [], timeout=5,
          msg="key-figure cards cut off at 1366×768")
    assert axe_violations(dash_duo) == []  # no scrollable region left without focus
    _projector(dash_duo, 1280, 720)  # the board is scaled again on resize
    until(lambda: _outside(dash_duo, "#territoire-diapo-1 .kpi-card") == [], timeout=5,
          msg="key-figure cards cut off at 1280×720")
    assert axe_violations(dash_duo) == []
    # The programme table closes the presentation, as a slide of its own.
    count = len(dash_duo.find_elements(".presentation-slide"))
    _press(dash_duo, Keys.END)
    until(lambda: _active(dash_duo) == str(count), timeout=5)
    last = f"#territoire-diapo-{count}"
    dash_duo.wait_for_element(f"{last} .main-svg", timeout=20)
    assert dash_duo.find_element(f"{last} .gtitle").text.startswith("Communes de programme")
    assert _outside(dash_duo, f"{last} .presentation-graph") == []
    # Outside full screen the hint says Escape leaves, and it does.
    assert _visible(dash_duo, ".presentation-help-window")
    assert not _visible(dash_duo, ".presentation-help-fullscreen")
    _press(dash_duo, Keys.ESCAPE)
    until(lambda: not dash_duo.find_elements(".presentation-mode"), timeout=20,
          msg="Escape did not leave the presentation")
    assert dash_duo.driver.current_url.endswith(f"/territoire?epci={ANNONAY}")
    assert dash_duo.get_logs() == []


# Every chart text of the active slide: its size on screen (font size times the scale of
# every transform above it: the slide's CSS scale, plotly's own shrinking of bar text)
# and its box, checked against each other and against the slide's chart.
CHART_TEXT = """
var slide = document.querySelector(arguments[0]);
var graph = slide.querySelector('.presentation-graph');
var frame = graph.getBoundingClientRect();
var texts = Array.from(slide.querySelectorAll('.main-svg text')).filter(function (t) {
  var r = t.getBoundingClientRect();
  return t.textContent.trim() && r.width > 0 && r.height > 0 &&
    getComputedStyle(t).visibility !== 'hidden' && getComputedStyle(t).display !== 'none';
});
var items = texts.map(function (t) {
  var m = t.getScreenCTM();
  var scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
  var r = t.getBoundingClientRect();
  return {text: t.textContent.slice(0, 60), size: parseFloat(getComputedStyle(t).fontSize) * scale,
          angle: Math.atan2(m.b, m.a), box: [r.left, r.top, r.right, r.bottom]};
});
var overlaps = [];
for (var i = 0; i < items.length; i++) {
  for (var j = i + 1; j < items.length; j++) {
    var a = items[i].box, b = items[j].box;
    var w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
    var h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    if (w <= 1 || h <= 1) { continue; }
    var p = items[i], q = items[j];
    if (Math.abs(p.angle) > 0.02 && Math.abs(p.angle - q.angle) < 0.02) {
      /* Two parallel slanted labels (tick labels at -45°): their boxes always meet;
         they overlap when their centre lines are closer than a line of text. */
      var dx = (b[0] + b[2] - a[0] - a[2]) / 2, dy = (b[1] + b[3] - a[1] - a[3]) / 2;
      var apart = Math.abs(-dx * Math.sin(p.angle) + dy * Math.cos(p.angle));
      if (apart >= 0.9 * Math.min(p.size, q.size)) { continue; }
    }
    overlaps.push([p.text, q.text]);
  }
}
var outside = items.filter(function (it) {
  var b = it.box;
  return b[0] < frame.left - 0.5 || b[1] < frame.top - 0.5 || b[2] > frame.right + 0.5 ||
    b[3] > frame.bottom + 0.5 || b[2] > innerWidth + 0.5 || b[3] > innerHeight + 0.5;
}).map(function (it) { return it.text; });
var smallest = items.reduce(function (s, it) { return it.size < s.size ? it : s; },
                            {size: 1e9, text: ''});
return {count: items.length, smallest: smallest.size, smallest_text: smallest.text,
        overlaps: overlaps, outside: outside};
"""

ANNONAY_VIEW = (ANNONAY, "07010", BOURG, "Annonay — CA Annonay Rhône Agglo")
# 21 communes, 16 in a programme (a 4-slide calendar, a wide landlord heat map), a map
# with close names.
CLERMONT_VIEW = ("246300701", "63113", ANNONAY,
                 "Clermont-Ferrand — Clermont Auvergne Métropole")
SCREENS = [((1280, 720), ANNONAY_VIEW), ((1366, 768), ANNONAY_VIEW),
           ((1920, 1080), ANNONAY_VIEW), ((1280, 720), CLERMONT_VIEW)]


@pytest.mark.parametrize(("screen", "view"), SCREENS,
                         ids=[f"{w}x{h}-{v[1]}" for (w, h), v in SCREENS])
def test_every_slide_is_readable(dash_duo, dashboard_app, artifacts, screen, view):
    """Every chart slide (the commune block, each chart type, the comparison, the
    programme table): chart text at least 18 px on screen, no text over another, all
    inside the slide, at 1280×720, 1366×768 and 1920×1080 (and a larger territory at
    1280×720)."""
    (width, height), (epci, commune, other, heading) = screen, view
    _projector(dash_duo, width, height)
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/territoire?epci={epci}"
                               f"&commune={commune}&compare={other}&mode=presentation",
                           timeout=20)
    dash_duo.wait_for_text_to_equal(TITLE, heading, timeout=20)
    until(lambda: _active(dash_duo) == "1", timeout=10)
    count = len(dash_duo.find_elements(".presentation-slide"))
    kinds, report, problems = set(), {}, []
    for number in range(2, count + 1):
        _press(dash_duo, Keys.ARROW_RIGHT)
        until(lambda n=number: _active(dash_duo) == str(n), timeout=5)
        slide = f"#territoire-diapo-{number}"
        dash_duo.wait_for_element(f"{slide} .main-svg", timeout=20)
        title = dash_duo.find_element(f"{slide} .gtitle").text
        kinds.add(dash_duo.driver.execute_script(
            "return document.querySelector(arguments[0] + ' .presentation-graph-plot').id",
            slide).split("-diapo-")[0])
        found = dash_duo.driver.execute_script(CHART_TEXT, slide)
        dash_duo.driver.save_screenshot(
            str(artifacts / f"presentation-{width}-{commune}-{number}.png"))
        report[title] = round(found["smallest"], 1)
        if found["count"] < 5 or found["smallest"] < 18 or found["overlaps"] or \
                found["outside"] or _outside(dash_duo, f"{slide} .presentation-summary"):
            problems.append((title, found))
    print(f"{width}×{height}: smallest chart text (px)", report)
    assert problems == []  # every slide, all at once
    # The commune block, every chart type, the comparison and the programme table.
    assert {"territoire-graph-commune", "territoire-graph-parts", "territoire-graph-carte",
            "territoire-graph-calendrier", "territoire-graph-bailleurs",
            "territoire-graph-comparaison", "territoire-graph-programmes"} <= kinds, kinds
    assert axe_violations(dash_duo) == []
    assert dash_duo.get_logs() == []
