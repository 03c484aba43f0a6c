"""The app's entry point: refuses an invalid table or map layer, serves only same-origin
files."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import dash
import pandas as pd
import pytest
from dash import dcc, html
from dash._utils import split_callback_id

from dashboard import app_factory, routes, shell
from dashboard.data.atomic import served_dir
from tests.layout_tools import component_ids, components, id_key, text
from tests.servers import GUNICORN, Gunicorn, clean_env

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVED = served_dir(ROOT / "data")  # the committed version the bundled data point to


@pytest.fixture(scope="module")
def broken_data_dir(tmp_path_factory) -> Path:
    """A data directory whose commune table lacks the `population` column."""
    out = tmp_path_factory.mktemp("data_invalide")
    df = pd.read_parquet(SERVED / "communes.parquet")
    df.drop(columns=["population"]).to_parquet(out / "communes.parquet")
    shutil.copytree(SERVED / "geo", out / "geo")
    (out / "raw").mkdir()
    shutil.copy(ROOT / "data" / "raw" / "ref_epci_2026.csv", out / "raw")
    return out


def _data_copy(out: Path) -> Path:
    """A flat copy of the served files (valid), to damage one of them."""
    shutil.copy(SERVED / "communes.parquet", out / "communes.parquet")
    shutil.copytree(SERVED / "geo", out / "geo")
    (out / "raw").mkdir()
    shutil.copy(ROOT / "data" / "raw" / "ref_epci_2026.csv", out / "raw")
    return out


@pytest.fixture(scope="module")
def corrupt_communes_layer(tmp_path_factory) -> Path:
    """The commune map layer cut in the middle (a disk full while copying)."""
    out = _data_copy(tmp_path_factory.mktemp("carte_communes_corrompue"))
    path = out / "geo" / "communes.geojson"
    path.write_bytes(path.read_bytes()[:5000])
    return out


@pytest.fixture(scope="module")
def missing_epci_layer(tmp_path_factory) -> Path:
    out = _data_copy(tmp_path_factory.mktemp("carte_epci_absente"))
    (out / "geo" / "epci.geojson").unlink()
    return out


def _env(data_dir: Path) -> dict[str, str]:
    return clean_env(AURA_DATA_DIR=str(data_dir))


def _assert_refused(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode != 0
    assert "n'est pas valide" in proc.stderr
    assert "colonne « population » absente" in proc.stderr
    assert "ne démarre pas" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_python_app_refuses_invalid_table(broken_data_dir):
    proc = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=_env(broken_data_dir),
                          capture_output=True, text=True, timeout=120)
    _assert_refused(proc)
    assert proc.returncode == 1


def test_gunicorn_refuses_invalid_table(broken_data_dir):
    proc = subprocess.run(
        [GUNICORN, "app:server", "--preload", "--no-control-socket", "-w", "1",
         "-b", "127.0.0.1:0"],
        cwd=ROOT, env=_env(broken_data_dir), capture_output=True, text=True, timeout=120,
    )
    _assert_refused(proc)


def test_gunicorn_without_preload_stops_instead_of_respawning(broken_data_dir):
    # Each worker loads the app; gunicorn must halt, not restart workers forever.
    # (One worker: when several fail at once, gunicorn 27 itself may print a
    # traceback of its HaltServer while stopping; it still stops.)
    proc = subprocess.run(
        [GUNICORN, "app:server", "--no-control-socket", "-w", "1", "-b", "127.0.0.1:0"],
        cwd=ROOT, env=_env(broken_data_dir), capture_output=True, text=True, timeout=120,
    )
    _assert_refused(proc)


def _assert_layer_refused(proc: subprocess.CompletedProcess, name: str) -> None:
    assert proc.returncode != 0
    assert f"{name} n'est pas valide" in proc.stderr
    assert "couche cartographique illisible" in proc.stderr
    assert "ne démarre pas" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


@pytest.mark.parametrize("case, name", [("corrupt_communes_layer", "communes.geojson"),
                                        ("missing_epci_layer", "epci.geojson")])
def test_python_app_refuses_a_broken_map_layer(request, case, name):
    proc = subprocess.run([sys.executable, "app.py"], cwd=ROOT,
                          env=_env(request.getfixturevalue(case)), capture_output=True,
                          text=True, timeout=120)
    _assert_layer_refused(proc, name)
    assert proc.returncode == 1


@pytest.mark.parametrize("case, name", [("corrupt_communes_layer", "communes.geojson"),
                                        ("missing_epci_layer", "epci.geojson")])
def test_gunicorn_refuses_a_broken_map_layer(request, case, name):
    proc = subprocess.run(
        [GUNICORN, "app:server", "--preload", "--no-control-socket", "-w", "1",
         "-b", "127.0.0.1:0"],
        cwd=ROOT, env=_env(request.getfixturevalue(case)), capture_output=True, text=True,
        timeout=120,
    )
    _assert_layer_refused(proc, name)


def test_gunicorn_serves_the_bundled_data():
    """`make run`'s command on the real table answers on the home page."""
    server = Gunicorn(["app:server", "--preload", "--no-control-socket", "-w", "2",
                       "-b", "127.0.0.1:0"])
    try:
        with urllib.request.urlopen(server.url("/"), timeout=30) as resp:
            assert resp.status == 200
            assert '<html lang="fr">' in resp.read().decode("utf-8")
    finally:
        server.stop()


