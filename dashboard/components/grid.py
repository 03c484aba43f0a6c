"""dash-ag-grid tables in French, and the one grid-with-exports component.

Numbers stay numbers in the row data (so sorting and number filters work) and
each numeric column shows a pre-formatted French string stored next to it
(`<field>_fr`), made in Python with `dashboard.formatting`.

`export_grid` lays out a grid with its "Exporter en CSV" / "Exporter en Excel"
buttons; `grid_exports` declares their two callbacks (the CSV is written by the
grid in the browser, the Excel file on the server from the rows the grid shows);
`url_sync` keeps page controls in the address (`history.replaceState`). Used by
`/` and `/programmes`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html

from ..data.columns import ExportColumn
from ..views.rows import (  # noqa: F401  (re-exported: the grid's row and CSV helpers)
    CSV_CELL_CALLBACK,
    CSV_HEADER_CALLBACK,
    CSV_SUFFIX,
    csv_export_params,
    records,
)

# Text of AG Grid's own interface (filters, menus, pagination) in French.
LOCALE_TEXT_FR = {
    "page": "Page",
    "of": "sur",
    "to": "à",
    "more": "plus",
    "nextPage": "Page suivante",
    "lastPage": "Dernière page",
    "firstPage": "Première page",
    "previousPage": "Page précédente",
    "loadingOoo": "Chargement…",
    "noRowsToShow": "Aucune ligne à afficher",
    "selectAll": "Tout sélectionner",
    "searchOoo": "Rechercher…",
    "blanks": "(Vides)",
    "filterOoo": "Filtrer…",
    "applyFilter": "Appliquer",
    "clearFilter": "Effacer",
    "resetFilter": "Réinitialiser",
    "cancelFilter": "Annuler",
    "equals": "Égal à",
    "notEqual": "Différent de",
    "blank": "Vide",
    "notBlank": "Non vide",
    "empty": "Choisir…",
    "lessThan": "Inférieur à",
    "greaterThan": "Supérieur à",
    "lessThanOrEqual": "Inférieur ou égal à",
    "greaterThanOrEqual": "Supérieur ou égal à",
    "inRange": "Entre",
    "inRangeStart": "De",
    "inRangeEnd": "À",
    "contains": "Contient",
    "notContains": "Ne contient pas",
    "startsWith": "Commence par",
    "endsWith": "Se termine par",
    "andCondition": "ET",
    "orCondition": "OU",
    "columns": "Colonnes",
    "filters": "Filtres",
    "pinColumn": "Épingler la colonne",
    "pinLeft": "Épingler à gauche",
    "pinRight": "Épingler à droite",
    "noPin": "Ne pas épingler",
    "autosizeThisColumn": "Ajuster cette colonne",
    "autosizeAllColumns": "Ajuster toutes les colonnes",
    "resetColumns": "Réinitialiser les colonnes",
    "sortAscending": "Tri croissant",
    "sortDescending": "Tri décroissant",
    "sortUnSort": "Annuler le tri",
    "copy": "Copier",
    "ariaFilterInput": "Saisie du filtre",
    "ariaFilterValue": "Valeur du filtre",
    "ariaFilteringOperator": "Opérateur de filtre",
    "ariaSearchFilterValues": "Rechercher dans les valeurs",
}


def text_column(field: str, header: str, **extra) -> dict:
    """A text column whose long values (territory names) wrap instead of being cut."""
    return {"field": field, "headerName": header, "filter": "agTextColumnFilter",
            "wrapText": True, "autoHeight": True, **extra}


def number_column(field: str, header: str, **extra) -> dict:
    """A numeric column sorted/filtered on the number, shown as `<field>_fr`."""
    return {
        "field": field,
        "headerName": header,
        "filter": "agNumberColumnFilter",
        "type": "rightAligned",
        # dash-ag-grid evaluates this expression in the browser.
        "valueFormatter": {"function": f"params.data ? params.data['{field}_fr'] : ''"},
        **extra,
    }


# --- the grid with its exports ---------------------------------------------------------------

@dataclass(frozen=True)
class GridIds:
    """The ids of one grid with exports (kept stable: tests and links use them)."""

    grid: str
    csv: str
    xlsx: str
    download: str


def export_grid(ids: GridIds, rows: list[dict], column_defs: list[dict],
                columns: Sequence[ExportColumn], csv_params: dict, row_id: str,
                class_name: str = "", buttons_class: str = "") -> html.Div:
    """Export buttons above a French AG Grid.

    `columns` give the CSV headers (with units), `csv_params` the grid's CSV settings
    (`csv_export_params`), `row_id` the field that identifies a row (the Excel export
    reads only that field of the browser's rows).
    """
    return html.Div([
        html.Div(
            [
                dbc.Button("Exporter en CSV", id=ids.csv, color="primary", outline=True,
                           className="me-2 mb-2"),
                dbc.Button("Exporter en Excel (.xlsx)", id=ids.xlsx, color="primary",
                           outline=True, className="mb-2"),
                dcc.Download(id=ids.download),
            ],
            className=buttons_class or None,
        ),
        dag.AgGrid(
            id=ids.grid,
            rowData=rows,
            columnDefs=column_defs,
            # Headers wrap onto several lines and the header row grows to fit them:
            # no header is cut ("Logements soc…").
            defaultColDef={"sortable": True, "filter": True, "floatingFilter": True,
                           "resizable": True, "wrapHeaderText": True,
                           "autoHeaderHeight": True},
            dashGridOptions={"localeText": LOCALE_TEXT_FR, "accentedSort": True,
                             "animateRows": False, "tooltipShowDelay": 300,
                             "context": {"csvHeaders": {c.field: c.csv_header
                                                        for c in columns}}},
            csvExportParams=csv_params,
            getRowId=f"params.data.{row_id}",
            style={"height": "60vh", "width": "100%"},
            className=class_name or None,
        ),
    ])


def grid_exports(ids: GridIds, csv_params: Callable[..., dict],
                 xlsx: Callable[..., tuple[bytes, str]], states: Sequence[State] = ()
                 ) -> tuple[Callable, Callable]:
    """Declare the two export callbacks of a grid; return them (plain functions, testable).

    `csv_params(*state_values)` gives the grid's CSV settings; `xlsx(grid_rows,
    *state_values)` gives (content, file name) of the Excel file of the rows the grid
    shows, filtered and sorted (`grid_rows` is None when the grid was never touched).
    """
    @callback(Output(ids.grid, "exportDataAsCsv"), Output(ids.grid, "csvExportParams"),
              Input(ids.csv, "n_clicks"), *states, prevent_initial_call=True)
    def export_csv(_n_clicks, *values):
        """CSV of the filtered, sorted rows, written by the grid in the browser."""
        return True, csv_params(*values)

    @callback(Output(ids.download, "data"), Input(ids.xlsx, "n_clicks"),
              State(ids.grid, "virtualRowData"), *states, prevent_initial_call=True)
    def export_xlsx(_n_clicks, grid_rows, *values):
        """Excel file of the rows the grid shows, built on the server."""
        content, filename = xlsx(grid_rows, *values)
        return dcc.send_bytes(content, filename)

    return export_csv, export_xlsx


URL_SYNC_JS = """
function(...values) {
    const names = %s;
    const params = new URLSearchParams(window.location.search);
    names.forEach(function(name, i) {
        const v = values[i];
        if (v === null || v === undefined || v === '' ||
            (typeof v === 'number' && Number.isNaN(v))) { params.delete(name); }
        else { params.set(name, String(v)); }
    });
    const query = params.toString();
    window.history.replaceState(window.history.state, '',
        window.location.pathname + (query ? '?' + query : '') + window.location.hash);
    return query;
}
"""


def url_sync(store_id: str, params: dict[str, str]) -> None:
    """Keep controls in the address without reloading the page: `params` maps a query
    parameter to the id of the control whose `value` it mirrors (an empty value removes
    it). A copied link then reproduces the view; `store_id` is a `dcc.Store` of the page."""
    clientside_callback(
        URL_SYNC_JS % json.dumps(list(params)),
        Output(store_id, "data"),
        *(Input(component, "value") for component in params.values()),
        prevent_initial_call=True,
    )
