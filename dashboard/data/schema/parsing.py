"""Type the text columns of a CSV or Excel file as their contract says.

Values that cannot be parsed become problem lines (and are remembered, so the
contract checks do not report the same cell twice); a valid frame is cast to
its final dtypes by `finalize_frame`.
"""

from __future__ import annotations

import pandas as pd

from ..columns import ColumnSpec
from .contract import TableContract, column_problem

TRUE_WORDS = {"true", "vrai", "1", "oui"}
FALSE_WORDS = {"false", "faux", "0", "non"}


def _parse_column(raw: pd.Series, spec: ColumnSpec) -> tuple[pd.Series, pd.Series, str]:
    """Typed series, mask of values that could not be parsed, what was expected."""
    text = raw.astype("str").str.strip().where(raw.notna())
    text = text.where(text != "")
    if spec.kind in ("int", "nullable_int", "float"):
        num = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
        bad = text.notna() & num.isna()
        if spec.kind == "float":
            return num.astype("float64"), bad, "un nombre"
        frac = num.notna() & (num != num.round())
        num = num.where(~frac)
        return num.astype("Int64"), bad | frac, "un nombre entier"
    if spec.kind == "bool":
        low = text.str.lower()
        parsed = low.map(lambda v: True if v in TRUE_WORDS else False if v in FALSE_WORDS
                         else None)
        bad = text.notna() & parsed.isna()
        return parsed.astype("boolean"), bad, "True ou False"
    if spec.kind == "date":
        text = text.str.replace(r" 00:00:00$", "", regex=True)  # Excel date cells
        parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        bad = text.notna() & parsed.isna()
        return parsed.astype("datetime64[ns]"), bad, "une date AAAA-MM-JJ"
    return text.astype("str"), pd.Series(False, index=raw.index), "du texte"


def parse_frame(raw: pd.DataFrame, contract: TableContract, offset: int
                ) -> tuple[pd.DataFrame, list[str], set[tuple[str, int]]]:
    """Type the columns of a text frame (CSV, Excel). Returns the typed frame,
    problem lines and the (column, row) cells already reported."""
    out = pd.DataFrame(index=raw.index)
    problems: list[str] = []
    reported: set[tuple[str, int]] = set()
    for spec in contract.columns:
        if spec.name not in raw.columns:
            continue
        typed, bad, expected = _parse_column(raw[spec.name], spec)
        out[spec.name] = typed
        if bad.any():
            problems.append(column_problem(spec.name, raw.index[bad],
                                           f"type incorrect, attendu {expected}",
                                           raw.loc[bad, spec.name], offset))
            reported.update((spec.name, int(i)) for i in raw.index[bad])
    for col in raw.columns:
        if col not in out.columns:
            out[col] = raw[col]
    return out, problems, reported


def finalize_frame(df: pd.DataFrame, contract: TableContract) -> pd.DataFrame:
    """Cast a valid typed frame to its final dtypes (non-nullable flags to bool)."""
    out = df[[c.name for c in contract.columns]].copy()
    for spec in contract.columns:
        if spec.kind == "bool":
            out[spec.name] = out[spec.name].astype(bool)
        elif spec.kind == "int":
            out[spec.name] = out[spec.name].astype("int64")
    return out
