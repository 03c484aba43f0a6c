"""Regional view: indicators of the region's EPCI for the map, the KPI cards and
the ranking, plus the table exports (CSV values, Excel workbook) the ranking
and the programmes page share.

Pure pandas (and openpyxl): no Dash here. Every rate is a ratio of sums
(`aggregate`), never a mean of commune rates.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

import pandas as pd

from . import aggregate, bailleurs, store
from .schema import TableError
from .territories import excerpt

REGION_NOM = "Auvergne-Rhône-Alpes"

EPCI_TYPE_LABELS = {"CC": "CC", "CA": "CA", "CU": "CU", "METRO": "Métropole",
                    "MET69": "Métropole"}


# --- map indicators ----------------------------------------------------------------------

@dataclass(frozen=True)
class Indicator:
    """One indicator the map can show (`key` is its value in the URL)."""

    key: str
    label: str  # radio button label
    title: str  # figure title
    column: str  # column of `epci_frame`
    kind: str  # "pct" | "int"
    short: str  # colour bar title
    landlords: bool = False  # built from the landlord engagement table


INDICATORS: dict[str, Indicator] = {
    i.key: i for i in (
        Indicator("logement-social", "Part de logements sociaux",
                  "Part de logements sociaux",
                  "taux_logements_sociaux", "pct", "Logements sociaux (%)"),
        Indicator("communes-programme", "Nombre de communes en programme",
                  "Nombre de communes en programme",
                  "communes_programme", "int", "Communes en programme"),
        Indicator("population-programme", "Part de la population en commune de programme",
                  "Population en commune de programme",
                  "part_population_programme", "pct", "Population en commune de programme (%)"),
        Indicator("engagement-bailleurs", "Engagement des bailleurs sociaux",
                  "Communes de programme avec un bailleur engagé",
                  "taux_engagement", "pct", "Communes avec un bailleur engagé (%)",
                  landlords=True),
    )
}
DEFAULT_INDICATOR = "logement-social"


@dataclass(frozen=True)
class IndicatorLookup:
    """A checked indicator key (always usable) and, if the value was refused, why."""

    key: str
    error: str | None = None


def check_indicator(value: object) -> IndicatorLookup:
    """Check an indicator key from a URL or a control; unknown -> default + French message."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    text = "" if value is None else str(value).strip()
    if not text:
        return IndicatorLookup(DEFAULT_INDICATOR)
    if text in INDICATORS:
        return IndicatorLookup(text)
    default = INDICATORS[DEFAULT_INDICATOR].label.lower()
    return IndicatorLookup(
        DEFAULT_INDICATOR,
        f"« {excerpt(text)} » n'est pas un indicateur de la carte : la carte montre la "
        f"{default}. Indicateurs possibles : "
        + ", ".join(i.label.lower() for i in INDICATORS.values()) + ".",
    )


# --- EPCI table ------------------------------------------------------------------------

def epci_frame(communes: pd.DataFrame, engagements: pd.DataFrame | None) -> pd.DataFrame:
    """One row per EPCI (sorted by SIREN): indicators, type label and engagement.

    Columns of `aggregate.epci_table` plus `type` ("Métropole" for METRO and
    MET69), `communes_programme_epci` / `communes_engagees` / `taux_engagement`
    / `bailleurs_engages` (NaN when no engagement table is given).
    """
    out = aggregate.epci_table(communes)
    out["type"] = out["epci_type"].map(EPCI_TYPE_LABELS).fillna(out["epci_type"])
    if engagements is None:
        for col in ("communes_engagees", "taux_engagement", "bailleurs_engages"):
            out[col] = math.nan
    else:
        eng = bailleurs.engagement_by_epci(engagements, communes)
        out = out.merge(eng[["epci_siren", "communes_engagees", "taux_engagement",
                             "bailleurs_engages"]], on="epci_siren", how="left")
    for col in ("nb_communes", "population", "logements_sociaux", "communes_acv",
                "communes_pvd", "communes_ami_centres_bourgs", "ort_signees",
                "communes_programme", "communes_sru_seuil"):
        out[col] = out[col].astype("int64")
    return out.sort_values("epci_siren").reset_index(drop=True)


def region_kpis(communes: pd.DataFrame, epci: pd.DataFrame) -> dict:
    """Regional totals (ratios of sums) and the engagement rate over the EPCI."""
    out = dict(aggregate.totals(communes))
    programme = epci["communes_programme"].sum()
    engaged = epci["communes_engagees"].sum(min_count=1)
    out["communes_engagees"] = None if pd.isna(engaged) else int(engaged)
    out["taux_engagement"] = (math.nan if pd.isna(engaged)
                              else aggregate.rate(engaged, programme))
    return out


