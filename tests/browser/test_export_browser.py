"""Exports of the territory profile in headless Chromium (`pytest --headless`).

One test: the French toolbar label, the print stylesheet (computed styles under
the print media: navigation hidden, print header shown, charts within the A4
width, back to normal after printing) and the ZIP button: a background job on the
embedded queue (a process forked from the app, rendering with kaleido and
Chromium) shows its progress "n / N images" and delivers a real download; then a
slow export is cancelled: the job process is gone, its temporary directory too,
and the button comes back.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

import psutil
import pytest
from dash.testing.wait import until

ANNONAY = "200072015"
BOURG = "200071751"
STYLE = ("var e = document.querySelector(arguments[0]);"
         "return e ? getComputedStyle(e)[arguments[1]] : null;")


def _job_processes() -> list[psutil.Process]:
    """Background jobs of the embedded queue: processes forked from this one (same
    command line; chromedriver and the test browser have their own)."""
    me = psutil.Process()
    found = []
    for child in me.children(recursive=True):
        try:
            if child.cmdline() == me.cmdline() and child.status() != psutil.STATUS_ZOMBIE:
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def _using(path: Path) -> list[psutil.Process]:
    """Processes whose command line names `path` (a job's Chromium: its profile is
    in the job's temporary directory)."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if any(str(path) in part for part in process.info["cmdline"] or ()):
            found.append(process)
    return found


def _only_locks(folder: Path) -> bool:
    """Nothing in the jobs directory but the fixed set of lock files (no job's
    temporary directory, no stray file)."""
    from dashboard import render_queue as rq

    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
    allowed = {"locks", *(f"locks/slot-{i}.lock" for i in range(rq.MAX_RENDERS)),
               *(f"locks/view-{i}.lock" for i in range(rq.VIEW_LOCKS)),
               *(f"locks/queue-{i}.lock" for i in range(rq.QUEUE_LOCKS))}
    return names <= allowed


def _forget_memo(*views: tuple[str, str, str]) -> None:
    """Drop the day's memoised ZIP of these views (an earlier run may have made it)."""
    import datetime as dt

    from dashboard import jobs

    for epci, commune, compare in views:
        jobs.manager().handle.delete(
            jobs.memo_key("zip", epci, commune, compare, dt.date.today().isoformat()))


def _style(dash_duo, selector: str, prop: str) -> str | None:
    return dash_duo.driver.execute_script(STYLE, selector, prop)


def _graph_widths(dash_duo) -> list[float]:
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#territoire-profil .js-plotly-plot'))"
        ".map(g => g.getBoundingClientRect().width);")


