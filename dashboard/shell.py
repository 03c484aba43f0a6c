"""The frame around every page: skip link, header with the menu, footer with the sources.

The menu is `dash.page_registry` (`menu_pages()`, in `register_page(order=...)` order).
Its link to the page being shown has the class "active": written by the server in the
first layout of a pre-rendered page (`shell(app, container, here)`), then by a
clientside callback on each navigation (`highlight_current_page`), which therefore
does not run on a first load the server has already marked.
"""

from __future__ import annotations

import json

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from . import registry
from .components.announce import live_region
from .data import sources

NOT_FOUND_MODULE = "not_found_404"
"""Dash's 404 page module (kept out of the menu)."""

ADDRESS_PROPS = ("pathname", "search", "hash", "href")
"""The props of a `dcc.Location` that say where the browser is."""


def menu_pages() -> list[dict]:
    """The pages of the menu, in menu order: every page of `dash.page_registry`
    (ordered by `register_page(order=...)`) except the 404 page and pages
    registered with `menu=False`."""
    return [page for page in dash.page_registry.values()
            if page.get("menu", True) and not page["module"].endswith(NOT_FOUND_MODULE)]


def menu_paths(app: dash.Dash) -> list[str]:
    """The addresses of the menu's links, with the app's prefix."""
    return [app.get_relative_path(page["path"]) for page in menu_pages()]


def is_current(app: dash.Dash, link: str, pathname: str) -> bool:
    """Whether the menu link to `link` is the page at `pathname`: the same address,
    or an address under it (the home page only for itself). The clientside callback
    of `highlight_current_page` applies the same rule."""
    home = app.get_relative_path("/")
    return pathname == link or (link != home and pathname.startswith(link))


def highlight_current_page(app: dash.Dash) -> None:
    """Mark the menu link of the page being shown (class "active") on each navigation.

    Not on the first load (`prevent_initial_call`): the server has marked it in a
    pre-rendered first layout, and otherwise the `url` Location, mounted without an
    address, sets its own pathname, which fires this callback."""
    paths = menu_paths(app)
    app.clientside_callback(
        "function (pathname) {\n"
        f"    const paths = {json.dumps(paths)};\n"
        f"    const home = {json.dumps(app.get_relative_path('/'))};\n"
        "    return paths.map(p => (pathname === p || (p !== home && pathname\n"
        "        && pathname.startsWith(p))) ? 'nav-link active' : 'nav-link');\n"
        "}",
        [Output(f"nav-{i}", "className") for i in range(len(paths))],
        Input("url", "pathname"),
        prevent_initial_call=True,
    )


def footer_sources() -> str:
    """The footer's source line: the social housing and commune files, then each
    programme's file (`registry.PROGRAMMES`), from `data/sources.py`."""
    keys = dict.fromkeys(["rpls", "communes", *(p.source for p in registry.PROGRAMMES)])
    return sources.source_line(*keys)


def shell(app: dash.Dash, container: html.Div | None = None,
          here: dcc.Location | None = None) -> html.Div:
    """Layout around every page: skip link, header with navigation, page container
    (`dash.page_container` unless `container`, see `app_factory.prerendered_page`),
    the live region announcing a territory shown (assets/a11y.js), footer.

    `url` is the Location pages write to when a choice changes the view
    (`refresh="callback-nav"`: no full reload). With `here` (the Location of a
    pre-rendered page), `url` starts at the same address and the menu link of that
    page is already marked: nothing changes, and no callback runs, when they mount."""
    where = {prop: getattr(here, prop) for prop in ADDRESS_PROPS} if here is not None else {}
    nav = html.Nav(
        html.Ul(
            [html.Li(dcc.Link(page["name"], href=link, id=f"nav-{i}",
                              className="nav-link active" if here is not None
                              and is_current(app, link, here.pathname) else "nav-link"),
                     className="nav-item")
             for i, (page, link) in enumerate(zip(menu_pages(), menu_paths(app), strict=True))],
            className="nav site-nav flex-wrap",
        ),
        **{"aria-label": "Pages du tableau de bord"},
    )
    return html.Div(
        [
            dcc.Location(id="url", refresh="callback-nav", **where),
            html.A("Aller au contenu", href="#contenu", className="visually-hidden-focusable"),
            html.Header(
                dbc.Container(
                    [
                        html.A("AURA-HLM", href=app.get_relative_path("/"), className="site-brand"),
                        html.Span("Logement social et revitalisation des centres-villes",
                                  className="site-tagline"),
                        nav,
                    ],
                    className="d-flex flex-wrap align-items-baseline column-gap-3 py-2",
                    fluid="xl",
                ),
                className="site-header",
            ),
            html.Main(container or dash.page_container, id="contenu", tabIndex="-1"),
            live_region(),
            html.Footer(
                dbc.Container(
                    html.P([f"{footer_sources()}. "
                            "Engagement des bailleurs : données de démonstration tant que le "
                            "fichier d'AURA-HLM n'est pas chargé. ",
                            dcc.Link("Méthode et sources", href=app.get_relative_path(
                                "/methode"))], className="mb-0"),
                    fluid="xl", className="py-3",
                ),
                className="site-footer",
            ),
        ]
    )
