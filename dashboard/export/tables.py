"""Exported tables: CSV cell values, Excel workbooks, grid links.

Shared by the regional ranking and the programmes page. The rows a browser
sends back (a grid's filtered rows) are untrusted: only their keys are used.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

import pandas as pd

from ..data.columns import ExportColumn

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is read as a formula by spreadsheets (OWASP)."""


def csv_text(text: str) -> str:
    """A text cell a spreadsheet will not run: a leading apostrophe before `=`, `+`, `-`,
    `@`, tab or carriage return (OWASP "CSV injection"); other text unchanged."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_value(value: object, kind: str, digits: int = 1) -> str:
    """A cell for a French spreadsheet: "16,4" (no "%", no thousands separator), "Oui".

    Numbers stay numbers ("-3,5"); text that would start a formula gets a
    leading apostrophe (`csv_text`).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if kind == "bool":
        return "Oui" if bool(value) else "Non"
    if kind == "int":
        return str(int(round(float(value))))
    if kind in ("pct", "dec"):
        return f"{float(value):.{digits}f}".replace(".", ",")
    return csv_text(str(value))


def with_csv_fields(rows: list[dict], columns: Sequence[ExportColumn]) -> list[dict]:
    """Add `<field>_csv` (text for the CSV export) to each grid row, in place."""
    for row in rows:
        for col in columns:
            row[f"{col.field}_csv"] = csv_value(row.get(col.field), col.kind, col.digits)
    return rows


def csv_source_line(source: str, note: str = "") -> str:
    """The text AG Grid appends after the rows (a blank line, then the quoted source)."""
    text = csv_text(source + (f" ; {note}" if note else ""))
    return '\n\n"' + text.replace('"', '""') + '"'


MAX_EXPORT_KEYS = 10_000


def rows_in_order(frame: pd.DataFrame, key: str, grid_rows: object) -> pd.DataFrame:
    """The rows of `frame` whose `key` appears in `grid_rows`, in the grid's order.

    `grid_rows` is what the browser sends (the grid's filtered and sorted
    `virtualRowData`): untrusted. Only its keys are used, the values come
    from the server's table; unknown keys, duplicates and non-dict items are
    ignored.
    """
    if not isinstance(grid_rows, list):
        return frame.iloc[0:0]
    keys: list[str] = []
    seen: set[str] = set()
    for item in grid_rows[:MAX_EXPORT_KEYS]:
        code = item.get(key) if isinstance(item, dict) else None
        if isinstance(code, str) and code not in seen:
            seen.add(code)
            keys.append(code)
    indexed = frame.drop_duplicates(key).set_index(key, drop=False)
    known = [k for k in keys if k in indexed.index]
    return indexed.loc[known].reset_index(drop=True)


NUMBER_FORMATS = {"int": "#,##0", "pct": "0.0%", "dec": "#,##0.0"}


def _cell_value(value: object, kind: str):
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if kind == "bool":
        return "Oui" if bool(value) else "Non"
    if kind == "int":
        return int(round(float(value)))
    if kind == "pct":
        return float(value) / 100.0
    if kind == "dec":
        return float(value)
    return str(value)


def xlsx_bytes(frame: pd.DataFrame, columns: Sequence[ExportColumn], *, title: str,
               territory: str, source: str, notes: Iterable[str] = (),
               sheet: str = "Données", day: dt.date | None = None) -> bytes:
    """An Excel workbook: the table (French headers, numbers as numbers) with a
    source line under it, and a "Source" sheet (title, territory, date, notes).

    Text cells are always written as text, never as formulas.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    day = day or dt.date.today()
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([c.header for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    records = frame.to_dict("records") if not frame.empty else []
    for r, rec in enumerate(records, start=2):
        for c, col in enumerate(columns, start=1):
            value = _cell_value(rec.get(col.field), col.kind)
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # "=…" stays text
            elif col.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[col.kind]
    last = len(records) + 1
    if records:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    ws.freeze_panes = "B2"
    source_cell = ws.cell(row=last + 2, column=1, value=source)
    source_cell.data_type = "s"
    source_cell.font = Font(italic=True)
    for c, col in enumerate(columns, start=1):
        width = 42 if col.kind == "text" and c == 1 else (28 if col.kind == "text" else 16)
        ws.column_dimensions[get_column_letter(c)].width = width

    info = wb.create_sheet("Source")
    lines = [("Tableau", title), ("Territoire", territory),
             ("Date de l'export", day.strftime("%d/%m/%Y")), ("Source", source),
             *(("Note", n) for n in notes)]
    for label, text in lines:
        info.append([label, text])
        info.cell(row=info.max_row, column=2).data_type = "s"
        info.cell(row=info.max_row, column=1).font = Font(bold=True)
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 110
    for row in info.iter_rows(min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    wb.properties.creator = "AURA-HLM"
    wb.properties.title = title
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def markdown_link(text: str, href: str) -> str:
    """`[text](href)` for the grid's markdown cells, brackets in the text escaped."""
    safe = "".join("\\" + ch if ch in "\\[]*_`<>" else ch for ch in str(text))
    return f"[{safe}]({href})"


def territory_links(frame: pd.DataFrame, name: str, base: str, **params: str) -> pd.Series:
    """A markdown link per row to its territory page: `[name](base?epci=…&commune=…)`.

    `params` maps a query parameter to the column holding its value.
    """
    names = frame[name].astype(str).tolist()
    values = {k: frame[c].tolist() for k, c in params.items()}
    links = []
    for i, text in enumerate(names):
        query = urlencode({k: v[i] for k, v in values.items() if isinstance(v[i], str)})
        links.append(markdown_link(text, f"{base}?{query}" if query else base))
    return pd.Series(links, index=frame.index, dtype="object")
