"""Page "Bailleurs": layout from URL values and the navigation callback, as plain functions."""

from __future__ import annotations

import pytest
from dash import no_update

from dashboard.data import bailleurs as data
from dashboard.data import store
from dashboard.data.schema import TableError
from dashboard.figures.common import DEMO_LABEL, SOURCE_BAILLEURS
from tests.layout_tools import by_id, components, serialized

ANNONAY = "200072015"
ARDECHE = "07"


@pytest.fixture(scope="module")
def page(dashboard_app):
    from dashboard.pages import bailleurs

    return bailleurs


@pytest.fixture
def fresh(page):
    store.reset()
    yield page
    store.reset()


def graphs(layout) -> dict:
    return {c.id: c for c in components(layout) if type(c).__name__ == "Graph"}


# --- navigation --------------------------------------------------------------------------

def test_href(page):
    assert page.href() == "/bailleurs"
    assert page.href(ANNONAY) == f"/bailleurs?epci={ANNONAY}"
    assert page.href(ANNONAY, ARDECHE) == f"/bailleurs?epci={ANNONAY}&departement={ARDECHE}"


def test_choosing_an_epci_navigates(page):
    epci_id, dep_id = page.IDS["epci"], page.IDS["departement"]
    assert page.target_href(epci_id, None, ANNONAY) == f"/bailleurs?epci={ANNONAY}"
    # Annonay is in Ardèche: the department filter is kept; not in Ain: dropped.
    assert page.target_href(epci_id, ARDECHE, ANNONAY) == (
        f"/bailleurs?epci={ANNONAY}&departement={ARDECHE}")
    assert page.target_href(epci_id, "01", ANNONAY) == f"/bailleurs?epci={ANNONAY}"
    assert page.target_href(dep_id, ARDECHE, None) == f"/bailleurs?departement={ARDECHE}"
    assert page.target_href(dep_id, ARDECHE, ANNONAY) == (
        f"/bailleurs?epci={ANNONAY}&departement={ARDECHE}")
    assert page.target_href(dep_id, "01", ANNONAY) == "/bailleurs?departement=01"
    # Clearing the department keeps the EPCI.
    assert page.target_href(dep_id, None, ANNONAY) == f"/bailleurs?epci={ANNONAY}"
    assert page.target_href(dep_id, None, None) == "/bailleurs"


def test_no_navigation_to_the_current_view(page):
    # Rebuilt dropdowns report their value again: that must not navigate (nor loop).
    epci_id, dep_id = page.IDS["epci"], page.IDS["departement"]
    assert page.target_href(epci_id, None, ANNONAY, f"?epci={ANNONAY}") is no_update
    assert page.target_href(dep_id, None, ANNONAY, f"?epci={ANNONAY}") is no_update
    assert page.target_href(dep_id, ARDECHE, None, f"?departement={ARDECHE}") is no_update
    assert page.target_href(epci_id, None, ANNONAY, "") == f"/bailleurs?epci={ANNONAY}"
    # An unknown code is shown as the regional view: empty dropdowns must not erase the
    # message by navigating.
    assert page.target_href(dep_id, None, None, "?epci=abc") is no_update
    assert page.target_href(epci_id, None, ANNONAY, "?epci=abc") == f"/bailleurs?epci={ANNONAY}"


def test_current_view(page):
    assert page.current_view("") == (None, None)
    assert page.current_view(f"?epci={ANNONAY}&departement={ARDECHE}") == (ANNONAY, ARDECHE)
    assert page.current_view(f"?epci={ANNONAY}&departement=01") == (ANNONAY, None)
    assert page.current_view("?epci=abc&departement=99") == (None, None)


def test_untrusted_picker_values_do_not_navigate(page):
    assert page.target_href(page.IDS["epci"], None, "abc") is no_update
    assert page.target_href(page.IDS["epci"], None, None) is no_update
    assert page.target_href(page.IDS["departement"], "<script>", None) is no_update
    assert page.target_href("autre", ARDECHE, ANNONAY) is no_update


# --- layout from the URL -----------------------------------------------------------------

