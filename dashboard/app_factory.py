"""Build the Dash app: pages, local Bootstrap, French page shell.

Everything about the pages is read from `dash.page_registry`: the menu and its
active-link marking (`shell.menu_pages()`, in `register_page(order=...)` order), the
pages that load AG Grid (`register_page(..., grid=True)`), the security tests'
page lists and the fuzzer's page paths. A new page is one module in
dashboard/pages/. Extra routes (vendor/, geo/, downloads) are registered here, at
app creation, by `dashboard.routes`; pages link to them through `dashboard.urls`.

`create_app()` loads and validates the tables first. With gunicorn
`--preload` that happens once in the master, before the workers fork. An
invalid table stops the process with the French message of the data layer
(non-zero exit status, no traceback): the app never serves a broken table.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dash
import flask
import plotly
from dash import _pages, dcc, html
from dash._utils import to_json

from . import config, routes, security, vendor
from .config import TITLE
from .data import store
from .data.schema import TableError
from .shell import highlight_current_page, menu_pages, shell

logger = logging.getLogger(__name__)

# Dash's default index with lang="fr" on <html>, and the scripts outside the
# <footer> element Dash puts them in (an empty landmark for screen readers).
# plotly.js, then its French locale, are loaded synchronously in <head>, before
# Dash's scripts run: dcc.Graph finds window.Plotly, with the locale already
# registered, on every page and after any client-side navigation (without it,
# dcc.Graph would fetch the full plotly.js from the component suites and draw
# with whichever copy came first). The browser still downloads Dash's scripts
# in parallel. plotly.js is the partial bundle of dashboard/vendor/ unless
# AURA_PLOTLY_BUNDLE=full. Versioned URLs: cached for a year.
INDEX_STRING = """<!DOCTYPE html>
<html lang="fr">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        <script src="PLOTLY_JS_URL"></script>
        <script src="PLOTLY_LOCALE_URL"></script>
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>
"""
PLOTLY_LOCALE = "plotly-locale-fr.js"
"""In assets/, but left out of Dash's automatic scripts: INDEX_STRING loads it."""


def load_tables_or_exit() -> None:
    """Load and check everything the app serves (the commune table and both map
    layers); on a missing or invalid file print why in French and exit."""
    try:
        store.load_all()
    except TableError as err:
        print(err.message(), file=sys.stderr)
        print("Le tableau de bord ne démarre pas avec une table ou une couche cartographique "
              "invalide : corrigez le fichier ou reconstruisez les tables avec « make data ».",
              file=sys.stderr)
        sys.stderr.flush()
        raise SystemExit(_exit_status()) from None


def _exit_status() -> int:
    """1, or gunicorn's "app failed to load" status inside gunicorn.

    Without --preload each gunicorn worker loads the app; a worker exiting with
    4 (Arbiter.APP_LOAD_ERROR) stops the server, any other status makes the
    master start new workers forever.
    """
    return 4 if "gunicorn.arbiter" in sys.modules else 1


GRID_SCRIPT_RE = re.compile(
    r'<script src="(?P<src>[^"]*/_dash-component-suites/dash_ag_grid/dash_ag_grid[^"]*\.js)">'
    r"</script>")


POLYFILL_SCRIPT_RE = re.compile(
    r'<script src="[^"]*/_dash-component-suites/dash/deps/polyfill@[^"]*\.js"></script>')
"""Dash's Babel polyfill (core-js 2 and regenerator): 36 KB compressed, and its
core-js replaces native functions plotly calls all the time (parseFloat, trim)."""


def grid_pages() -> frozenset[str]:
    """Paths of the pages whose layout has an AG Grid (`register_page(grid=True)`).

    Their index loads dash-ag-grid's JavaScript; every other page loads a small
    stand-in instead (dashboard/vendor/lazy-ag-grid.js), which fetches the real
    library only if a grid comes up after a client-side navigation
    (tests/test_plotly_bundle.py checks that the flag matches the layouts)."""
    return frozenset(page["path"] for page in dash.page_registry.values() if page.get("grid"))


def plotly_js_url(app: dash.Dash, bundle: str) -> str:
    """Versioned address of the plotly.js the pages load ("partial" or "full")."""
    if bundle == "full":
        return app.get_relative_path(f"{security.PLOTLY_JS}?v={plotly.__version__}")
    return app.get_relative_path(f"{routes.PLOTLY_BUNDLE_PATH}?v={vendor.version()}")


def plotly_locale_url(app: dash.Dash) -> str:
    """Address of assets/plotly-locale-fr.js stamped with its content hash (the
    `m` stamp makes security.py cache it for a year)."""
    data = (Path(app.config.assets_folder) / PLOTLY_LOCALE).read_bytes()
    stamp = hashlib.sha256(data).hexdigest()[:16]
    return f"{app.get_asset_url(PLOTLY_LOCALE)}?m={stamp}"