@dataclass(frozen=True)
class Extremes:
    """Lowest and highest value of a column and the EPCI names that have them."""

    low: float
    low_names: tuple[str, ...]
    high: float
    high_names: tuple[str, ...]
    count: int  # EPCI with a value


def extremes(epci: pd.DataFrame, column: str, digits: int = 1) -> Extremes | None:
    """Min and max of `column` (compared once rounded to `digits`), NaN ignored."""
    valid = epci.dropna(subset=[column])
    if valid.empty:
        return None
    rounded = valid[column].astype(float).round(digits)
    low, high = rounded.min(), rounded.max()
    return Extremes(
        float(low), tuple(sorted(valid.loc[rounded == low, "epci_nom"])),
        float(high), tuple(sorted(valid.loc[rounded == high, "epci_nom"])),
        len(valid),
    )


def load_engagements_or_none() -> tuple[pd.DataFrame | None, str | None]:
    """The landlord engagement table, or None with the French reason it is unavailable."""
    try:
        return bailleurs.load_engagements(), None
    except (TableError, OSError) as err:
        reason = err.problems[0] if isinstance(err, TableError) and err.problems else str(err)
        return None, f"Engagement des bailleurs indisponible : {reason}"


@dataclass(frozen=True)
class RegionalData:
    """What the regional page shows, computed once per process."""

    epci: pd.DataFrame
    kpis: dict
    demo: bool
    engagement_error: str | None


@lru_cache(maxsize=1)
def regional_data() -> RegionalData:
    """The app's EPCI table and KPIs (cached; callers must not modify the frame)."""
    communes = store.communes()
    engagements, error = load_engagements_or_none()
    epci = epci_frame(communes, engagements)
    demo = engagements is not None and bailleurs.is_demonstration(engagements)
    return RegionalData(epci, region_kpis(communes, epci), demo, error)


def clear() -> None:
    """Forget the cached regional data (tests, or after replacing the tables)."""
    regional_data.cache_clear()


# --- exports: CSV values and Excel workbook ----------------------------------------------

@dataclass(frozen=True)
class ExportColumn:
    """A column of an exported table: field, French header and kind.

    kind: "text", "int", "pct" (value in percent, e.g. 16.4), "dec", "bool".
    """

    field: str
    header: str
    kind: str = "text"
    digits: int = 1

    @property
    def csv_header(self) -> str:
        return f"{self.header} (%)" if self.kind == "pct" else self.header


RANKING_SORT = "taux_logements_sociaux"


def ranking_columns(demo: bool) -> tuple[ExportColumn, ...]:
    """Columns of the EPCI ranking (grid, CSV and Excel), in display order."""
    engagement = "Communes de programme avec bailleur engagé" + (
        " (démonstration)" if demo else "")
    return (
        ExportColumn("epci_nom", "Intercommunalité (EPCI)"),
        ExportColumn("type", "Type"),
        ExportColumn("departements", "Département(s)"),
        ExportColumn("population", "Population", "int"),
        ExportColumn("nb_communes", "Communes", "int"),
        ExportColumn("logements_sociaux", "Logements sociaux", "int"),
        ExportColumn("taux_logements_sociaux", "Part de logements sociaux", "pct"),
        ExportColumn("communes_programme", "Communes en programme", "int"),
        ExportColumn("part_population_programme", "Population en commune de programme", "pct"),
        ExportColumn("taux_engagement", engagement, "pct"),
    )


XLSX_EXTRA = (ExportColumn("epci_siren", "SIREN"),)


def csv_value(value: object, kind: str, digits: int = 1) -> str:
    """A cell for a French spreadsheet: "16,4" (no "%", no thousands separator), "Oui"."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if kind == "bool":
        return "Oui" if bool(value) else "Non"
    if kind == "int":
        return str(int(round(float(value))))
    if kind in ("pct", "dec"):
        return f"{float(value):.{digits}f}".replace(".", ",")
    return str(value)


def with_csv_fields(rows: list[dict], columns: Sequence[ExportColumn]) -> list[dict]:
    """Add `<field>_csv` (text for the CSV export) to each grid row, in place."""
    for row in rows:
        for col in columns:
            row[f"{col.field}_csv"] = csv_value(row.get(col.field), col.kind, col.digits)
    return rows


def csv_source_line(source: str, note: str = "") -> str:
    """The text AG Grid appends after the rows (a blank line, then the quoted source)."""
    text = source + (f" ; {note}" if note else "")
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