# --- in-process checks with Flask's test client -----------------------------------------

def test_home_is_french_and_same_origin(client):
    resp = client.get("/")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "<title>Logement social et revitalisation — AURA-HLM</title>" in html
    urls = re.findall(r'<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]*)"', html)
    assert any("/vendor/bootstrap/css/bootstrap.min.css" in u for u in urls)
    assert any(u.startswith("/assets/plotly-locale-fr.js") for u in urls)
    assert any(u.startswith("/assets/style.css") for u in urls)
    for url in urls:
        assert not re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I), url
        assert url.startswith("/"), url


def test_every_linked_file_is_served(client):
    html = client.get("/").get_data(as_text=True)
    urls = re.findall(r'<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]*)"', html)
    assert len(urls) >= 4, urls  # Bootstrap, plotly.js, its locale, style.css at least
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_bootstrap_is_served_from_the_package(client):
    resp = client.get("/vendor/bootstrap/css/bootstrap.min.css")
    assert resp.status_code == 200
    assert resp.mimetype == "text/css"
    assert "Bootstrap" in resp.get_data(as_text=True)[:200]
    assert resp.cache_control.max_age >= 30 * 24 * 3600
    assert resp.cache_control.public
    js = client.get("/vendor/bootstrap/js/bootstrap.bundle.min.js")
    assert js.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/vendor/bootstrap/../../app.py",
        "/vendor/bootstrap/css/../../../__init__.py",
        "/vendor/bootstrap/..%2f..%2f__init__.py",
        "/vendor/bootstrap/css/..%2f..%2f..%2fbootstrap%2f__init__.css",
        "/vendor/bootstrap/%2fetc%2fpasswd",
        "/vendor/bootstrap//etc/passwd.css",
        "/vendor/bootstrap/absent.css",
        "/vendor/autre/css/bootstrap.min.css",
    ],
)
def test_vendor_route_refuses_other_files(client, path):
    resp = client.get(path)
    assert resp.status_code == 404
    assert "root:" not in resp.get_data(as_text=True)


PREFIX_CHECK = """
import json

from dashboard.app_factory import create_app

app = create_app(requests_pathname_prefix="/tdb/", routes_pathname_prefix="/tdb/")
client = app.server.test_client()
html = client.get("/tdb/").get_data(as_text=True)
assert 'href="/tdb/vendor/bootstrap/css/bootstrap.min.css' in html, html
assert client.get("/tdb/vendor/bootstrap/css/bootstrap.min.css").status_code == 200
assert client.get("/tdb/telechargements/engagements_bailleurs_modele.csv").status_code == 200
assert "/tdb/territoire" in json.dumps(client.get("/tdb/_dash-layout").get_json())
print("ok")
"""


