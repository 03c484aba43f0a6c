"""dash-ag-grid tables in French: labels of the grid's menus, French numbers.

Numbers stay numbers in the row data (so sorting and number filters work) and
each numeric column shows a pre-formatted French string stored next to it
(`<field>_fr`), made in Python with `dashboard.formatting`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from ..formatting import MISSING, is_missing

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
    return {"field": field, "headerName": header, "filter": "agTextColumnFilter", **extra}


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


def records(df: pd.DataFrame, formats: dict[str, Callable[[object], str]],
            columns: Iterable[str]) -> list[dict]:
    """Row data for the grid: JSON-safe values (NaN -> None) plus `<field>_fr` strings."""
    rows = []
    for rec in df[list(columns)].to_dict("records"):
        row = {k: (None if is_missing(v) else (v.item() if hasattr(v, "item") else v))
               for k, v in rec.items()}
        for field, fmt in formats.items():
            row[f"{field}_fr"] = MISSING if row[field] is None else fmt(row[field])
        rows.append(row)
    return rows


CSV_SUFFIX = "_csv"
"""Each exported row carries `<field>_csv`, the CSV text of the field (`export.tables`)."""

CSV_CELL_CALLBACK = {"function": f"csvCell(params, '{CSV_SUFFIX}')"}
"""`csvExportParams.processCellCallback` of every grid: the row's `<field>_csv` text, else
the value with formulas neutralised (`csvCell` in assets/dashAgGridFunctions.js)."""

CSV_HEADER_CALLBACK = {"function": "params.context.csvHeaders[params.column.getColId()]"}
"""`csvExportParams.processHeaderCallback`: French headers with units from the grid context."""


def csv_export_params(file_name: str, append: str) -> dict:
    """AG Grid CSV export settings shared by every grid: `;`, French headers, formulas
    neutralised in every cell, `append` (the source line) after the rows."""
    return {
        "fileName": file_name,
        "columnSeparator": ";",
        "processCellCallback": CSV_CELL_CALLBACK,
        "processHeaderCallback": CSV_HEADER_CALLBACK,
        "appendContent": append,
    }