def page_needs_grid(app: dash.Dash, request_path: str) -> bool:
    """Whether the page at `request_path` (with the app's prefix) shows an AG Grid."""
    return "/" + app.strip_relative_path(request_path) in grid_pages()


def without_grid_script(app: dash.Dash, scripts: str) -> str:
    """Dash's script tags with dash-ag-grid's bundle replaced by the lazy stand-in."""
    stub = app.get_relative_path(f"{routes.LAZY_GRID_PATH}?v={vendor.lazy_grid_version()}")
    return GRID_SCRIPT_RE.sub(
        lambda m: f'<script src="{stub}" data-src="{m.group("src")}"></script>', scripts)


def prerendered_page(app: dash.Dash, address: str | None, host: str) -> html.Div | None:
    """Dash's page container with the page at `address` already rendered, or None.

    On a first load, Dash's renderer asks for the layout (`/_dash-layout`), then its
    pages router asks for the page's content in a callback once the URL's
    Location is mounted: one more round trip, then a second React render, before
    any chart can be drawn. The layout request carries the page's address (its
    Referer: same origin, so the default policy sends it whole), so the shell can
    come with the page inside: the same call of the page's `layout` as Dash's
    router makes (`dash.dash.enable_pages`), and a Location holding the address's
    pathname, search, hash and href, which therefore does not fire the router.
    None (the router renders the page, as before) when the address is missing,
    from another host, outside the app, not a page, or when its layout fails; and
    for the app's root without a query: that is also what browsers send in place of
    an address over 4 KB (cut to its origin) or under an origin-only referrer
    policy, and a wrong page pre-rendered would stay on screen.
    """
    if not address:
        return None
    try:
        parts = urlsplit(address)
        if parts.scheme not in ("http", "https") or parts.netloc != host:
            return None
        prefix = app.config.requests_pathname_prefix
        if not (parts.path + "/").startswith(prefix) or (
                parts.path.rstrip("/") == prefix.rstrip("/") and not parts.query):
            return None
        page, variables = _pages._path_to_page(app.strip_relative_path(parts.path))
        if not page:
            return None
        search = f"?{parts.query}" if parts.query else ""
        layout, title = page.get("layout", ""), _title(page, variables)
        if callable(layout):
            layout = layout(**{**(variables or {}), **_pages._parse_query_string(search)})
    except Exception:  # the router will render the page (or its error) as before
        logger.exception("First page not pre-rendered for %r", address)
        return None
    href = parts._replace(fragment="").geturl()
    return html.Div([
        dcc.Location(id=dash.dash._ID_LOCATION, refresh="callback-nav", pathname=parts.path,
                     search=search, hash="", href=href),
        html.Div(layout, id=dash.dash._ID_CONTENT, disable_n_clicks=True),
        dcc.Store(id=dash.dash._ID_STORE, data={"title": title}),
        html.Div(id=dash.dash._ID_DUMMY, disable_n_clicks=True),
    ])


def _title(page: dict, variables: dict | None) -> str:
    """A page's title as Dash's router gives it (`register_page(title=...)`, a string
    or a function of the path's variables)."""
    title = page["title"]
    return title(**(variables or {})) if callable(title) else title


def page_title(app: dash.Dash, request_path: str) -> str | None:
    """The title of the page at `request_path` (with the app's prefix); None outside
    the pages."""
    page, variables = _pages._path_to_page(app.strip_relative_path(request_path))
    return _title(page, variables) if page else None


def without_polyfill(app: dash.Dash, scripts: str) -> str:
    """Dash's script tags with its Babel polyfill replaced by the regenerator runtime.

    Every browser that runs React 18 and Dash 4's bundles has what core-js 2 adds,
    natively; Dash's bundles still call the global `regeneratorRuntime` when they
    load a lazy chunk (a chart, a drop-down), so that part is kept (npm's
    regenerator-runtime, dashboard/vendor/)."""
    runtime = app.get_relative_path(
        f"{routes.REGENERATOR_PATH}?v={vendor.stamp(vendor.REGENERATOR)}")
    return POLYFILL_SCRIPT_RE.sub(f'<script src="{runtime}"></script>', scripts)


ZIP_SCRIPT_META = "aura-zip-script"
"""Name of the meta tag giving assets/presentation.js the ZIP writer's address."""


def zip_script_meta(app: dash.Dash) -> str:
    """A meta tag with the versioned address of fflate's `zipSync` (dashboard/vendor/),
    which assets/presentation.js loads only when it writes a ZIP."""
    src = app.get_relative_path(f"{routes.ZIP_SCRIPT_PATH}?v={vendor.stamp(vendor.FFLATE)}")
    return f'<meta name="{ZIP_SCRIPT_META}" content="{src}">'