def test_create_app_honours_a_path_prefix():
    # In a subprocess: Dash's page registry is global to the process.
    proc = subprocess.run([sys.executable, "-c", PREFIX_CHECK], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


# --- pages from the page registry ---------------------------------------------------------

MENU = [("Vue régionale", "/"), ("Territoire", "/territoire"), ("Programmes", "/programmes"),
        ("Bailleurs", "/bailleurs"), ("Méthode et sources", "/methode")]

EXAMPLE_QUERIES = {"/territoire": [{"epci": "200072015", "commune": "07010"}]}
"""Queries under which a page shows more components than in its default layout (the
profile's export buttons need a territory). Every page is also laid out without one."""


def test_the_menu_is_the_page_registry(dashboard_app):
    """Every registered page but the 404 is in the menu, in `order`, with the same
    link ids the active-link callback writes to."""
    pages = [p for p in dash.page_registry.values() if not p["module"].endswith("404")]
    assert [(p["name"], p["path"]) for p in pages] == MENU
    assert [(p["name"], p["path"]) for p in shell.menu_pages()] == MENU
    links = [c for c in components(dashboard_app.layout)
             if isinstance(c, dcc.Link) and str(getattr(c, "id", "")).startswith("nav-")]
    assert [(link.children, link.href) for link in links] == MENU
    marking = dashboard_app.callback_map[
        "..nav-0.className...nav-1.className...nav-2.className...nav-3.className"
        "...nav-4.className.."]
    assert marking["inputs"] == [{"id": "url", "property": "pathname"}]


def test_grid_pages_come_from_the_registry():
    assert app_factory.grid_pages() == {"/", "/programmes"}


def _layouts(page: dict) -> list:
    layout = page["layout"]
    if not callable(layout):
        return [layout]
    return [layout(), *(layout(**query) for query in EXAMPLE_QUERIES.get(page["path"], []))]


def test_every_callback_id_is_in_the_shell_or_a_page(client, dashboard_app):
    """suppress_callback_exceptions hides a callback whose component does not exist:
    every Output, Input and State id must be in the shell or in a page's layout
    (pattern-matching ids by their type key)."""
    assert set(EXAMPLE_QUERIES) <= {p["path"] for p in dash.page_registry.values()}
    known = component_ids(dashboard_app.layout)
    for page in dash.page_registry.values():
        for layout in _layouts(page):
            known |= component_ids(layout)
    checked, missing = 0, set()
    for key, callback in dashboard_app.callback_map.items():
        outputs = split_callback_id(key)
        outputs = outputs if isinstance(outputs, list) else [outputs]
        for dep in [*outputs, *callback["inputs"], *callback["state"]]:
            checked += 1
            if id_key(dep["id"]) not in known:
                missing.add((str(dep["id"]), dep["property"]))
    assert checked >= 50, checked  # the callbacks of every page were collected
    assert missing == set()


def test_a_callback_on_a_missing_id_is_caught():
    """The check above knows a missing id when it sees one."""
    known = component_ids(html.Div([html.Span(id="present"), html.Span(id={"type": "t",
                                                                             "index": 1})]))
    assert id_key("present") in known
    assert id_key('{"index":["MATCH"],"type":"t"}') in known
    assert id_key("absent") not in known
    assert id_key('{"index":["ALL"],"type":"u"}') not in known


def test_pages_do_not_import_the_app_or_add_routes():
    """Pages register, lay out and declare callbacks; routes are added at app creation
    (dashboard/routes.py) and pages take addresses from dashboard/urls.py."""
    pages = sorted((ROOT / "dashboard" / "pages").glob("*.py"))
    assert len(pages) >= 6
    for path in pages:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(?:from|import)\s.*\bapp_factory\b", source, re.M), path.name
        for call in ("add_url_rule", "get_app()", ".route("):
            assert call not in source, (path.name, call)


def test_every_route_is_registered_by_create_app(dashboard_app):
    rules = {rule.endpoint: rule.rule for rule in dashboard_app.server.url_map.iter_rules()}
    assert rules["vendor_file"] == "/vendor/<path:rest>"
    assert rules["geo_file"] == "/geo/<layer>.geojson"
    assert rules[routes.DOWNLOAD_ENDPOINT] == "/telechargements/<path:name>"


def test_the_footer_cites_every_programmes_source(dashboard_app):
    from dashboard import registry
    from dashboard.data import sources

    footer = next(c for c in components(dashboard_app.layout) if isinstance(c, html.Footer))
    line = text(footer)
    assert line.startswith("Sources : SDES, RPLS au 1er janvier 2024 ; INSEE, COG")
    for programme in registry.PROGRAMMES:
        assert sources.BY_KEY[programme.source].citation in line, programme.key
    assert "données de démonstration" in line


def test_warm_up_lays_out_the_home_page_and_a_profile(dashboard_app):
    """What their first visitor would compute is in the caches once `warm_up` ran."""
    from dashboard.data import store
    from dashboard.views import regional, territoire

    store.reset()
    assert regional.map_chart.cache_info().currsize == 0
    app_factory.warm_up()
    assert regional.map_chart.cache_info().currsize == 1
    assert territoire.shares_chart.cache_info().currsize == 1
    assert app_factory.WARM_PAGES == ("/", "/territoire")
