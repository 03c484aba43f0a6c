"""Grid rows and CSV settings, made by the views for the pages' AG Grids.

Numbers stay numbers in the row data (so sorting and number filters work) and
each numeric column carries a pre-formatted French string next to it
(`<field>_fr`). Plain Python: the grid itself is `components/grid.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from ..formatting import MISSING, is_missing


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
