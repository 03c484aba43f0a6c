"""The partial plotly.js (dashboard/vendor/, `make plotly-bundle`) fits the figures.

A figure that uses a trace type the bundle lacks would draw nothing in the
browser (plotly.js only logs a warning): these tests fail first. They also
check that the bundle is the plotly.js version of the Python plotly package,
that the committed files match their manifest, and how the app serves them.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import brotli
import plotly
import plotly.graph_objects as go
import pytest
from plotly.basedatatypes import BaseTraceType

from dashboard import config, vendor
from tests.layout_tools import components

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "tools" / "plotly-bundle"

# Every trace type plotly knows, by class name ("Scattergeo" -> "scattergeo").
TRACE_CLASSES = {name: getattr(go, name)().type for name in dir(go)
                 if isinstance(getattr(go, name), type)
                 and issubclass(getattr(go, name), BaseTraceType)}
TRACE_TYPES = set(TRACE_CLASSES.values())

# A few real territories: the largest EPCI of the region, a mid-sized one,
# a profile with a commune and comparisons, a department.
LYON, GRAND_LAC, ANNECY = "200046977", "200068674", "200066793"
PAGE_QUERIES = {
    "territoire": [{}, {"epci": LYON}, {"epci": GRAND_LAC},
                   {"epci": ANNECY, "commune": "74010", "compare": f"{LYON},{GRAND_LAC}"}],
    "bailleurs": [{}, {"epci": LYON}, {"departement": "38"}],
    "programmes": [{}, {"seuil": "1000", "departement": "63"}],
    "regional": [{}],
}


def _trace_types(figure: object) -> set[str]:
    if isinstance(figure, go.Figure):
        figure = figure.to_plotly_json()
    if not isinstance(figure, dict):
        return set()
    return {trace.get("type", "scatter") for trace in figure.get("data", [])}


@pytest.fixture(scope="module")
def app_figures(dashboard_app) -> dict[str, set[str]]:
    """Trace types of every figure in the layouts of every page, per page and query."""
    import dash

    import app  # noqa: F401  (registers the pages)
    from dashboard.data.regional import INDICATORS
    from dashboard.pages import regional
    from dashboard.views import territoire

    found: dict[str, set[str]] = {}
    for page in dash.page_registry.values():
        name = page["module"].rsplit(".", 1)[-1]
        for query in PAGE_QUERIES.get(name, [{}]):
            layout = page["layout"](**query) if callable(page["layout"]) else page["layout"]
            types = set()
            for component in components(layout):
                types |= _trace_types(getattr(component, "figure", None))
            found[f"{name} {query}"] = types
    # Figures built by callbacks rather than in a layout.
    for key in INDICATORS:
        found[f"regional map {key}"] = _trace_types(regional.map_chart(key).figure)
    found["export territoire"] = set().union(*(
        _trace_types(fig) for _, fig in territoire.profile_figures(LYON, compare=(GRAND_LAC,))))
    return found


def test_the_bundle_has_every_trace_type_the_app_draws(app_figures):
    bundled = set(vendor.manifest()["trace_types"])
    everything = set().union(*app_figures.values())
    # The known answer today; a new chart type changes it (and needs `make plotly-bundle`).
    assert everything == {"bar", "choropleth", "heatmap", "scatter", "scattergeo"}
    for where, types in app_figures.items():
        assert types <= bundled, (
            f"{where} uses {sorted(types - bundled)}, missing from plotly-aura.min.js: add "
            "the type to TRACE_TYPES in tools/plotly-bundle/build.py and run make plotly-bundle")


def test_the_pages_draw_charts(app_figures):
    """The collection above really sees figures (else the first test proves nothing)."""
    assert {"bar", "choropleth", "heatmap", "scatter"} <= app_figures[
        f"territoire {{'epci': '{GRAND_LAC}'}}"]
    assert "choropleth" in app_figures["regional {}"]
    assert "heatmap" in app_figures["bailleurs {}"]


def _source_trace_types() -> dict[str, set[str]]:
    """Trace types named in the dashboard's code: go.<Trace>(...), fig.add_<trace>(...),
    _trace("<trace>", ...) and dicts {"type": "<trace>"} (figures built as plain dicts)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        types = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                module = getattr(node.value, "id", None) or getattr(node.value, "attr", None)
                if node.attr in TRACE_CLASSES and module in {"go", "graph_objects"}:
                    types.add(TRACE_CLASSES[node.attr])
                elif node.attr.startswith("add_") and node.attr[4:] in TRACE_TYPES:
                    types.add(node.attr[4:])
            elif (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_trace"
                  and node.args and isinstance(node.args[0], ast.Constant)
                  and node.args[0].value in TRACE_TYPES):
                types.add(node.args[0].value)  # plain-dict traces: _trace("bar", ...)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (isinstance(key, ast.Constant) and key.value == "type"
                            and isinstance(value, ast.Constant) and value.value in TRACE_TYPES):
                        types.add(value.value)
        if types:
            found[str(path.relative_to(ROOT))] = types
    return found


