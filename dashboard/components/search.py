""""Rechercher une commune ou une intercommunalité": one search box that opens a profile.

A `dcc.Dropdown` whose options are found on the server (`data.search`) as the
user types: the layout ships no option at all, each keystroke asks for at most
`search.MAX_RESULTS`. Choosing an option (Enter in the search box takes the
first one, the arrows and Enter another) writes the profile's URL into the
page's `dcc.Location` (the shell's `url`, `refresh="callback-nav"`), which
opens it.

    search_bar("territoire")          # in the page's layout
    register_search("territoire")     # once, at import of the page module

The visible label names the control: assets/a11y.js gives Dash's dropdown button
the text of its `<label for=…>`.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, dcc, html, no_update

from ..data import search
from .picker import DROPDOWN_LABELS

LABEL = "Rechercher une commune ou une intercommunalité"
PLACEHOLDER = "Nom, code INSEE ou SIREN"
LABELS = {
    **DROPDOWN_LABELS,
    "search": "Tapez un nom ou un code",
    # Short: Dash shows it in one option row. Postcodes are not in the data.
    "no_options_found": "Aucun résultat. Essayez un nom, un code INSEE ou un SIREN.",
}
"""French texts of the dropdown."""
LOCATION = "url"
"""The shell's `dcc.Location` (app_factory) that the chosen profile's URL is written to."""

_registered: set[tuple[str, str]] = set()


def ids(prefix: str) -> dict[str, str]:
    """Ids of the search's elements on the page `prefix`."""
    return {"search": f"{prefix}-recherche", "label": f"{prefix}-recherche-libelle"}


def search_bar(prefix: str) -> html.Div:
    """The labelled search control of a page, empty: its options come from the server."""
    i = ids(prefix)
    return html.Div(
        [
            html.Label(LABEL, htmlFor=i["search"], id=i["label"],
                       className="form-label territory-search-label"),
            dcc.Dropdown(id=i["search"], options=[], value=None, searchable=True,
                         clearable=False, placeholder=PLACEHOLDER, labels=LABELS,
                         search_order="original", maxHeight=360),
        ],
        className="territory-search", role="search", **{"aria-labelledby": i["label"]},
    )


def option(result: search.Result, typed: str = "") -> dict:
    """A dropdown option for a result: label, value (`result.key`) and search text.

    Dash's dropdown filters its options again in the browser (by words, without
    folding accents). The server has already chosen these, so their search text holds
    the folded name, the code and what was typed: the browser keeps them all.
    """
    words = f"{search.fold(result.name)} {result.code} {typed[:search.MAX_QUERY]}"
    return {"label": result.label, "value": result.key, "search": words.strip()}


def options_for(typed: object, value: object) -> list[dict]:
    """The options for what was typed; with nothing typed (the list closed), the chosen
    option alone, so that the dropdown keeps showing the choice."""
    if isinstance(typed, str) and typed.strip():
        return [option(r, typed) for r in search.search(typed)]
    chosen = search.lookup(value)
    return [option(chosen)] if chosen else []


def destination(value: object) -> Any:
    """The profile's URL (with the app's path prefix) for a chosen option; nothing to do
    for no choice or for a value that no option has (untrusted: it comes from the browser)."""
    chosen = search.lookup(value)
    if chosen is None:
        return no_update
    return dash.get_relative_path(chosen.url)


def register_search(prefix: str, location: str = LOCATION, app: dash.Dash | None = None) -> None:
    """The callbacks of `search_bar(prefix)`: options as the user types, and the choice
    written to the `dcc.Location` `location`. With `app=None` they are Dash's global
    callbacks (a page module's import), registered once per prefix."""
    if app is None:
        if (prefix, location) in _registered:
            return
        _registered.add((prefix, location))
    register = dash.callback if app is None else app.callback
    i = ids(prefix)
    register(Output(i["search"], "options"), Input(i["search"], "search_value"),
             State(i["search"], "value"), prevent_initial_call=True)(options_for)
    register(Output(location, "href", allow_duplicate=True), Input(i["search"], "value"),
             prevent_initial_call=True)(destination)