def test_region_view_in_demo_mode(fresh):
    layout = fresh.layout()
    assert by_id(layout, "bandeau-demo") is not None
    assert by_id(layout, "bailleurs-erreur") is None
    charts = graphs(layout)
    assert set(charts) == {"bailleurs-taux", "bailleurs-matrice", "bailleurs-types"}
    for graph in charts.values():
        fig = graph.figure
        assert fig["layout"]["meta"]["demo"] is True
        assert any(DEMO_LABEL in a["text"] for a in fig["layout"]["annotations"])
        assert graph.config["locale"] == "fr"
        assert graph.config["toImageButtonOptions"]["filename"]
    rate = charts["bailleurs-taux"].figure
    assert rate["layout"]["meta"]["territory"] == "Auvergne-Rhône-Alpes"
    assert len(rate["data"][0]["y"]) == len(data.epci_rates(store.engagements_table(),
                                                            store.communes()))
    # A tall chart is exported at its own height.
    assert charts["bailleurs-taux"].config["toImageButtonOptions"]["height"] == \
        rate["layout"]["height"]
    # Each chart has its text summary under it.
    assert "va de" in by_id(layout, "bailleurs-taux-resume").children


def test_ids_are_unique(fresh):
    for query in ({}, {"epci": ANNONAY, "departement": ARDECHE}, {"epci": "abc"}):
        ids = [c.id for c in components(fresh.layout(**query)) if getattr(c, "id", None)]
        assert len(ids) == len(set(ids)), query


def test_epci_view_shows_its_matrix(fresh):
    layout = fresh.layout(epci=ANNONAY)
    assert by_id(layout, "bailleurs-erreur") is None
    matrix = graphs(layout)["bailleurs-matrice"].figure
    assert matrix["layout"]["meta"]["territory"] == "CA Annonay Rhône Agglo"
    assert by_id(layout, "bailleurs-territoire").children == "CA Annonay Rhône Agglo"
    summary = by_id(layout, "bailleurs-matrice-resume").children
    assert "CA Annonay Rhône Agglo" in summary
    picker = by_id(layout, fresh.IDS["epci"])
    assert picker.value == ANNONAY
    # the rate chart highlights it
    rate = graphs(layout)["bailleurs-taux"].figure["data"][0]
    assert "#b45309" in rate["marker"]["color"]


def test_department_view(fresh):
    layout = fresh.layout(departement=ARDECHE)
    rate = graphs(layout)["bailleurs-taux"].figure
    assert rate["layout"]["meta"]["territory"] == "Ardèche (07)"
    names = {s["name"] for s in rate["layout"]["shapes"]}
    assert names == {"ref-Région", "ref-Ardèche"}
    assert by_id(layout, fresh.IDS["departement"]).value == ARDECHE


@pytest.mark.parametrize("query, expected", [
    ({"epci": "abc"}, "« abc » n'est pas un code d'intercommunalité valide"),
    ({"epci": "999999999"}, "Aucune intercommunalité de la région ne porte le code 999999999"),
    ({"departement": "99"}, "Le département 99 n'est pas dans la région."),
    ({"departement": "x<b>"}, "n'est pas un code de département valide"),
    ({"epci": ANNONAY, "departement": "01"}, "n'a aucune commune dans le département 01"),
])
def test_unknown_codes_give_a_french_message(fresh, query, expected):
    layout = fresh.layout(**query)
    alert = by_id(layout, "bailleurs-erreur")
    assert alert is not None
    assert expected in serialized(alert)
    assert "Revenir à la vue régionale des bailleurs" in serialized(alert)
    assert len(graphs(layout)) == 3  # the page stays usable


def test_real_file_has_no_demo_label(fresh, monkeypatch):
    real = store.engagements_table().assign(donnees_demonstration=False)
    monkeypatch.setattr(store, "engagements_table", lambda: real)
    layout = fresh.layout()
    assert by_id(layout, "bandeau-demo") is None
    for graph in graphs(layout).values():
        fig = graph.figure
        assert fig["layout"]["meta"]["demo"] is False
        assert fig["layout"]["meta"]["source"].startswith(SOURCE_BAILLEURS)
        assert not any(DEMO_LABEL in a["text"] for a in fig["layout"]["annotations"])


def test_invalid_real_file_gives_a_french_message(fresh, monkeypatch, tmp_path):
    def broken():
        raise TableError(tmp_path / "engagements_bailleurs.csv",
                         ["colonne « niveau_engagement », ligne 3 : valeur inconnue"])

    monkeypatch.setattr(store, "engagements_table", broken)
    layout = fresh.layout()
    alert = by_id(layout, "bailleurs-fichier-invalide")
    assert alert is not None and "niveau_engagement" in serialized(alert)
    assert store.ENGAGEMENTS_UNREADABLE.split("(")[0] in serialized(alert)  # the one sentence
    assert graphs(layout) == {}
