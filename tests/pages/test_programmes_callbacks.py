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
    return {s: programmes.hors_programme(df, s) for s in (0, 10000)}


def summary_cli(*args: str) -> dict:
    """The summary CLI's answer (same data layer as the app)."""
    import contextlib
    import json

    from dashboard.data.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["summary", *args]) == 0
    return json.loads(out.getvalue())


def test_layout_default_lists_every_pole_hors_programme(page, expected):
    layout = page.layout()
    assert find(layout, page.SEUIL_ID).value == 0  # the population filter is optional
    assert find(layout, page.DEP_ID).value is None
    assert find(layout, page.MESSAGE_ID).children is None
    rows = find(layout, page.GRID_ID).rowData
    # Known answer: the summary CLI's count of the region's pôles hors programme.
    assert len(rows) == len(expected[0]) == summary_cli("--region", "84")[
        "poles_hors_programme"] == 280
    # Sorted by level (Centre structurant first), then population.
    levels = [r["niveau"] for r in rows]
    assert levels == sorted(levels, key=lambda v: v != "Centre structurant")
    structurants = [r["population"] for r in rows if r["niveau"] == "Centre structurant"]
    assert structurants == sorted(structurants, reverse=True)
    assert rows[0]["nom"] == "Vénissieux"
    sentence = find(layout, page.SENTENCE_ID).children
    assert sentence.startswith("Auvergne-Rhône-Alpes : 280 pôles ne sont dans aucun programme "
                               "(ni ACV, ni PVD, ni AMI centres-bourgs, ni Villages d'avenir)")
    for graph_id in ("programmes-departements", "programmes-types-epci", "programmes-ort-statuts",
                     "programmes-ort-annees", "programmes-acv", page.CHART_ID):
        graph = find(layout, graph_id)
        assert any(a.get("name") == "source"
                   for a in graph.figure["layout"]["annotations"]), graph_id
        assert graph.config["locale"] == "fr"


def test_pole_rows_match_the_commune_summary(page, expected):
    rows = find(page.layout(), page.GRID_ID).rowData
    for row in rows[:3]:
        facts = summary_cli("--commune", row["code_insee"])
        assert facts["pole_hors_programme"] is True
        assert facts["centralite"].startswith(row["niveau"])
        assert (row["sru_statut"] != "Non soumise") == facts["sru_soumise"]


def test_layout_threshold_and_department_from_the_url(page, expected):
    layout = page.layout(seuil="10000", departement="38")
    assert find(layout, page.SEUIL_ID).value == 10000
    assert find(layout, page.DEP_ID).value == "38"
    rows = find(layout, page.GRID_ID).rowData
    isere = expected[10000][expected[10000]["departement"] == "38"]
    assert [r["code_insee"] for r in rows] == isere["code_insee"].tolist()
    assert len(rows) == 12
    assert find(layout, page.SENTENCE_ID).children.startswith("Isère (38) : 12 pôles de ")


@pytest.mark.parametrize(("query", "words"), [
    ({"seuil": "abc"}, "« abc » n'est pas un nombre d'habitants"),
    ({"seuil": "-10"}, "nombre entier d'habitants entre 0 et 200"),
    ({"seuil": "99999999"}, "nombre entier d'habitants entre 0 et 200"),
    ({"departement": "75"}, "Le département 75 n'est pas dans la région."),
    ({"departement": "<x>"}, "n'est pas un code de département valide"),
])
def test_layout_refuses_bad_values_in_french(page, query, words):
    layout = page.layout(**query)
    message = text(find(layout, page.MESSAGE_ID))
    assert words in message
    assert find(layout, page.SEUIL_ID).value == 0
    assert find(layout, page.GRID_ID).rowData  # the default list is still shown


def test_update_filters_by_the_optional_threshold(page, expected):
    rows, sentence, figure, summary, config, message = page.update_hors_programme(10000, None)
    assert len(rows) == len(expected[10000])
    assert all(r["population"] >= 10000 for r in rows)
    venissieux = next(r for r in rows if r["code_insee"] == "69259")
    assert venissieux["niveau"] == "Centre structurant"
    assert venissieux["lien"] == "[Vénissieux](/territoire?epci=200046977&commune=69259)"
    assert venissieux["sru_statut"] == "Soumise, non déficitaire"
    assert venissieux["ort_statut"] == "Aucune connue"
    assert f"de 10{NNBSP}000 habitants ou plus" in sentence
    assert "10\u202f000 hab." in figure["layout"]["title"]["text"]
    assert summary and message is None
    assert config["toImageButtonOptions"]["filename"].startswith(
        "poles-hors-programme-10000-habitants_auvergne-rhone-alpes_")


def test_an_emptied_threshold_box_lists_every_pole(page, expected):
    rows, *_rest, message = page.update_hors_programme(None, None)
    assert message is None and len(rows) == len(expected[0])


@pytest.mark.parametrize(("seuil", "words"), [
    (-5, "nombre entier d'habitants"),
    (10**9, "nombre entier d'habitants"),
    (3500.5, "nombre entier d'habitants"),
])
def test_update_refuses_a_bad_threshold(page, expected, seuil, words):
    rows, sentence, *_rest, message = page.update_hors_programme(seuil, None)
    assert words in text(message)
    assert len(rows) == len(expected[0])  # no filter used


def test_exports(page, expected):
    export, params = page.export_csv(1, 10000, "38")
    assert export is True
    assert params["fileName"].startswith("poles-hors-programme-10000-habitants_isere-38_")
    assert params["columnSeparator"] == ";"
    from openpyxl import load_workbook

    sent = page.export_xlsx(1, [{"code_insee": "69259"}, {"code_insee": "00000"}], 0, None)
    wb = load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]][:3] == ["Commune", "Code INSEE", "Niveau de centralité"]
    assert [ws["A2"].value, ws["B2"].value, ws["C2"].value] == ["Vénissieux", "69259",
                                                                "Centre structurant"]
    assert ws["I2"].value == "Soumise, non déficitaire" and ws["A3"].value is None
    assert sent["filename"].startswith("poles-hors-programme_auvergne-rhone-alpes_")
