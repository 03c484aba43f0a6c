"""The grid-with-exports component: layout, export callbacks, URL sync."""

from __future__ import annotations

import base64
import copy

import pytest
from dash import State

from dashboard.components import grid
from dashboard.data.columns import ExportColumn
from tests.layout_tools import components


@pytest.fixture(autouse=True)
def own_callbacks(monkeypatch):
    """Callbacks declared here stay out of the app's global callback registry."""
    from dash import _callback

    for name in ("GLOBAL_CALLBACK_MAP", "GLOBAL_CALLBACK_LIST", "GLOBAL_INLINE_SCRIPTS"):
        monkeypatch.setattr(_callback, name, copy.copy(getattr(_callback, name)))
    return _callback


IDS = grid.GridIds(grid="g-test", csv="csv-test", xlsx="xlsx-test", download="dl-test")
COLUMNS = (ExportColumn("nom", "Commune"), ExportColumn("population", "Population", "int"))


def test_export_grid_lays_out_buttons_download_and_a_french_grid():
    params = grid.csv_export_params("x.csv", "Source : x")
    div = grid.export_grid(IDS, [{"code": "1", "nom": "A"}], [], COLUMNS, params, "code",
                           class_name="ma-grille", buttons_class="mes-exports")
    by_id = {getattr(c, "id", None): c for c in components(div)}
    assert by_id["csv-test"].children == "Exporter en CSV"
    assert by_id["xlsx-test"].children == "Exporter en Excel (.xlsx)"
    assert type(by_id["dl-test"]).__name__ == "Download"
    ag = by_id["g-test"]
    assert ag.getRowId == "params.data.code" and ag.className == "ma-grille"
    assert ag.csvExportParams is params and params["columnSeparator"] == ";"
    options = ag.dashGridOptions
    assert options["localeText"]["noRowsToShow"] == "Aucune ligne à afficher"
    assert options["context"]["csvHeaders"] == {"nom": "Commune",
                                               "population": COLUMNS[1].csv_header}


def test_grid_exports_declares_two_callbacks_that_call_the_view(own_callbacks):
    calls = []

    def csv_params(seuil):
        calls.append(("csv", seuil))
        return {"fileName": f"f-{seuil}.csv"}

    def xlsx(rows, seuil):
        calls.append(("xlsx", rows, seuil))
        return b"PK", f"f-{seuil}.xlsx"

    export_csv, export_xlsx = grid.grid_exports(IDS, csv_params, xlsx,
                                                (State("seuil-test", "value"),))
    assert export_csv(1, 7) == (True, {"fileName": "f-7.csv"})
    sent = export_xlsx(1, [{"code": "1"}], 7)
    assert sent["filename"] == "f-7.xlsx" and base64.b64decode(sent["content"]) == b"PK"
    assert calls == [("csv", 7), ("xlsx", [{"code": "1"}], 7)]
    registered = {k for k in own_callbacks.GLOBAL_CALLBACK_MAP if "test" in k}
    assert "..g-test.exportDataAsCsv...g-test.csvExportParams.." in registered
    assert "dl-test.data" in registered


def test_url_sync_mirrors_each_control_in_the_address(own_callbacks):
    grid.url_sync("store-test", {"seuil": "seuil-test", "departement": "dep-test"})
    registered = own_callbacks.GLOBAL_CALLBACK_MAP["store-test.data"]
    assert [i["id"] for i in registered["inputs"]] == ["seuil-test", "dep-test"]
    js = grid.URL_SYNC_JS % '["seuil", "departement"]'
    assert 'const names = ["seuil", "departement"];' in js
    assert "history.replaceState" in js and "params.delete(name)" in js
