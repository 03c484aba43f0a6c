"""Spreadsheets are checked before openpyxl reads them: bombs, old .xls, XML entities, caps."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import openpyxl.xml
import pandas as pd
import pytest

from dashboard import config
from dashboard.data import bailleurs as b
from dashboard.data import schema, store
from dashboard.data.atomic import served_dir
from dashboard.data.cli import main
from dashboard.data.schema import TableError, spreadsheet

SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b"<sheetData>")
SHEET_TAIL = b"</sheetData></worksheet>"


def workbook_bytes(rows: int = 2) -> bytes:
    """A genuine small workbook (header + `rows` rows) written by openpyxl."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(b.ENGAGEMENT_COLUMN_NAMES))
    for i in range(rows):
        ws.append(["Office", "000000101", "OPH", "01053", "ACV", "sollicité", i,
                   "2025-01-15", "False"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def with_sheet(path: Path, write_sheet) -> Path:
    """A copy of a genuine workbook whose first sheet is written by `write_sheet(stream)`."""
    src = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename == SHEET:
                with dst.open(SHEET, "w", force_zip64=True) as out:
                    write_sheet(out)
            else:
                dst.writestr(info.filename, src.read(info.filename))
    return path


def repeated_rows(n_chunks: int, chunk: bytes):
    def write(out) -> None:
        out.write(SHEET_HEAD)
        for _ in range(n_chunks):
            out.write(chunk)
        out.write(SHEET_TAIL)
    return write


ROW = (b'<row r="2"><c r="A2" t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></is>'
       b"</c></row>")


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A few hundred KB that would expand to more than 100 MB of sheet XML."""
    path = tmp_path_factory.mktemp("bomb") / "engagements_bailleurs.xlsx"
    with_sheet(path, repeated_rows(1100, ROW * 1100))  # 1 100 × 1 100 × 91 bytes ≈ 110 MB
    return path


def test_bomb_is_small_on_disk_and_huge_declared(bomb):
    assert bomb.stat().st_size < 1_000_000
    with zipfile.ZipFile(bomb) as zf:
        assert zf.getinfo(SHEET).file_size > 100 * schema.MB


def test_bomb_refused_unopened_with_bounded_memory(bomb):
    tracemalloc.start()
    try:
        problem = schema.spreadsheet_problem(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problem is not None and problem.startswith(
        "engagements_bailleurs.xlsx : fichier refusé : une fois décompressé, il dépasserait "
        "50 Mo (")
    assert peak < 5 * schema.MB  # nothing was decompressed


def test_bomb_refused_by_validate_and_read_table(bomb, capsys):
    frame, problems = schema.read_table(bomb, b.engagement_contract())
    assert frame is None and len(problems) == 1 and "dépasserait 50 Mo" in problems[0]
    assert main(["validate", str(bomb)]) == 1
    err = capsys.readouterr().err
    assert "fichier refusé : une fois décompressé, il dépasserait 50 Mo" in err
    assert "Traceback" not in err


def test_bomb_as_the_real_landlord_file(bomb, tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "communes.parquet").symlink_to(served_dir(config.ROOT / "data") / "communes.parquet")
    (data / "engagements_bailleurs.xlsx").symlink_to(bomb)
    monkeypatch.setenv("AURA_DATA_DIR", str(data))  # resets the store (tests/conftest.py)
    with pytest.raises(TableError, match="dépasserait 50 Mo"):
        store.engagements_table()


def test_compression_ratio_cap(tmp_path):
    # 20 MB of one repeated row: under the size cap, but packed about 1 000 times.
    path = with_sheet(tmp_path / "e.xlsx", repeated_rows(200, ROW * 1150))
    problem = schema.spreadsheet_problem(path)
    assert problem is not None
    assert "fichier refusé : compression anormale de « xl/worksheets/sheet1.xml »" in problem


def test_row_cap_through_read_table(tmp_path):
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    path = with_sheet(tmp_path / "e.xlsx", repeated_rows(1, row * (schema.MAX_ROWS + 1)))
    frame, problems = schema.read_table(path, b.engagement_contract())
    assert frame is None
    assert problems == ["e.xlsx : fichier refusé : plus de 100\u202f000 lignes ; découpez-le "
                        "ou contactez l'équipe du tableau de bord"]


def test_row_count_is_exact_across_chunks(tmp_path, monkeypatch):
    rows = b"".join(b'<row r="%d"><c><v>%d</v></c></row>' % (i, i) for i in range(1, 501))
    rows += b"<x:row/>" * 7  # prefixed and empty rows count too; <rowBreaks> does not
    rows += b"<rowBreaks/>"
    path = with_sheet(tmp_path / "e.xlsx", repeated_rows(1, rows))
    for chunk in (3, 7, 64, 1000, 1 << 20):
        monkeypatch.setattr(spreadsheet, "CHUNK", chunk)
        with zipfile.ZipFile(path) as zf:
            assert spreadsheet._count_rows(zf, zf.getinfo(SHEET), 10_000) == 507, chunk
    assert schema.spreadsheet_problem(path, max_rows=507) is None
    assert "plus de 506 lignes" in schema.spreadsheet_problem(path, max_rows=506)


def test_genuine_workbook_passes(tmp_path):
    path = tmp_path / "e.xlsx"
    path.write_bytes(workbook_bytes(rows=50))
    assert schema.spreadsheet_problem(path) is None
    assert len(pd.read_excel(path)) == 50


def test_old_xls_renamed_xlsx(tmp_path, capsys):
    path = tmp_path / "engagements.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    expected = ("engagements.xlsx : ancien classeur Excel 97-2003 (.xls) renommé en .xlsx ; "
                "ouvrez-le dans Excel ou LibreOffice et enregistrez-le au format « Classeur "
                "Excel (.xlsx) » ou « CSV UTF-8 (.csv) »")
    assert schema.read_table(path, b.engagement_contract()) == (None, [expected])
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert expected in err
    assert "pip" not in err and "xlrd" not in err and "Traceback" not in err


def test_too_many_members(tmp_path):
    path = tmp_path / "e.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(schema.MAX_MEMBERS + 1):
            zf.writestr(f"x/{i}.xml", b"")
    assert schema.spreadsheet_problem(path) == (
        "e.xlsx : fichier refusé : le classeur contient 1\u202f001 éléments (au plus "
        "1\u202f000)")


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_xml_entities_refused(tmp_path):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
              b"</sheetData></worksheet>")
    path = with_sheet(tmp_path / "e.xlsx", lambda out: out.write(laughs))
    frame, problems = schema.read_table(path, b.engagement_contract())
    assert frame is None
    assert problems == ["e.xlsx : fichier refusé : le classeur déclare des entités XML "
                        "(construction utilisée pour saturer la mémoire ou lire des fichiers "
                        "du serveur) ; réenregistrez-le depuis Excel ou LibreOffice"]


def test_csv_row_cap(tmp_path):
    path = tmp_path / "e.csv"
    header = ",".join(b.ENGAGEMENT_COLUMN_NAMES)
    path.write_text(header + "\n" + "x\n" * (schema.MAX_ROWS + 1), encoding="utf-8")
    frame, problems = schema.read_table(path, b.engagement_contract())
    assert frame is None and len(problems) == 1
    assert problems[0].startswith("e.csv : fichier refusé : plus de 100\u202f000 lignes")
