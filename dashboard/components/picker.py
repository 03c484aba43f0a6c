"""Territory picker: department -> EPCI -> commune, searchable by name and by code.

Ids are prefixed by the page (`territoire-epci`, ...), so each page has its
own picker and labels can point at them. `register_picker(prefix)` adds the
callbacks that narrow the EPCI list to a department and fill the communes of
the chosen EPCI; each page decides what a choice does (usually: change the URL).
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from ..data import territories

DROPDOWN_LABELS = {
    "select_all": "Tout sélectionner",
    "deselect_all": "Tout désélectionner",
    # Shown by Dash from two chosen values on (always a plural); "choix" fits any gender.
    "selected_count": "{num_selected} choix",
    "search": "Rechercher par nom ou par code",
    "clear_search": "Effacer la recherche",
    "clear_selection": "Effacer la sélection",
    "no_options_found": "Aucun résultat",
}
"""French texts of Dash's dropdown (searchable by name and by code)."""

COMPARE_LABELS = {**DROPDOWN_LABELS, "selected_count": "{num_selected} intercommunalités"}
"""The comparison list holds intercommunalities only: the count names them."""


def ids(prefix: str) -> dict[str, str]:
    """Ids of the picker's dropdowns on the page `prefix`."""
    return {
        "departement": f"{prefix}-departement",
        "epci": f"{prefix}-epci",
        "commune": f"{prefix}-commune",
        "compare": f"{prefix}-comparer",
    }


def _field(label: str, control, control_id: str, width: dict) -> dbc.Col:
    """A labelled control (the label points at it) in a responsive column."""
    return dbc.Col([html.Label(label, htmlFor=control_id, className="form-label"), control],
                   **width, className="mb-2")


def territory_picker(prefix: str, *, departement: str | None = None, epci: str | None = None,
                     commune: str | None = None, compare: list[str] | None = None,
                     with_commune: bool = True, with_compare: bool = False) -> html.Div:
    """The picker, pre-filled from the URL's (already checked) codes."""
    i = ids(prefix)
    fields = [
        _field("Département", dcc.Dropdown(
            id=i["departement"], options=territories.departement_options(), value=departement,
            placeholder="Tous les départements", clearable=True, labels=DROPDOWN_LABELS),
            i["departement"], {"xs": 12, "md": 3}),
        _field("Intercommunalité (EPCI)", dcc.Dropdown(
            id=i["epci"], options=territories.epci_options(departement=departement),
            value=epci, placeholder="Choisir une intercommunalité", clearable=False,
            labels=DROPDOWN_LABELS, maxHeight=320),
            i["epci"], {"xs": 12, "md": 5 if with_commune else 9}),
    ]
    if with_commune:
        fields.append(_field("Commune (facultatif)", dcc.Dropdown(
            id=i["commune"], options=territories.commune_options(epci) if epci else [],
            value=commune, placeholder="Mettre une commune en évidence", clearable=True,
            labels=DROPDOWN_LABELS, maxHeight=320), i["commune"], {"xs": 12, "md": 4}))
    rows = [dbc.Row(fields, className="g-2")]
    if with_compare:
        rows.append(dbc.Row(_field(
            "Comparer avec (jusqu'à 3 autres intercommunalités)",
            dcc.Dropdown(id=i["compare"], options=territories.epci_options(),
                         value=compare or [], multi=True, labels=COMPARE_LABELS,
                         placeholder="Ajouter des intercommunalités à comparer",
                         maxHeight=320),
            i["compare"], {"xs": 12}), className="g-2"))
    return html.Div(rows, className="territory-picker", role="search",
                    **{"aria-label": "Choix du territoire"})


def epci_choices(departement: object) -> list[dict]:
    """EPCI options of a department; every EPCI of the region for no (or an unknown)
    department."""
    lookup = territories.check_departement(departement)
    return territories.epci_options(departement=lookup.code)


def commune_choices(epci: object) -> list[dict]:
    """Commune options of an EPCI; none for no (or an unknown) EPCI."""
    lookup = territories.check_epci(epci)
    return territories.commune_options(lookup.code) if lookup.code else []


def register_picker(prefix: str, with_commune: bool = True) -> None:
    """Callbacks narrowing the EPCI list by department and listing communes."""
    i = ids(prefix)
    callback(Output(i["epci"], "options"), Input(i["departement"], "value"),
             prevent_initial_call=True)(epci_choices)
    if with_commune:
        callback(Output(i["commune"], "options"), Input(i["epci"], "value"),
                 prevent_initial_call=True)(commune_choices)


def territory_search(epci: str | None, commune: str | None = None,
                     compare: list[str] | None = None, **extra: str | None) -> str:
    """The query string of a territory view: `?epci=…&commune=…&compare=a,b`."""
    params: dict[str, str] = {}
    if epci:
        params["epci"] = epci
    if commune:
        params["commune"] = commune
    others = [c for c in (compare or []) if c and c != epci]
    if others:
        params["compare"] = ",".join(others)
    params.update({k: v for k, v in extra.items() if v})
    return "?" + urlencode(params, safe=",") if params else ""
