"""Vue régionale: layout from URL values and the callbacks, as plain functions."""

from __future__ import annotations

import io
import json

import plotly
import pytest
from dash import Patch, no_update

from tests.layout_tools import by_id as find
from tests.layout_tools import text

NBSP, NNBSP = "\u00a0", "\u202f"
BOURG = "200071751"
ANNONAY = "200072015"


@pytest.fixture(scope="module")
def page(dashboard_app):
    from dashboard.pages import regional

    return regional


def test_layout_default_view(page):
    layout = page.layout()
    assert find(layout, page.RADIO_ID).value == "logement-social"
    assert find(layout, page.MESSAGE_ID).children is None
    graph = find(layout, page.MAP_ID)
    assert graph.figure["data"][1]["type"] == "choropleth"
    # The geometry is not in the view: the trace points at the cached map layer.
    url = graph.figure["data"][1]["geojson"]
    assert isinstance(url, str) and url.startswith("/geo/epci.geojson?v=")
    assert graph.config["locale"] == "fr"
    assert "16,4" in find(layout, page.SUMMARY_ID).children
    grid = find(layout, page.GRID_ID)
    assert len(grid.rowData) == 172
    assert grid.csvExportParams["columnSeparator"] == ";"


def test_layout_unknown_indicator_shows_french_message_and_default(page):
    layout = page.layout(indicateur="densite")
    message = text(find(layout, page.MESSAGE_ID))
    assert "« densite » n'est pas un indicateur de la carte" in message
    assert find(layout, page.RADIO_ID).value == "logement-social"


def test_layout_other_indicator(page):
    layout = page.layout(indicateur="engagement-bailleurs")
    graph = find(layout, page.MAP_ID)
    assert "bailleur engagé" in graph.figure["layout"]["title"]["text"]
    assert graph.config["toImageButtonOptions"]["filename"].startswith(
        "engagement-des-bailleurs-sociaux_")


def test_change_indicator_returns_a_patch_without_geometry(page):
    patch, config, summary, message = page.change_indicator("population-programme")
    assert isinstance(patch, Patch)
    text = json.dumps(patch.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
    assert "geojson" not in text and "coordinates" not in text
    assert len(text) < 60_000
    assert "Population en commune de programme" in text
    assert config["toImageButtonOptions"]["filename"].startswith(
        "part-de-la-population-en-commune-de-programme_auvergne-rhone-alpes_")
    assert summary.startswith("Dans la région, 27,0") and "des habitants" in summary
    assert message is None


def test_change_indicator_refuses_an_unknown_value(page):
    _patch, _config, summary, message = page.change_indicator("x")
    assert "n'est pas un indicateur" in text(message)
    assert "résidences principales" in summary  # default indicator


@pytest.mark.parametrize("click", [
    {"points": [{"location": BOURG, "curveNumber": 1}]},
])
def test_click_opens_the_territory_page(page, click):
    assert page.open_territory(click) == f"/territoire?epci={BOURG}"


@pytest.mark.parametrize("click", [
    None, "x", {}, {"points": []}, {"points": "x"}, {"points": [None]},
    {"points": [{"lon": 4.5, "lat": 45.5, "curveNumber": 0}]},  # the invisible anchor
    {"points": [{"location": 200071751}]}, {"points": [{"location": "../admin"}]},
    {"points": [{"location": "999999999"}]},
])
def test_malformed_click_does_not_navigate(page, click):
    assert page.open_territory(click) is no_update


def test_ranking_rows_carry_french_text_links_and_csv_values(page):
    row = next(r for r in page.ranking_rows() if r["epci_siren"] == BOURG)
    assert row["epci_nom"] == "CA du Bassin de Bourg-en-Bresse"
    assert row["lien"] == f"[CA du Bassin de Bourg-en-Bresse](/territoire?epci={BOURG})"
    assert row["taux_logements_sociaux_fr"] == f"19,6{NBSP}%"
    assert row["population_fr"] == f"137{NNBSP}046"
    assert row["population_csv"] == "137046" and row["taux_logements_sociaux_csv"] == "19,6"


def test_export_csv_asks_the_grid_for_a_french_csv(page):
    export, params = page.export_csv(1)
    assert export is True
    assert params["fileName"].startswith("classement-epci_auvergne-rhone-alpes_")
    assert params["fileName"].endswith(".csv")
    assert params["columnSeparator"] == ";"
    assert "Sources : SDES" in params["appendContent"]
    assert "_csv" in params["processCellCallback"]["function"]


def test_export_xlsx_uses_the_grid_rows_in_order(page):
    from openpyxl import load_workbook

    sent = page.export_xlsx(1, [{"epci_siren": ANNONAY, "epci_nom": "=HACK()"},
                                {"epci_siren": BOURG}])
    assert sent["filename"].startswith("classement-epci_auvergne-rhone-alpes_")
    assert sent["filename"].endswith(".xlsx")
    import base64

    wb = load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    ws = wb.worksheets[0]
    assert ws["A1"].value == "Intercommunalité (EPCI)"
    assert [ws["A2"].value, ws["A3"].value] == ["CA Annonay Rhône Agglo",
                                                "CA du Bassin de Bourg-en-Bresse"]
    assert ws["A4"].value is None and ws["A5"].value.startswith("Sources : SDES")
    assert "Source" in wb.sheetnames

    everything = page.export_xlsx(1, None)  # grid never touched: every EPCI
    ws = load_workbook(io.BytesIO(base64.b64decode(everything["content"]))).worksheets[0]
    assert ws.max_row == 1 + 172 + 2


def test_map_layer_is_served_once_with_long_cache(page, client):
    import json

    import app

    url = find(page.layout(), page.MAP_ID).figure["data"][1]["geojson"]
    client = app.server.test_client()
    resp = client.get(url)
    assert resp.status_code == 200
    assert resp.cache_control.max_age == 365 * 24 * 3600 and resp.cache_control.immutable
    assert len(json.loads(resp.data)["features"]) == 172
    again = client.get(url, headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304
    stale = client.get("/geo/epci.geojson?v=old")
    assert stale.status_code == 200 and stale.cache_control.no_cache
    assert client.get("/geo/communes.geojson").status_code == 404
    assert b"FeatureCollection" not in client.get("/geo/..%2Fcommunes.parquet.geojson").data