@pytest.fixture
def jobs_dir(monkeypatch):
    """A short, empty jobs directory for the jobs' temporary directories (the job
    store itself was opened when the app was imported)."""
    path = Path(tempfile.mkdtemp(prefix="aj-"))
    monkeypatch.setenv("AURA_JOBS_DIR", str(path))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_print_stylesheet_zip_download_and_cancel(dash_duo, dashboard_app, monkeypatch, jobs_dir,
                                                  window):
    _forget_memo((ANNONAY, "", ""), (BOURG, "", ""))
    window("tall")
    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/territoire?epci={ANNONAY}", timeout=20)
    until(lambda: len(dash_duo.find_elements("#territoire-profil .js-plotly-plot .main-svg"))
          >= 8, timeout=20, msg="charts not drawn")
    # French label of the toolbar's PNG button.
    assert dash_duo.find_elements(
        "#territoire-graph-parts .modebar-btn[data-title='Télécharger le graphique en PNG']")

    # Print media: no navigation chrome, a print header, charts within the A4 width.
    assert _style(dash_duo, ".print-header", "display") == "none"
    assert max(_graph_widths(dash_duo)) > 700
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert _style(dash_duo, ".site-header", "display") == "none"
    assert _style(dash_duo, ".territoire-picker", "display") == "none"
    assert _style(dash_duo, ".territoire-actions", "display") == "none"
    assert _style(dash_duo, ".print-header", "display") == "block"
    assert _style(dash_duo, ".site-footer", "display") != "none"  # the sources stay
    assert _style(dash_duo, "#territoire-graph-parts", "display") != "none"
    assert _style(dash_duo, ".chart-card", "breakInside") == "avoid"
    assert _style(dash_duo, ".kpi-card", "breakInside") == "avoid"
    page_width = dash_duo.driver.execute_script(
        "return document.querySelector('#territoire-profil').getBoundingClientRect().width")
    assert page_width <= 704  # 186 mm: A4 less 12 mm margins
    until(lambda: max(_graph_widths(dash_duo)) <= page_width + 1, timeout=5,
          msg="charts wider than the printed page")
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    until(lambda: max(_graph_widths(dash_duo)) > 700, timeout=10,
          msg="charts did not take their width back after printing")
    assert _style(dash_duo, ".site-header", "display") != "none"

    # One click: a background job renders every chart of the profile on the server,
    # with its progress, and the ZIP is downloaded.
    from dashboard.export import slides

    total = len(slides.profile_pages(ANNONAY, None, ()))
    dash_duo.find_element("#territoire-export-zip").click()
    dash_duo.wait_for_contains_text("#territoire-export-etat", f" / {total} images", timeout=20)
    assert dash_duo.find_element("#territoire-export-progression").is_displayed()
    assert not dash_duo.find_element("#territoire-export-zip").is_enabled()
    bar = dash_duo.find_element("#territoire-export-barre .progress-bar")
    assert bar.get_attribute("role") == "progressbar"
    assert bar.get_attribute("aria-valuemax") == str(total)
    folder = Path(dash_duo.download_path)
    until(lambda: [p for p in folder.glob("*.zip")], timeout=60, msg="no ZIP downloaded")
    (path,) = folder.glob("*.zip")
    assert path.name.startswith("graphiques_ca-annonay-rhone-agglo_")
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zf:
        pngs = [n for n in zf.namelist() if n.endswith(".png")]
    assert len(pngs) == total and any("carte-taux-logements-sociaux_" in n for n in pngs)
    dash_duo.wait_for_contains_text("#territoire-export-message", "images PNG", timeout=10)
    until(lambda: dash_duo.find_element("#territoire-export-zip").is_enabled(), timeout=5)
    until(lambda: not dash_duo.find_element("#territoire-export-progression").is_displayed(),
          timeout=5, msg="progress bar still shown")
    until(lambda: not _job_processes(), timeout=10, msg="export job still alive")
    assert _only_locks(jobs_dir)

    # A slow export (one more second per image) is cancelled half-way.
    from dashboard.export import png

    real = png.render_png

    def slow(fig, **kw):
        time.sleep(1)
        return real(fig, **kw)

    monkeypatch.setattr(png, "render_png", slow)  # inherited by the forked job
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/territoire?epci={BOURG}", timeout=20)
    dash_duo.wait_for_element("#territoire-export-zip", timeout=20).click()
    dash_duo.wait_for_contains_text("#territoire-export-etat", "1 / ", timeout=20)
    running = _job_processes()
    assert len(running) == 1
    from dashboard import jobs

    assert jobs.job_dir(running[0].pid).is_dir()
    assert _using(jobs.job_dir(running[0].pid))  # the job's Chromium
    dash_duo.find_element("#territoire-export-annuler").click()
    until(lambda: not _job_processes(), timeout=10, msg="cancelled job still alive")
    until(lambda: not _using(jobs.job_dir(running[0].pid)), timeout=10,
          msg="the cancelled job's Chromium is still alive")
    until(lambda: dash_duo.find_element("#territoire-export-zip").is_enabled(), timeout=10,
          msg="export button not back after cancelling")
    until(lambda: not dash_duo.find_element("#territoire-export-progression").is_displayed(),
          timeout=5, msg="progress bar still shown after cancelling")
    assert not psutil.pid_exists(running[0].pid) or (
        psutil.Process(running[0].pid).status() == psutil.STATUS_ZOMBIE)
    # The cancel request ends the job on the server while the page has already
    # given the button back: its temporary directory goes once Chromium is gone.
    until(lambda: not jobs.job_dir(running[0].pid).exists(), timeout=15,
          msg="the cancelled job's temporary directory is still there")
    assert _only_locks(jobs_dir)
    assert [p.name for p in folder.glob("*.zip")] == [path.name]  # nothing more downloaded
    assert dash_duo.find_element("#territoire-export-message").text == ""
    assert dash_duo.get_logs() == []


