"""Check a typed frame against its contract with pandera, in readable French.

`check_frame` builds a pandera schema from the column specs (`columns.py`),
validates lazily and turns every failure into one French line (which column,
which rows, what is wrong); missing and unknown columns get a "did you mean"
hint, and reference columns (EPCI codes) are checked against their list.
"""

from __future__ import annotations

import difflib
import re

import pandas as pd
import pandera.pandas as pa

from ..columns import KIND_LABELS, ColumnSpec
from .contract import TableContract, column_problem, key_problem

# Text that went through a UTF-8 -> Latin-1 round trip ("AmbÃ©rieu"), or lost
# characters ("Amb�rieu").
MOJIBAKE = re.compile(r"[ÃÂ][\u0080-\u00bf]|â€|\ufffd")

_DTYPES = {
    "code": "str", "text": "str", "category": "str",
    "int": None, "nullable_int": None, "float": "float64",
    "bool": None, "date": "datetime64[ns]",
}


def _is_int(series: pd.Series) -> bool:
    return pd.api.types.is_integer_dtype(series.dtype)


def _is_bool(series: pd.Series) -> bool:
    return pd.api.types.is_bool_dtype(series.dtype)


def _column_checks(spec: ColumnSpec) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if spec.kind in ("int", "nullable_int"):
        checks.append(pa.Check(_is_int, name="type:un nombre entier"))
    if spec.kind == "bool":
        checks.append(pa.Check(_is_bool, name="type:True ou False"))
    if spec.pattern:
        pattern = spec.pattern
        checks.append(pa.Check(lambda s: s.astype("str").str.fullmatch(pattern),
                               name="pattern", ignore_na=True))
    if spec.allowed:
        allowed = set(spec.allowed)
        checks.append(pa.Check(lambda s: s.isin(allowed), name="allowed", ignore_na=True))
    if spec.minimum is not None:
        low = spec.minimum
        checks.append(pa.Check(lambda s: s >= low, name="minimum", ignore_na=True))
    if spec.maximum is not None:
        high = spec.maximum
        checks.append(pa.Check(lambda s: s <= high, name="maximum", ignore_na=True))
    if spec.kind in ("text", "code", "category"):
        checks.append(pa.Check(lambda s: ~s.astype("str").str.contains(MOJIBAKE), name="encoding",
                               ignore_na=True))
    return checks


def pandera_schema(contract: TableContract) -> pa.DataFrameSchema:
    """The pandera schema of a contract (references checked separately)."""
    columns = {}
    for spec in contract.columns:
        columns[spec.name] = pa.Column(
            _DTYPES[spec.kind], checks=_column_checks(spec), nullable=spec.nullable,
            unique=spec.name in contract.key and len(contract.key) == 1, required=True,
            name=spec.name)
    unique = list(contract.key) if len(contract.key) > 1 else None
    return pa.DataFrameSchema(columns, strict=True, unique=unique, name=contract.name,
                              report_duplicates="all")


def _describe(spec: ColumnSpec | None, check: str, values: list[object]) -> str:
    if check.startswith("type:") or check.startswith("dtype("):
        expected = check[5:] if check.startswith("type:") else str(spec.kind if spec else "")
        found = values[0] if values else "?"
        return f"type incorrect, attendu {expected} (type trouvé : {found})"
    if check == "not_nullable":
        return "valeur manquante"
    if check in ("field_uniqueness", "multiple_fields_uniqueness", "duplicates"):
        return "valeur en double (la clé doit être unique)"
    if check == "pattern" and spec is not None:
        short = next((str(v) for v in values if re.fullmatch(r"\d{4}", str(v))), None)
        if spec.name == "code_insee" and short is not None:
            return ("code INSEE mal formé : 4 chiffres, le zéro initial a été perdu "
                    f"(« {short} » doit s'écrire « 0{short} »)")
        return f"format incorrect pour {spec.name}"
    if check == "allowed" and spec is not None:
        return f"valeur hors liste (valeurs permises : {', '.join(spec.allowed)})"
    if check == "minimum" and spec is not None:
        return "valeur négative" if spec.minimum == 0 else f"valeur inférieure à {spec.minimum:g}"
    if check == "maximum" and spec is not None:
        return (f"valeur hors de l'intervalle {spec.minimum:g}–{spec.maximum:g}"
                + (" %" if spec.unit == "%" else ""))
    if check == "encoding":
        return ("texte mal encodé (caractères typiques d'un fichier UTF-8 relu en Latin-1, "
                "ex. « Ã© » pour « é ») : réenregistrer le fichier en UTF-8")
    return f"contrôle « {check} » non respecté"