def test_the_code_names_only_bundled_trace_types():
    bundled = set(vendor.manifest()["trace_types"])
    found = _source_trace_types()
    assert "bar" in found["dashboard/figures/territoire.py"]
    for path, types in found.items():
        assert types <= bundled, f"{path} uses {sorted(types - bundled)}, not in the bundle"
    for path in (ROOT / "dashboard").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [getattr(node, "module", None) or "", *(a.name for a in node.names)]
                assert not any("express" in n for n in names), (
                    f"{path}: plotly.express can produce any trace type; use graph_objects")


def test_the_bundle_is_the_python_packages_plotly_js():
    head = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(
        encoding="utf-8")[:400]
    python_version = re.search(r"plotly\.js v(\S+)", head).group(1)
    manifest = vendor.manifest()
    assert manifest["plotly_js_version"] == python_version
    banner = vendor.BUNDLE.read_text(encoding="utf-8").split("\n", 2)[1]  # after the hint
    assert banner.startswith(f"/*! plotly.js v{python_version} ")
    package = json.loads((BUILD / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["plotly.js"] == python_version
    lock = json.loads((BUILD / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/plotly.js"]["version"] == python_version


def test_the_manifest_matches_the_committed_files():
    manifest = vendor.manifest()
    data = vendor.BUNDLE.read_bytes()
    assert manifest["file"] == vendor.BUNDLE.name
    assert manifest["bytes"] == len(data)
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest()
    compressed = vendor.BUNDLE_BR.read_bytes()
    assert manifest["brotli_bytes"] == len(compressed)
    assert brotli.decompress(compressed) == data
    # Much smaller than the full plotly.js it replaces.
    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert len(data) < 0.4 * full.stat().st_size


COMMONJS_HELPER_RE = re.compile(
    r"var ([\w$]+)=\([\w$]+,[\w$]+\)=>\(\)=>\{try\{return "
    r"[\w$]+\|\|[\w$]+\(\([\w$]+=\{exports:\{\}\}\)")
"""esbuild's __commonJS helper, minified: every CommonJS module factory is passed to it."""


def test_every_module_factory_of_the_bundle_is_parenthesised():
    """V8 compiles a parenthesised function eagerly: each factory is compiled once,
    when the bundle runs, not pre-parsed then parsed again (eager-modules.js)."""
    code = vendor.BUNDLE.read_text(encoding="utf-8")
    helpers = COMMONJS_HELPER_RE.findall(code)
    assert len(helpers) == 1
    helper = re.escape(helpers[0])
    arrow = r"(?:\([\w$,]*\)|[\w$]+)=>"
    bare = re.findall(rf"(?<![\w$.]){helper}\({arrow}", code)
    wrapped = re.findall(rf"(?<![\w$.]){helper}\(\({arrow}", code)
    assert bare == []
    assert len(wrapped) == vendor.manifest()["eager_module_factories"] > 300


def test_the_bundle_opens_with_v8s_compile_hint():
    """On the first line, where V8 looks for it: every function is compiled while
    the file downloads (build.COMPILE_HINT)."""
    first = vendor.BUNDLE.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first + "\n" == _build_module().COMPILE_HINT == "//# allFunctionsCalledOnLoad\n"


def test_build_reports_a_failed_eager_modules_step(monkeypatch, tmp_path):
    build = _build_module()

    def failing(cmd, **kwargs):
        raise subprocess.CalledProcessError(1, cmd, stderr="eager-modules.js: no factory\n")

    monkeypatch.setattr(build.subprocess, "run", failing)
    bundle = tmp_path / "plotly.js"
    bundle.write_text("var Plotly;", encoding="utf-8")
    with pytest.raises(build.BuildError, match="eager-modules.js failed: eager-modules.js: no"):
        build.eager_modules(bundle)
    assert bundle.read_text(encoding="utf-8") == "var Plotly;"  # left as it was


def _build_module():
    """tools/plotly-bundle/build.py, imported from its path (it is not a package)."""
    spec = importlib.util.spec_from_file_location("plotly_bundle_build", BUILD / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_refuses_a_package_json_pinning_another_version(monkeypatch, capsys):
    build = _build_module()
    monkeypatch.setattr(build, "pinned_version", lambda: "3.0.0")
    monkeypatch.setattr(build, "build", lambda *a, **k: pytest.fail("built anyway"))
    assert build.main([]) == 1
    err = capsys.readouterr().err
    assert "pins plotly.js 3.0.0" in err
    assert f'"plotly.js": "{vendor.manifest()["plotly_js_version"]}"' in err


def test_build_check_only_agrees_with_the_committed_package_json():
    proc = subprocess.run([sys.executable, str(BUILD / "build.py"), "--check-only"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"plotly.js {vendor.manifest()['plotly_js_version']}:")


def test_build_entry_registers_the_trace_modules():
    build = _build_module()
    assert tuple(vendor.manifest()["trace_types"]) == build.TRACE_TYPES
    source = build.entry_source(("bar", "scatter", "heatmap"))
    assert "require('plotly.js/lib/core')" in source
    assert "require('plotly.js/lib/bar')" in source
    assert "require('plotly.js/lib/heatmap')" in source
    assert "lib/scatter'" not in source  # in core


def test_build_points_plotlys_cdn_defaults_at_the_site():
    build = _build_module()
    code = ('a={topojsonURL:{valType:"string",noBlank:!0,dflt:"https://cdn.plot.ly/un/",'
            'description:["fetched from cdn.plot.ly"]}}')
    patched = build.local_addresses(code)
    assert f'dflt:"{build.LOCAL_TOPOJSON_URL}"' in patched
    assert "https://cdn.plot.ly" not in patched
    assert "fetched from cdn.plot.ly" in patched  # plain text, not an address: kept
    with pytest.raises(build.BuildError, match="Expected one"):
        build.local_addresses("a={}")  # a plotly.js that writes its default otherwise
    with pytest.raises(build.BuildError, match="still names 'https://cdn.plot.ly/x"):
        build.local_addresses(code + ';b="https://cdn.plot.ly/x.json"')


# Hosts named in the partial plotly.js that plotly never contacts by itself: XML
# namespaces, licence and documentation links in comments and descriptions, the
# logo's link (`displaylogo` is off) and the "send to cloud" address (that button
# is removed from every toolbar, figures.common.graph_config).
PLOTLY_QUIET_HOSTS = {"www.w3.org", "getify.mit-license.org", "syntheti.cc",
                      "developer.mozilla.org", "github.com", "plotly.com", "cloud.plotly.com"}
ADDRESS_RE = re.compile(r"https?://([A-Za-z0-9.-]+)")
CDN_RE = re.compile(r"https?://(?:[\w.-]*\bcdn[\w-]*\.[\w.-]+|[\w.-]*(?:unpkg\.com|jsdelivr\.net"
                    r"|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|gstatic\.com"
                    r"|mapbox\.com|bootstrapcdn\.com))")


def test_the_bundle_names_no_address_plotly_would_fetch():
    code = vendor.BUNDLE.read_text(encoding="utf-8")
    build = _build_module()
    defaults = re.findall(r'topojsonURL:\{valType:"string",noBlank:!0,dflt:"([^"]*)"', code)
    assert defaults == [build.LOCAL_TOPOJSON_URL] == ["/vendor/plotly/topojson/"]
    assert CDN_RE.search(code) is None
    hosts = set(ADDRESS_RE.findall(code))
    assert hosts <= PLOTLY_QUIET_HOSTS, sorted(hosts - PLOTLY_QUIET_HOSTS)
    assert "cloud.plotly.com" in hosts  # the check reads real addresses


def test_no_served_asset_names_a_cdn(client, dashboard_app):
    """Every script and stylesheet of every page (and the chunks dcc loads for a
    chart and a drop-down) names no CDN address: nothing comes from the internet."""
    import dash

    assets: set[str] = set()
    for page in dash.page_registry.values():
        html = client.get(page["path"]).get_data(as_text=True)
        assets |= set(re.findall(r'<script src="([^"]*)"', html))
        assets |= set(re.findall(r'data-src="([^"]*)"', html))
        assets |= set(re.findall(r'<link rel="stylesheet" href="([^"]*)"', html))
    suite = "/_dash-component-suites/dash/dcc/"
    assets |= {f"{suite}async-graph.js", f"{suite}async-dropdown.js"}
    names = {a.split("?")[0].rsplit("/", 1)[-1] for a in assets}
    assert {"plotly-aura.min.js", "plotly-locale-fr.js", "bootstrap.min.css",
            "lazy-ag-grid.js", "async-graph.js"} <= names, names
    assert any(n.startswith("dash_ag_grid.") for n in names)
    for address in sorted(assets):
        resp = client.get(address)
        assert resp.status_code == 200, address
        body = resp.get_data().decode("utf-8", "replace")
        found = CDN_RE.search(body)
        assert found is None, f"{address} names {found.group(0)}"


# --- serving -------------------------------------------------------------------------------

def _head_scripts(html: str) -> list[str]:
    head = html.split("</head>", 1)[0]
    return re.findall(r'<script src="([^"]*)"></script>', head)


def test_pages_load_the_bundle_then_the_locale_before_dash(client):
    html = client.get("/territoire").get_data(as_text=True)
    scripts = _head_scripts(html)
    assert scripts[0] == f"/vendor/plotly/plotly-aura.min.js?v={vendor.version()}"
    assert re.fullmatch(r"/assets/plotly-locale-fr\.js\?m=[0-9a-f]{16}", scripts[1])
    # Synchronous (no async/defer), and not loaded a second time by Dash.
    assert html.count("plotly-locale-fr.js") == 1
    assert "plotly.min.js" not in html
    assert re.search(r"<script[^>]*\b(?:async|defer)\b[^>]*plotly", html) is None


def test_the_bundle_is_sent_compressed_and_cached_a_year(client):
    url = f"/vendor/plotly/plotly-aura.min.js?v={vendor.version()}"
    raw = vendor.BUNDLE.read_bytes()
    for accept, encoding in (("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"),
                             ("identity", None)):
        resp = client.get(url, headers={"Accept-Encoding": accept})
        assert resp.status_code == 200
        assert resp.mimetype == "text/javascript"
        assert resp.headers.get("Content-Encoding") == encoding
        assert resp.cache_control.max_age == 365 * 24 * 3600
        assert resp.cache_control.public
        assert "Accept-Encoding" in resp.headers["Vary"]
        body = resp.get_data()
        decoded = {"br": brotli.decompress, "gzip": __import__("gzip").decompress,
                   None: lambda b: b}[encoding](body)
        assert decoded == raw
    again = client.get(url, headers={"Accept-Encoding": "br",
                                     "If-None-Match": resp.headers["ETag"].strip('"')})
    assert again.status_code in (200, 304)
    # Without the current version stamp: served, but revalidated.
    stale = client.get("/vendor/plotly/plotly-aura.min.js?v=ancienne")
    assert stale.status_code == 200
    assert stale.cache_control.no_cache
    assert client.get("/vendor/plotly/plotly.min.js").status_code == 404
    assert client.get("/vendor/plotly/../__init__.py").status_code == 404


def test_the_locale_is_cached_a_year(client):
    html = client.get("/").get_data(as_text=True)
    resp = client.get(_head_scripts(html)[1])
    assert resp.status_code == 200
    assert "Télécharger le graphique en PNG" in resp.get_data(as_text=True)
    assert resp.cache_control.max_age == 365 * 24 * 3600


FULL_CHECK = """
from dashboard.app_factory import create_app
import plotly, re
app = create_app(load_data=False)
html = app.server.test_client().get("/").get_data(as_text=True)
print(re.findall(r'<script src="([^"]*)"></script>', html.split("</head>")[0])[0])
"""


def _run(code: str, bundle: str) -> subprocess.CompletedProcess:
    env = {**__import__("os").environ, config.PLOTLY_BUNDLE_ENV: bundle}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_full_bundle_setting_serves_the_full_plotly_js():
    proc = _run(FULL_CHECK, "full")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (
        f"/_dash-component-suites/plotly/package_data/plotly.min.js?v={plotly.__version__}")


def test_an_unknown_bundle_setting_stops_with_a_french_message():
    proc = _run(FULL_CHECK, "moyen")
    assert proc.returncode == 1
    assert "AURA_PLOTLY_BUNDLE='moyen' n'est pas une valeur reconnue" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(("value", "expected"), [("", "partial"), ("partial", "partial"),
                                                 (" FULL ", "full")])
def test_plotly_bundle_setting(monkeypatch, value, expected):
    monkeypatch.setenv(config.PLOTLY_BUNDLE_ENV, value)
    assert config.plotly_bundle() == expected


# --- dash-ag-grid's JavaScript only where a grid is --------------------------------------

def test_grid_pages_are_the_pages_whose_layout_has_a_grid(dashboard_app):
    import dash
    import dash_ag_grid as dag

    from dashboard.app_factory import grid_pages

    with_grid = set()
    for page in dash.page_registry.values():
        layout = page["layout"]() if callable(page["layout"]) else page["layout"]
        if any(isinstance(c, dag.AgGrid) for c in components(layout)):
            with_grid.add(page["path"])
    assert with_grid == {"/", "/programmes"}
    assert with_grid == grid_pages(), "set register_page(..., grid=True) on the page"


def _grid_scripts(html: str) -> list[tuple[str, str]]:
    return [(src, data) for src, data in re.findall(
        r'<script src="([^"]*)"(?: data-src="([^"]*)")?></script>', html)
        if "grid" in src]


@pytest.mark.parametrize("path", ["/", "/programmes?seuil=2000"])
def test_pages_with_a_grid_load_dash_ag_grid(client, path):
    scripts = _grid_scripts(client.get(path).get_data(as_text=True))
    assert len(scripts) == 1
    src, data = scripts[0]
    assert re.fullmatch(r"/_dash-component-suites/dash_ag_grid/dash_ag_grid\.v[^/]*\.min\.js",
                        src), src
    assert data == ""


@pytest.mark.parametrize("path", ["/territoire", "/territoire?epci=200068674", "/bailleurs",
                                  "/methode", "/page-inexistante"])
def test_pages_without_a_grid_load_the_stand_in(client, path):
    scripts = _grid_scripts(client.get(path).get_data(as_text=True))
    assert len(scripts) == 1
    src, data = scripts[0]
    assert src.startswith("/vendor/aura/lazy-ag-grid.js?v=")
    assert data.startswith("/_dash-component-suites/dash_ag_grid/dash_ag_grid.")
    assert client.get(data).status_code == 200  # what the stand-in fetches if needed
    resp = client.get(src)
    assert resp.status_code == 200
    assert resp.mimetype == "text/javascript"
    assert resp.cache_control.max_age == 365 * 24 * 3600
    assert "window.dash_ag_grid" in resp.get_data(as_text=True)


def test_the_grid_stand_in_honours_a_path_prefix():
    code = """
from dashboard.app_factory import create_app
import re
app = create_app(load_data=False, requests_pathname_prefix="/tdb/",
                 routes_pathname_prefix="/tdb/")
client = app.server.test_client()
html = client.get("/tdb/territoire").get_data(as_text=True)
src, data = re.search(r'<script src="([^"]*lazy[^"]*)" data-src="([^"]*)"', html).groups()
assert src.startswith("/tdb/vendor/aura/"), src
assert data.startswith("/tdb/_dash-component-suites/dash_ag_grid/"), data
assert client.get(src).status_code == 200
home = client.get("/tdb/").get_data(as_text=True)
assert "lazy-ag-grid" not in home and "dash_ag_grid.v" in home
bundle = re.search(r'<script src="(/tdb/vendor/plotly/[^"]*)"', home).group(1)
assert client.get(bundle).status_code == 200
print("ok")
"""
    proc = _run(code, "partial")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


# --- the regenerator runtime in place of Dash's Babel polyfill -----------------------------

@pytest.mark.parametrize("path", ["/", "/territoire?epci=200068674", "/bailleurs", "/methode",
                                  "/page-inexistante"])
def test_pages_load_the_regenerator_runtime_instead_of_dashs_polyfill(client, path):
    html = client.get(path).get_data(as_text=True)
    assert "polyfill" not in html
    scripts = re.findall(r'<script src="([^"]*)"></script>', html)
    runtime = [s for s in scripts if "regenerator-runtime" in s]
    stamp = vendor.stamp(vendor.REGENERATOR)
    assert runtime == [f"/vendor/aura/regenerator-runtime.min.js?v={stamp}"]
    # In the polyfill's place: before React and Dash's renderer.
    assert scripts.index(runtime[0]) < min(i for i, s in enumerate(scripts) if "react@" in s)
    resp = client.get(runtime[0])
    assert resp.status_code == 200
    assert resp.mimetype == "text/javascript"
    assert resp.cache_control.max_age == 365 * 24 * 3600
    assert "regeneratorRuntime=" in resp.get_data(as_text=True)


def test_dash_still_ships_the_polyfill_the_pages_leave_out(dashboard_app):
    """The replaced tag is Dash's (else the test above would prove nothing)."""
    from dashboard.app_factory import POLYFILL_SCRIPT_RE, without_polyfill

    with dashboard_app.server.test_request_context("/methode"):
        scripts = dashboard_app._generate_scripts_html()
    assert len(POLYFILL_SCRIPT_RE.findall(scripts)) == 1
    assert "polyfill" not in without_polyfill(dashboard_app, scripts)


def test_the_regenerator_runtime_is_the_pinned_npm_package():
    build = _build_module()
    pinned = build.pinned_version("regenerator-runtime")
    lock = json.loads((BUILD / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/regenerator-runtime"]["version"] == pinned
    first_line = vendor.REGENERATOR.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line.startswith(f"/*! regenerator-runtime v{pinned} ")
    assert "MIT license" in first_line