def _camera(dash_duo, graph: str) -> None:
    """Click the toolbar's camera of a chart (shown on hover: clicked by script)."""
    button = dash_duo.find_element(
        f"#{graph} .modebar-btn[data-title='Télécharger le graphique en PNG']")
    dash_duo.driver.execute_script("arguments[0].click();", button)


def _pngs(folder: Path) -> dict[str, tuple[int, int]]:
    """Finished PNG downloads of the folder and their pixel sizes."""
    from PIL import Image

    found = {}
    for path in folder.glob("*.png"):
        try:
            with Image.open(path) as image:
                found[path.name] = image.size
        except OSError:  # still being written
            pass
    return found


def test_camera_downloads_the_charts_16_9_slides(dash_duo, dashboard_app):
    """The toolbar camera gives the ZIP's slide: 1920×1080 for a chart that fits (the
    numbered slides of a tall chart come from the same route: tests/export/
    test_slide_route.py)."""
    import datetime as dt

    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/territoire?epci={ANNONAY}", timeout=20)
    dash_duo.wait_for_element("#territoire-graph-carte .main-svg", timeout=20)
    dash_duo.wait_for_element("#territoire-graph-parts .main-svg", timeout=20)
    folder = Path(dash_duo.download_path)
    day = dt.date.today().isoformat()

    _camera(dash_duo, "territoire-graph-carte")
    name = f"carte-taux-logements-sociaux_ca-annonay-rhone-agglo_{day}.png"
    until(lambda: name in _pngs(folder), timeout=20, msg="no slide downloaded")
    assert _pngs(folder)[name] == (1920, 1080)

    assert dash_duo.get_logs() == []


def _zip_pngs(path: Path) -> dict[str, tuple[int, int]] | None:
    """Pixel sizes of the PNG files of a finished ZIP download (None while it is written)."""
    import io
    import zipfile

    from PIL import Image

    try:
        with zipfile.ZipFile(path) as zf:
            found = {}
            for name in zf.namelist():
                with Image.open(io.BytesIO(zf.read(name))) as image:
                    found[name] = image.size
            return found
    except (OSError, zipfile.BadZipFile):
        return None


def test_camera_of_a_tall_chart_downloads_its_numbered_slides(dash_duo, dashboard_app):
    """A chart too tall for one slide (29 communes): the camera gives one ZIP of its
    numbered 1920×1080 slides, the same as the profile's ZIP."""
    import datetime as dt

    from dashboard.export import slides

    dash_duo.start_server(dashboard_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/territoire?epci={ANNONAY}", timeout=20)
    dash_duo.wait_for_element("#territoire-graph-parts .main-svg", timeout=20)
    folder = Path(dash_duo.download_path)
    day = dt.date.today().isoformat()
    pages = [p for p in slides.profile_pages(ANNONAY) if p.key == "parts"]
    assert len(pages) > 1

    _camera(dash_duo, "territoire-graph-parts")
    archive = folder / f"taux-logements-sociaux_ca-annonay-rhone-agglo_{day}_diapositives.zip"
    until(lambda: _zip_pngs(archive) is not None, timeout=30, msg="no ZIP of slides")
    found = _zip_pngs(archive)
    assert found == {f"taux-logements-sociaux-{p.number}-sur-{len(pages)}_"
                     f"ca-annonay-rhone-agglo_{day}.png": (1920, 1080) for p in pages}
    assert dash_duo.get_logs() == []
