"""Read user files safely: spreadsheets are inspected before openpyxl opens them.

`spreadsheet_problem` refuses, without parsing any XML, an .xlsx that is an
old .xls, no ZIP, a decompression "bomb" or too long; `read_excel` refuses XML
entities; `read_csv` applies the same size and row caps. Every refusal is one
French line (`FileRefused`).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd

from ...formatting import fmt_int

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
TOO_MANY_ROWS = "découpez-le ou contactez l'équipe du tableau de bord"
RESAVE = "« Classeur Excel (.xlsx) » ou « CSV UTF-8 (.csv) »"


class FileRefused(Exception):
    """A file refused before parsing; its message is the French problem line."""


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
                f"ouvrez-le dans Excel ou LibreOffice et enregistrez-le au format {RESAVE}")
    refused = f"{name} : fichier refusé : "
    if not zipfile.is_zipfile(path):
        return (f"{name} : ce n'est pas un classeur Excel .xlsx (archive ZIP attendue) ; "
                f"enregistrez-le au format {RESAVE}")
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
                        return refused + f"plus de {fmt_int(max_rows)} lignes ; {TOO_MANY_ROWS}"
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        return (f"{name} : classeur .xlsx endommagé ({exc}) ; réenregistrez-le au format "
                f"{RESAVE}")
    return None


def read_excel(path: Path) -> pd.DataFrame:
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


def read_csv(path: Path) -> pd.DataFrame:
    """A CSV as text, with the same size and row caps as a spreadsheet."""
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise FileRefused(f"{path.name} : fichier refusé : {fmt_int(size / MB)} Mo, au plus "
                          f"{fmt_int(MAX_CSV_BYTES // MB)} Mo")
    with path.open("rb") as fh:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(CHUNK), b""))
    if lines > MAX_ROWS + 1:  # the header line, then at most MAX_ROWS rows
        raise FileRefused(f"{path.name} : fichier refusé : plus de {fmt_int(MAX_ROWS)} lignes ; "
                          f"{TOO_MANY_ROWS}")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                       sep=None, engine="python")