def _missing_columns(df: pd.DataFrame, contract: TableContract) -> list[str]:
    expected = [c.name for c in contract.columns]
    missing = [c for c in expected if c not in df.columns]
    unknown = [str(c) for c in df.columns if c not in expected]
    problems = []
    for col in missing:
        close = difflib.get_close_matches(col, unknown, n=1, cutoff=0.75)
        hint = f" ; une colonne « {close[0]} » est présente : mal nommée ?" if close else ""
        problems.append(f"colonne « {col} » absente{hint}")
    for col in unknown:
        close = difflib.get_close_matches(col, missing, n=1, cutoff=0.75)
        hint = f" (voulait-on dire « {close[0]} » ?)" if close else ""
        problems.append(f"colonne « {col} » inconnue{hint}")
    return problems


def check_frame(df: pd.DataFrame, contract: TableContract, offset: int = 1,
                already: set[tuple[str, int]] | None = None) -> list[str]:
    """Problems of a typed frame against its contract, one French line each.

    `offset` turns the 0-based index into the row number shown to the user
    (1 for Parquet, 2 for a CSV or Excel file with its header line).
    """
    problems = _missing_columns(df, contract)
    specs = {c.name: c for c in contract.columns}
    present = [c.name for c in contract.columns if c.name in df.columns]
    if not present:
        return problems
    if df.empty:
        return problems + ["la table ne contient aucune ligne"]
    sub = contract.columns if not problems else tuple(specs[c] for c in present)
    key = tuple(k for k in contract.key if k in present)
    schema = pandera_schema(TableContract(contract.name, sub, key))
    frame = df[present].reset_index(drop=True)
    already = already or set()
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        grouped: dict[tuple[str, str], tuple[list[int], list[object]]] = {}
        typed_wrong: set[str] = set()
        duplicated: set[int] = set()  # rows sharing a multi-column key
        for row in cases.itertuples(index=False):
            column = str(row.column)
            check = str(row.check)
            if check.startswith("dtype("):
                if column not in typed_wrong:  # pandera may report it once per row
                    typed_wrong.add(column)
                    dtype = pandera_dtype_name(frame[column]) if column in frame else "?"
                    problems.append(f"colonne « {column} » : type incorrect, attendu "
                                    f"{kind_label(specs.get(column))} (type trouvé : {dtype})")
                continue
            if check in ("column_in_dataframe", "column_in_schema"):
                continue
            if check == "multiple_fields_uniqueness":
                if pd.notna(row.index):
                    duplicated.add(int(row.index))
                continue
            idx = row.index
            if pd.notna(idx) and (column, int(idx)) in already:
                continue
            rows, values = grouped.setdefault((column, check), ([], []))
            if pd.notna(idx):
                rows.append(int(idx))
            values.append(row.failure_case)
        for (column, check), (rows, values) in grouped.items():
            what = _describe(specs.get(column), check, values)
            if check.startswith("type:"):
                problems.append(f"colonne « {column} » : type incorrect, attendu {check[5:]} "
                                f"(type trouvé : {pandera_dtype_name(frame[column])})")
            elif rows:
                shown = () if check == "not_nullable" else values
                problems.append(column_problem(column, rows, what, shown, offset))
            else:
                problems.append(f"colonne « {column} » : {what}")
        if duplicated:
            problems.append(key_problem(frame, key, duplicated, offset))
    for column, allowed, label in contract.references:
        if column not in frame.columns:
            continue
        values = frame[column]
        bad = values.notna() & ~values.astype("str").isin(allowed)
        if bad.any():
            problems.append(column_problem(column, frame.index[bad], f"code absent de {label}",
                                           values[bad], offset))
    return problems


def kind_label(spec: ColumnSpec | None) -> str:
    """The French name of a column's kind ("entier", "date (AAAA-MM-JJ)"…)."""
    return KIND_LABELS.get(spec.kind, spec.kind) if spec else "?"


def pandera_dtype_name(series: pd.Series) -> str:
    """The French name of the dtype a column was found with."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "booléen"
    if pd.api.types.is_integer_dtype(dtype):
        return "entier"
    if pd.api.types.is_float_dtype(dtype):
        return "décimal"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    if pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
        return "texte"
    return str(dtype)
