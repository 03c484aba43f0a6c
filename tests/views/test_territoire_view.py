"""The territory profile's view as plain functions: URL checks, assembly, memoisation."""

from __future__ import annotations

from dashboard.data import store
from dashboard.views import territoire as tv
from dashboard.views.chart import Chart

ANNONAY = "200072015"
BOURG = "200071751"
NBSP = "\u00a0"


def test_a_known_epci_gives_its_charts_and_figures():
    view = tv.check_view(ANNONAY, "07010", BOURG)
    assert view == tv.View(ANNONAY, "07010", (BOURG,), None, ())
    charts = tv.profile_charts(view.epci, view.commune, view.compare)
    assert all(isinstance(c, Chart) for c in charts)
    assert [c.key for c in charts] == ["parts", "carte", "calendrier", "bailleurs",
                                       "comparaison"]
    assert tv.cached_profile(ANNONAY)["nom"] == "CA Annonay Rhône Agglo"
    assert tv.cached_profile(ANNONAY)["epci"]["nb_communes"] == 29
    parts = charts[0]
    assert parts.graph_id == "territoire-graph-parts"
    assert f"15,4{NBSP}%" in parts.summary and f"16,4{NBSP}% dans la région" in parts.summary
    assert parts.figure["layout"]["meta"]["territory"] == "CA Annonay Rhône Agglo"
    config = parts.config("CA Annonay Rhône Agglo")
    assert config["toImageButtonOptions"]["filename"].startswith(
        "taux-logements-sociaux_ca-annonay-rhone-agglo_")


def test_a_commune_alone_opens_its_epci():
    assert tv.check_view(commune="07010") == tv.View(ANNONAY, "07010", (), None, ())


def test_an_unknown_code_is_a_french_sentence():
    view = tv.check_view("123456789")
    assert view.epci is None
    assert view.problems == ("Aucune intercommunalité de la région ne porte le code "
                             "123456789.",)
    bad = tv.check_view(ANNONAY, compare="12")
    assert bad.epci == ANNONAY and bad.compare == ()
    assert "n'est pas un code d'intercommunalité valide" in bad.problems[0]


def test_a_commune_of_another_epci_is_explained_and_dropped():
    view = tv.check_view(BOURG, "07010")
    assert view.epci == BOURG and view.commune is None
    assert "n'appartient pas à" in view.problems[0]


def test_target_view_keeps_three_others_and_drops_a_foreign_commune():
    target = tv.target_view(ANNONAY, "01053", [BOURG, ANNONAY, BOURG])
    assert target == tv.View(ANNONAY, None, (BOURG,), None, ())
    assert tv.target_view("nope", None, []) is None


def test_charts_are_memoised_and_forgotten_by_store_reset():
    first = tv.shares_chart(ANNONAY)
    assert tv.shares_chart(ANNONAY) is first
    assert tv.cached_profile(ANNONAY) is tv.cached_profile(ANNONAY)
    store.reset()
    again = tv.shares_chart(ANNONAY)
    assert again is not first
    assert again.figure == first.figure
