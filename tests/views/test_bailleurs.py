"""The "Bailleurs" view: checked codes -> KPIs, charts and sentences, without the app."""

from __future__ import annotations

import pytest

from dashboard import registry
from dashboard.data import bailleurs, store
from dashboard.data.schema import TableError
from dashboard.formatting import fmt_int, fmt_pct
from dashboard.views import bailleurs as v
from dashboard.views.chart import Chart

ANNONAY = "200072015"
ARDECHE = "07"


@pytest.fixture
def fresh():
    store.reset()
    yield
    store.reset()


def test_check_view_drops_what_it_cannot_use():
    assert v.check_view(ANNONAY, ARDECHE) == (ANNONAY, ARDECHE, [])
    checked = v.check_view(ANNONAY, "01")  # Annonay has no commune in Ain
    assert (checked.epci, checked.departement) == (ANNONAY, None)
    assert checked.errors == ["L'intercommunalité CA Annonay Rhône Agglo n'a aucune commune "
                              "dans le département 01 : le filtre départemental est ignoré."]
    assert v.check_view(["abc"], None).epci is None


def test_picked_view():
    assert v.picked_view("epci", ARDECHE, ANNONAY) == (ANNONAY, ARDECHE)
    assert v.picked_view("epci", "01", ANNONAY) == (ANNONAY, None)
    assert v.picked_view("departement", "01", ANNONAY) == (None, "01")
    assert v.picked_view("departement", None, ANNONAY) == (ANNONAY, None)
    assert v.picked_view("epci", None, "abc") is None
    assert v.picked_view("autre", ARDECHE, ANNONAY) is None


def test_region_view(fresh):
    view = v.landlord_view(None, None)
    assert view.error is None and view.demo is True
    assert view.scope.territory == "Auvergne-Rhône-Alpes"
    assert set(view.charts) == {v.RATE, v.MATRIX, v.TYPES}
    for key, chart in view.charts.items():
        assert isinstance(chart, Chart) and chart.key == key
        assert chart.graph_id == v.GRAPH_IDS[key]
        assert chart.figure["layout"]["meta"]["demo"] is True
        assert chart.summary
    labels = [k.label for k in view.kpis]
    assert labels == ["Communes de programme", "Communes avec au moins un bailleur engagé",
                      "Bailleurs engagés"]
    assert view.kpis[0].note == registry.enumeration()
    assert view.kpis[1].comparisons == ()  # the region has nothing to compare with
    rate = view.charts[v.RATE]  # tall (one bar per EPCI): exported at its own height
    assert rate.figure["layout"]["height"] > 540
    assert rate.config(view.territories[v.RATE])["toImageButtonOptions"]["height"] == \
        rate.figure["layout"]["height"]
    frame = store.engagements_table()
    summary = bailleurs.scope_summary(frame, store.communes())
    assert view.kpis[2].value == str(summary["bailleurs_engages"])
    # The rate is shown with its denominator, the landlords with the file's words.
    engaged = view.kpis[1]
    assert engaged.value == (f"{fmt_int(summary['communes_engagees'])}/"
                             f"{fmt_int(summary['communes_programme'])}")
    assert engaged.unit == (f"communes de programme, soit "
                            f"{fmt_pct(summary['taux_engagement'])}")
    assert view.kpis[2].note == (f"Sur {fmt_int(summary['bailleurs'])} bailleurs renseignés "
                                 "dans le fichier pour ces communes.")
    notes = " ".join(k.note for k in view.kpis)
    assert "(s)" not in notes + " ".join(c.summary for c in view.charts.values())


def test_epci_view_compares_with_department_then_region(fresh):
    view = v.landlord_view(ANNONAY, ARDECHE)
    assert view.scope.territory == "CA Annonay Rhône Agglo"
    assert [c[0] for c in view.kpis[1].comparisons] == ["Ardèche", "Région"]
    frame, communes = store.engagements_table(), store.communes()
    region = bailleurs.scope_summary(frame, communes)
    assert view.kpis[1].comparisons[1][1] == (
        f"{fmt_pct(region['taux_engagement'])} ({fmt_int(region['communes_engagees'])}/"
        f"{fmt_int(region['communes_programme'])})")
    # Sentences name the territory with its article.
    assert view.scope.where == "de la CA Annonay Rhône Agglo"
    assert v.landlord_view(None, ARDECHE).scope.where == "de l'Ardèche"
    assert v.landlord_view(None, "69").scope.where == "du Rhône"
    assert v.in_territory_of(view.scope) == "dans la CA Annonay Rhône Agglo"
    # The rate chart covers the department: its PNG is named after it.
    assert view.territories[v.RATE] == "Ardèche (07)"
    assert view.territories[v.MATRIX] == "CA Annonay Rhône Agglo"
    assert view.charts[v.RATE].config(view.territories[v.RATE])["toImageButtonOptions"][
        "filename"].startswith("taux-d-engagement-des-bailleurs_ardeche")


def test_view_is_memoised_and_reset_forgets_it(fresh):
    first = v.landlord_view(None, ARDECHE)
    assert v.landlord_view(None, ARDECHE) is first
    store.reset()
    assert v.landlord_view(None, ARDECHE) is not first


def test_invalid_file_gives_the_store_sentence(fresh, monkeypatch, tmp_path):
    def broken():
        raise TableError(tmp_path / "engagements_bailleurs.csv", ["ligne 3 : valeur inconnue"])

    monkeypatch.setattr(store, "engagements_table", broken)
    view = v.landlord_view(None, None)
    assert view.error == store.ENGAGEMENTS_UNREADABLE.format(
        reason="ligne 3 : valeur inconnue")
    assert view.charts == {} and view.kpis == ()


@pytest.mark.parametrize(("summary", "expected"), [
    ({"taux_engagement": 100.0, "communes_engagees": 1, "communes_programme": 1},
     "100,0\u00a0% (1/1)"),
    ({"taux_engagement": 100 / 3, "communes_engagees": 3, "communes_programme": 9},
     "33,3\u00a0% (3/9)"),
    ({"taux_engagement": 0.0, "communes_engagees": 0, "communes_programme": 1200},
     "0,0\u00a0% (0/1\u202f200)"),
])
def test_with_denominator(summary, expected):
    assert v.with_denominator(summary) == expected
