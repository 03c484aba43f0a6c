"""Enforce a table's contract (`columns.py`) with pandera, in readable French.

`read_table` parses a CSV / Excel / Parquet file into typed columns and
`check_frame` validates a typed frame against a pandera schema built from the
column specs; both return one French line per problem (which column, which
rows, what is wrong) instead of raising, so the CLI, the build and the app can
print them as they are.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..formatting import fmt_int
from .columns import COMMUNE_COLUMNS, ColumnSpec

# Text that went through a UTF-8 -> Latin-1 round trip ("AmbÃ©rieu"), or lost
# characters ("Amb�rieu").
MOJIBAKE = re.compile(r"[ÃÂ][\u0080-\u00bf]|â€|\ufffd")
TRUE_WORDS = {"true", "vrai", "1", "oui"}
FALSE_WORDS = {"false", "faux", "0", "non"}
MAX_LISTED = 8


class TableError(Exception):
    """A table broke its contract; `problems` holds one French line each."""

    def __init__(self, path: Path | str, problems: Sequence[str]):
        self.path = str(path)
        self.problems = list(problems)
        super().__init__(self.message())

    def message(self) -> str:
        head = f"Le fichier {self.path} n'est pas valide ({len(self.problems)} problème(s)) :"
        return "\n".join([head, *(f"- {p}" for p in self.problems)])


@dataclass(frozen=True)
class TableContract:
    """What a table must be: its columns, its key and reference checks."""

    name: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...] = ()
    references: tuple[tuple[str, frozenset[str], str], ...] = ()  # (column, allowed, label)


# --- formatting ----------------------------------------------------------------------

def _rows(index: Iterable[int], offset: int) -> str:
    rows = sorted({int(i) + offset for i in index})
    listed = ", ".join(str(r) for r in rows[:MAX_LISTED])
    more = f"… ({len(rows)} lignes)" if len(rows) > MAX_LISTED else ""
    word = "ligne" if len(rows) == 1 else "lignes"
    return f"{word} {listed}{more}"


def _examples(values: Iterable[object]) -> str:
    seen: list[str] = []
    for v in values:
        text = repr(v) if isinstance(v, str) else str(v)
        if text not in seen:
            seen.append(text)
        if len(seen) == 3:
            break
    return ", ".join(seen)


def column_problem(column: str, index: Iterable[int], what: str, values: Iterable[object] = (),
                   offset: int = 1) -> str:
    examples = _examples(values)
    tail = f" (ex. : {examples})" if examples else ""
    return f"colonne « {column} », {_rows(index, offset)} : {what}{tail}"


# --- parsing ---------------------------------------------------------------------------

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


# --- pandera schema --------------------------------------------------------------------

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


def key_problem(frame: pd.DataFrame, key: Sequence[str], index: Iterable[int],
                offset: int = 1) -> str:
    """One line for the rows that share a multi-column key, with example combinations."""
    rows = sorted(index)
    combos = [" / ".join(str(v) for v in frame.loc[i, list(key)]) for i in rows]
    return (f"clé ({', '.join(key)}), {_rows(rows, offset)} : combinaison en double, chaque "
            f"combinaison doit être unique (ex. : {_examples(combos)})")


def kind_label(spec: ColumnSpec | None) -> str:
    from .columns import KIND_LABELS

    return KIND_LABELS.get(spec.kind, spec.kind) if spec else "?"


def pandera_dtype_name(series: pd.Series) -> str:
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


# --- reading spreadsheets safely --------------------------------------------------------

MB = 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * MB
"""An .xlsx whose members would decompress to more than this is refused unopened."""
MAX_COMPRESSION_RATIO = 100
"""A member of more than `RATIO_FROM_BYTES` packed more tightly than this is refused."""
RATIO_FROM_BYTES = 5 * MB
MAX_MEMBERS = 1000
MAX_ROWS = 100_000
"""Rows (all sheets of an .xlsx, or lines of a CSV) above which a file is refused."""
MAX_CSV_BYTES = MAX_UNCOMPRESSED_BYTES
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls) and other OLE2 compound files
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
CHUNK = MB
OVERLAP = 64


def _count_rows(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> int:
    """`<row>` elements of a worksheet, streamed in chunks; stops above `limit`.

    zipfile never yields more than the size declared in the central directory,
    so memory stays bounded by one chunk. A tag starting in the last `OVERLAP`
    bytes of a chunk is counted with the next one (it may be cut in two).
    """
    count = 0
    data = b""
    with zf.open(info) as member:
        while chunk := member.read(CHUNK):
            data += chunk
            cut = max(len(data) - OVERLAP, 0)
            count += sum(1 for m in ROW_TAG.finditer(data) if m.start() < cut)
            if count > limit:
                return count
            data = data[cut:]
    return count + len(ROW_TAG.findall(data))


def spreadsheet_problem(path: Path | str, *, max_bytes: int = MAX_UNCOMPRESSED_BYTES,
                        max_ratio: float = MAX_COMPRESSION_RATIO,
                        max_members: int = MAX_MEMBERS,
                        max_rows: int = MAX_ROWS) -> str | None:
    """Why an .xlsx file must not be handed to openpyxl, in French, or None if it may.

    Looks at the file without parsing any XML: an old .xls renamed .xlsx, a file
    that is no ZIP, too many members, a declared uncompressed size above
    `max_bytes`, a member compressed more than `max_ratio` times (a "zip bomb"),
    more than `max_rows` rows in its worksheets. Takes well under a second and
    one chunk of memory whatever the file.
    """
    path = Path(path)
    name = path.name
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE2_MAGIC):
        return (f"{name} : ancien classeur Excel 97-2003 (.xls) renommé en .xlsx ; "
                "ouvrez-le dans Excel ou LibreOffice et enregistrez-le au format « Classeur "
                "Excel (.xlsx) » ou « CSV UTF-8 (.csv) »")
    refused = f"{name} : fichier refusé : "
    if not zipfile.is_zipfile(path):
        return (f"{name} : ce n'est pas un classeur Excel .xlsx (archive ZIP attendue) ; "
                "enregistrez-le au format « Classeur Excel (.xlsx) » ou « CSV UTF-8 (.csv) »")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > max_members:
                return (refused + f"le classeur contient {fmt_int(len(infos))} éléments "
                        f"(au plus {fmt_int(max_members)})")
            total = sum(i.file_size for i in infos)
            if total > max_bytes:
                return (refused + f"une fois décompressé, il dépasserait "
                        f"{fmt_int(max_bytes // MB)} Mo ({fmt_int(total / MB)} Mo annoncés)")
            for info in infos:
                if (info.file_size > RATIO_FROM_BYTES
                        and info.file_size > max_ratio * max(info.compress_size, 1)):
                    return (refused + f"compression anormale de « {info.filename} » (plus de "
                            f"{fmt_int(max_ratio)} fois), typique d'une « bombe » de "
                            "décompression")
            rows = 0
            for info in infos:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    rows += _count_rows(zf, info, max_rows - rows)
                    if rows > max_rows:
                        return (refused + f"plus de {fmt_int(max_rows)} lignes ; "
                                "découpez-le ou contactez l'équipe du tableau de bord")
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        return (f"{name} : classeur .xlsx endommagé ({exc}) ; réenregistrez-le au format "
                "« Classeur Excel (.xlsx) » ou « CSV UTF-8 (.csv) »")
    return None


class FileRefused(Exception):
    """A file refused before parsing; its message is the French problem line."""


def _read_excel(path: Path) -> pd.DataFrame:
    """The first sheet as text, after `spreadsheet_problem` let it through.

    openpyxl parses the XML with defusedxml when it is installed (a dependency
    of the project): a sheet declaring XML entities (the "billion laughs" or an
    external entity) is refused with a French line.
    """
    from defusedxml import DefusedXmlException

    try:
        return pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
    except ValueError as exc:  # openpyxl wraps the parser's error in its own ValueError
        cause: BaseException | None = exc
        while cause is not None and not isinstance(cause, DefusedXmlException):
            cause = cause.__cause__ or cause.__context__
        if cause is None:
            raise
        raise FileRefused(f"{path.name} : fichier refusé : le classeur déclare des entités XML "
                          "(construction utilisée pour saturer la mémoire ou lire des fichiers "
                          "du serveur) ; réenregistrez-le depuis Excel ou LibreOffice") from exc


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV as text, with the same size and row caps as a spreadsheet."""
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise FileRefused(f"{path.name} : fichier refusé : {fmt_int(size / MB)} Mo, au plus "
                          f"{fmt_int(MAX_CSV_BYTES // MB)} Mo")
    with path.open("rb") as fh:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(CHUNK), b""))
    if lines > MAX_ROWS + 1:  # the header line, then at most MAX_ROWS rows
        raise FileRefused(f"{path.name} : fichier refusé : plus de {fmt_int(MAX_ROWS)} lignes ; "
                          "découpez-le ou contactez l'équipe du tableau de bord")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                       sep=None, engine="python")


