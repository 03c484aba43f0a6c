"""CSV exports never hand a spreadsheet a formula: the OWASP leading-apostrophe rule."""

from __future__ import annotations

import pytest

from dashboard.components import grid
from dashboard.data.columns import ExportColumn
from dashboard.export import tables as T


@pytest.mark.parametrize(("text", "expected"), [
    ("=HYPERLINK(\"https://evil.example\",\"X\")", "'=HYPERLINK(\"https://evil.example\",\"X\")"),
    ("+33 1 23", "'+33 1 23"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("Bourg-en-Bresse", "Bourg-en-Bresse"),  # a dash inside is harmless
    ("CA = 12", "CA = 12"),
    ("", ""),
    ("'=déjà", "'=déjà"),
])
def test_csv_text(text, expected):
    assert T.csv_text(text) == expected


@pytest.mark.parametrize(("value", "kind", "expected"), [
    ("=1+1", "text", "'=1+1"),
    ("@x", "text", "'@x"),
    (-3.46, "pct", "-3,5"),  # numbers stay numbers
    (-12.0, "dec", "-12,0"),
    (-1234, "int", "-1234"),
    (None, "text", ""),
    (True, "bool", "Oui"),
])
def test_csv_value_neutralises_text_only(value, kind, expected):
    assert T.csv_value(value, kind) == expected


def test_with_csv_fields_neutralises_every_text_cell():
    cols = (ExportColumn("nom", "Nom"), ExportColumn("taux", "Taux", "pct"))
    rows = T.with_csv_fields([{"nom": "=cmd|'/C calc'!A0", "taux": -1.25},
                              {"nom": "+1", "taux": 2.0}], cols)
    assert [(r["nom_csv"], r["taux_csv"]) for r in rows] == [("'=cmd|'/C calc'!A0", "-1,2"),
                                                             ("'+1", "2,0")]


def test_source_line_is_neutralised_too():
    assert T.csv_source_line("=1+1") == "\n\n\"'=1+1\""
    assert T.csv_source_line("Source : x") == "\n\n\"Source : x\""


def test_every_grid_export_uses_the_safe_cell_callback(dashboard_app):
    from dashboard.views import programmes as programmes_view
    from dashboard.views import regional as regional_view

    for params in (regional_view.csv_params(), programmes_view.csv_params(5000, None)):
        assert params["processCellCallback"] == {"function": "csvCell(params, '_csv')"}
        assert params["processCellCallback"] is grid.CSV_CELL_CALLBACK
        assert params["columnSeparator"] == ";"


def test_the_grid_function_is_shipped_as_an_asset():
    from dashboard import config

    js = (config.ROOT / "assets" / "dashAgGridFunctions.js").read_text("utf-8")
    assert "window.dashAgGridFunctions" in js
    assert "dagfuncs.csvCell = function (params, suffix)" in js
    assert "/^[=+\\-@\\t\\r]/" in js  # the same prefixes as FORMULA_PREFIXES
    assert set(T.FORMULA_PREFIXES) == {"=", "+", "-", "@", "\t", "\r"}
