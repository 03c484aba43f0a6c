"""Programmes page: layout from URL values and the callbacks, as plain functions."""

from __future__ import annotations

import base64
import io

import pytest

from tests.layout_tools import by_id as find
from tests.layout_tools import text

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture(scope="module")
def page(dashboard_app):
    from dashboard.pages import programmes

    return programmes


@pytest.fixture(scope="module")
def expected():
    from dashboard.data import programmes, store

    df = store.communes()
    return {s: programmes.hors_programme(df, s) for s in (3500, 10000)}


def test_layout_default(page, expected):
    layout = page.layout()
    assert find(layout, page.SEUIL_ID).value == 3500
    assert find(layout, page.DEP_ID).value is None
    assert find(layout, page.MESSAGE_ID).children is None
    assert len(find(layout, page.GRID_ID).rowData) == len(expected[3500])
    sentence = find(layout, page.SENTENCE_ID).children
    assert sentence.startswith(f"Auvergne-Rhône-Alpes : {len(expected[3500])} communes de "
                               f"3{NNBSP}500 habitants ou plus ne sont dans aucun programme")
    for graph_id in ("programmes-departements", "programmes-types-epci", "programmes-ort-statuts",
                     "programmes-ort-annees", "programmes-acv", page.CHART_ID):
        graph = find(layout, graph_id)
        assert any(a.get("name") == "source"
                   for a in graph.figure["layout"]["annotations"]), graph_id
        assert graph.config["locale"] == "fr"


def test_layout_threshold_and_department_from_the_url(page, expected):
    layout = page.layout(seuil="10000", departement="38")
    assert find(layout, page.SEUIL_ID).value == 10000
    assert find(layout, page.DEP_ID).value == "38"
    rows = find(layout, page.GRID_ID).rowData
    isere = expected[10000][expected[10000]["departement"] == "38"]
    assert [r["code_insee"] for r in rows] == isere["code_insee"].tolist()
    assert find(layout, page.SENTENCE_ID).children.startswith("Isère (38) : ")


@pytest.mark.parametrize(("query", "words"), [
    ({"seuil": "abc"}, "« abc » n'est pas un nombre d'habitants"),
    ({"seuil": "-10"}, "nombre entier d'habitants entre 500"),
    ({"seuil": "99999999"}, "nombre entier d'habitants entre 500"),
    ({"departement": "75"}, "Le département 75 n'est pas dans la région."),
    ({"departement": "<x>"}, "n'est pas un code de département valide"),
])
def test_layout_refuses_bad_values_in_french(page, query, words):
    layout = page.layout(**query)
    message = text(find(layout, page.MESSAGE_ID))
    assert words in message
    assert find(layout, page.SEUIL_ID).value == 3500
    assert find(layout, page.GRID_ID).rowData  # the default list is still shown


def test_update_lists_the_communes_above_the_threshold(page, expected):
    rows, sentence, figure, summary, config, message = page.update_hors_programme(10000, None)
    assert len(rows) == len(expected[10000])
    assert all(r["population"] >= 10000 for r in rows)
    lyon = next(r for r in rows if r["code_insee"] == "69123")
    assert lyon["population_fr"] == f"519{NNBSP}127"
    assert lyon["taux_logements_sociaux_fr"] == f"20,2{NBSP}%"
    assert lyon["lien"] == "[Lyon](/territoire?epci=200046977&commune=69123)"
    assert lyon["sru_libelle"] == "Oui"
    assert f"de 10{NNBSP}000 habitants ou plus" in sentence
    assert "10\u202f000 hab." in figure["layout"]["title"]["text"]
    assert summary and message is None
    assert config["toImageButtonOptions"]["filename"].startswith(
        "communes-hors-programme-10000-habitants_auvergne-rhone-alpes_")


@pytest.mark.parametrize(("seuil", "words"), [
    (None, "Saisissez un seuil"),
    (-5, "nombre entier d'habitants"),
    (10**9, "nombre entier d'habitants"),
    (3500.5, "nombre entier d'habitants"),
])
def test_update_refuses_a_bad_threshold(page, expected, seuil, words):
    rows, sentence, *_rest, message = page.update_hors_programme(seuil, None)
    assert words in text(message)
    assert len(rows) == len(expected[3500])  # default threshold used


def test_exports(page, expected):
    export, params = page.export_csv(1, 10000, "38")
    assert export is True
    assert params["fileName"].startswith("communes-hors-programme-10000-habitants_isere-38_")
    assert params["columnSeparator"] == ";"
    from openpyxl import load_workbook

    sent = page.export_xlsx(1, [{"code_insee": "69123"}, {"code_insee": "00000"}], 10000, None)
    wb = load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]][:2] == ["Commune", "Code INSEE"]
    assert [ws["A2"].value, ws["B2"].value, ws["F2"].value] == ["Lyon", "69123", 519127]
    assert ws["H2"].value == "Oui" and ws["A3"].value is None
    assert sent["filename"].endswith(".xlsx")