# --- files -----------------------------------------------------------------------------

def read_table(path: Path, contract: TableContract) -> tuple[pd.DataFrame | None, list[str]]:
    """Read and check a table file. Returns (frame or None, problem lines).

    The frame is returned (typed, in contract column order) only when there is
    no problem.
    """
    path = Path(path)
    if not path.is_file():
        return None, [f"fichier introuvable : {path}"]
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            df = pd.read_parquet(path)
            offset, already = 1, set()
            problems: list[str] = []
        elif suffix in (".csv", ".xlsx"):
            if suffix == ".csv":
                raw = _read_csv(path)
            else:
                refused = spreadsheet_problem(path)
                if refused:
                    return None, [refused]
                raw = _read_excel(path)
            raw.columns = [str(c).strip() for c in raw.columns]
            df, problems, already = parse_frame(raw, contract, offset=2)
            offset = 2
        else:
            return None, [f"format non pris en charge : {path.name} (attendu .parquet, .csv "
                          "ou .xlsx)"]
    except FileRefused as exc:
        return None, [str(exc)]
    except UnicodeDecodeError:
        return None, [f"{path.name} : le fichier n'est pas encodé en UTF-8 ; réenregistrez-le "
                      "en « CSV UTF-8 »"]
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets one readable line
        return None, [f"{path.name} : lecture impossible ({type(exc).__name__} : {exc})"]
    problems += check_frame(df, contract, offset=offset, already=already)
    if problems:
        return None, problems
    return finalize_frame(df, contract), []


def commune_contract(epci_reference: Iterable[str] | None = None) -> TableContract:
    """The commune table's contract; EPCI codes checked against the reference if given."""
    refs = ()
    if epci_reference is not None:
        refs = (("epci_siren", frozenset(epci_reference), "la liste des EPCI 2026"),)
    return TableContract("communes", COMMUNE_COLUMNS, key=("code_insee",), references=refs)