class _DashboardApp(dash.Dash):
    """dash.Dash whose front-end config leaves out the server's Python build, whose
    pages without a grid do not load dash-ag-grid's JavaScript, whose pages load
    the regenerator runtime instead of Dash's Babel polyfill, and whose first
    layout comes with the page inside (`prerendered_page`)."""

    def serve_layout(self):
        if not flask.has_request_context():
            return super().serve_layout()
        container = prerendered_page(self, flask.request.referrer, flask.request.host)
        if container is None:
            response = super().serve_layout()
        else:  # as Dash's serve_layout, with the page inside
            # the shell starts at the address of the page inside (its Location)
            layout = shell(self, container, here=container.children[0])
            for hook in self._hooks.get_hooks("layout"):
                layout = hook(layout)
            response = flask.Response(to_json(layout), mimetype="application/json")
        response.vary.add("Referer")  # the layout depends on the page asking for it
        return response

    def clientside_callback(self, clientside_function, *args, **kwargs):
        """Dash's page-title callback (pages router) runs on navigations only: the index
        already has the page's title (`interpolate_index`)."""
        if args and str(args[0]) == f"{dash.dash._ID_DUMMY}.children":
            kwargs["prevent_initial_call"] = True
        return super().clientside_callback(clientside_function, *args, **kwargs)

    def _config(self):
        return security.public_config(super()._config())

    def interpolate_index(self, **kwargs) -> str:
        if flask.has_request_context() and not page_needs_grid(self, flask.request.path):
            kwargs["scripts"] = without_grid_script(self, kwargs.get("scripts", ""))
        kwargs["scripts"] = without_polyfill(self, kwargs.get("scripts", ""))
        kwargs["metas"] = kwargs.get("metas", "") + zip_script_meta(self)
        if flask.has_request_context():
            kwargs["title"] = page_title(self, flask.request.path) or kwargs.get("title", "")
        return super().interpolate_index(**kwargs)


def create_app(*, load_data: bool = True, **dash_kwargs) -> dash.Dash:
    """The dashboard's Dash app (pages from dashboard/pages, assets from assets/).

    `dash_kwargs` go to `dash.Dash` (e.g. `requests_pathname_prefix`). Unless
    `config.dev_mode()`, dev tools and debug are off whatever DASH_*/FLASK_DEBUG
    say (`security.install`).
    """
    try:
        bundle = config.plotly_bundle()
    except ValueError as err:
        print(err, file=sys.stderr)
        sys.stderr.flush()
        raise SystemExit(_exit_status()) from None
    if load_data:
        load_tables_or_exit()
    # The index page loads the plotly.js locale itself, right after plotly.js.
    dash_kwargs.setdefault("assets_ignore", re.escape(PLOTLY_LOCALE) + "$")
    # Dash would start its MCP endpoint if DASH_MCP_ENABLED were set: never here.
    dash_kwargs.setdefault("enable_mcp", False)
    app = _DashboardApp(
        "dashboard",
        use_pages=True,
        pages_folder="pages",
        assets_folder=str(config.ROOT / "assets"),
        title=TITLE,
        update_title=None,
        # Pages are rendered from the URL, so their components are not in the
        # initial layout; without this, Dash would embed every page's full
        # layout (grids, maps) in each HTML response as a validation layout.
        suppress_callback_exceptions=True,
        compress=True,
        **dash_kwargs,
    )
    stylesheet = f"/{routes.VENDOR_PATH}css/bootstrap.min.css?v={routes.bootstrap_version()}"
    app.config.external_stylesheets = [app.get_relative_path(stylesheet)]
    app.index_string = (INDEX_STRING
                        .replace("PLOTLY_JS_URL", plotly_js_url(app, bundle))
                        .replace("PLOTLY_LOCALE_URL", plotly_locale_url(app)))
    app.layout = shell(app)
    routes.register(app)
    highlight_current_page(app)
    security.install(app)
    if load_data:
        warm_up()
    return app


WARM_PAGES = ("/", "/territoire")
"""The pages `warm_up` lays out (the profile with the first EPCI): the two where
visits start, the home page and the profile that links and search results open."""


def warm_up() -> None:
    """Lay out the pages of `WARM_PAGES` once at start-up, as their first visitor would.

    A process's first layout of a page pays for plotly's lazily imported validators
    and for what its view computes once: measured, 0.9 s for the home page (its map's
    overlay, the EPCI table), 0.5 s for a profile. Done here, under gunicorn
    --preload, it is paid once in the master and inherited by every worker, instead
    of by the first visitor of each worker. The other pages pay 0.05 to 0.5 s on
    their first visit in each worker rather than adding 0.9 s to every start-up.
    """
    from .data import search

    first = store.communes()["epci_siren"].dropna().min()
    for page in menu_pages():
        if page["path"] not in WARM_PAGES:
            continue
        layout = page["layout"]
        if callable(layout):
            layout = layout(**({"epci": first} if page["path"] == "/territoire" else {}))
        to_json(layout)
    search.index()  # the commune and EPCI search index (about 0.2 s)
