"""The territory profile's view as plain functions: URL checks, assembly, memoisation."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from dashboard.data import store
from dashboard.formatting import fmt_pct
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
    assert [c.key for c in charts] == ["commune", "parts", "carte", "calendrier", "bailleurs",
                                       "comparaison"]  # "Ma commune" first
    assert tv.cached_profile(ANNONAY)["nom"] == "CA Annonay Rhône Agglo"
    assert tv.cached_profile(ANNONAY)["epci"]["nb_communes"] == 29
    parts = charts[1]
    assert parts.graph_id == "territoire-graph-parts"
    assert f"15,5{NBSP}%" in parts.summary and f"16,4{NBSP}% dans la région" in parts.summary
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
    assert "ne fait pas partie de la CA du Bassin de Bourg-en-Bresse" in view.problems[0]


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


# --- the app's table -----------------------------------------------------------------------

def test_annonay_against_ardeche_and_region():
    p = tv.cached_profile("200072015")
    assert p["nom"] == "CA Annonay Rhône Agglo"
    assert p["departement"] == "07" and p["a_cheval"] is False
    assert fmt_pct(p["epci"]["taux_logements_sociaux"]) == f"15,5{NBSP}%"
    assert fmt_pct(p["region_totals"]["taux_logements_sociaux"]) == f"16,4{NBSP}%"
    assert p["epci"]["nb_communes"] == 29
    assert p["communes_estimees"] == 0  # census households measure every commune
    assert len(tv.cached_geometry("200072015")["features"]) == 29


def test_straddling_epci_of_the_app_table():
    # CA Arche Agglo: 41 communes in the Ardèche and the Drôme, most people in the Drôme.
    p = tv.cached_profile("200073096")
    assert p["a_cheval"] is True
    assert p["departement"] == "26"
    assert {d["departement"] for d in p["departements"]} == {"07", "26"}


def test_bourg_en_bresse_programmes_and_engagement():
    p = tv.cached_profile("200071751")
    assert fmt_pct(p["epci"]["taux_logements_sociaux"]) == f"19,6{NBSP}%"
    table = tv.cached_programme_communes("200071751")
    assert table["nom"].iloc[0] == "Bourg-en-Bresse"
    eng = tv.cached_engagement("200071751")
    assert eng["donnees_demonstration"] is True
    assert eng["bailleurs_engages"] <= eng["bailleurs_engages_departement"]
    assert eng["bailleurs_engages_departement"] <= eng["bailleurs_engages_region"]


# --- the charts of a profile (app's table) --------------------------------------------------

def test_profile_figures_of_annonay():
    figures = tv.profile_figures("200072015")
    assert [slug for slug, _ in figures] == [
        "taux-logements-sociaux", "carte-taux-logements-sociaux", "calendrier-programmes",
        "engagement-bailleurs"]
    for _, fig in figures:
        assert isinstance(fig, go.Figure)
        assert fig.layout.title.subtitle.text.startswith("CA Annonay Rhône Agglo")
        assert [a for a in fig.layout.annotations if a.name == "source"][0].text
    charts = {c.key: c for c in tv.profile_charts("200072015")}
    assert f"15,5{NBSP}%" in charts["parts"].summary
    assert f"16,4{NBSP}% dans la région" in charts["parts"].summary
    assert charts["bailleurs"].figure["layout"]["meta"]["demo"] is True
    assert {c.graph_id for c in charts.values()} == {
        "territoire-graph-parts", "territoire-graph-carte", "territoire-graph-calendrier",
        "territoire-graph-bailleurs"}


def test_profile_figures_are_copies_and_comparison_comes_with_compare():
    store.reset()
    figures = dict(tv.profile_figures("200072015", "07010", ("200071751",)))
    assert "comparaison-intercommunalites" in figures
    figures["taux-logements-sociaux"].update_layout(title_text="changé")
    again = dict(tv.profile_figures("200072015", "07010", ("200071751",)))
    assert "changé" not in again["taux-logements-sociaux"].layout.title.text
    assert tv.shares_chart("200072015", "07010") is tv.shares_chart("200072015", "07010")
    # The maps of one EPCI share one copy of its outlines.
    maps = [tv.map_chart("200072015"), tv.map_chart("200072015", "07010")]
    shared = [tr["geojson"] for m in maps for tr in m.figure["data"]
              if tr["type"] == "choropleth" and len(tr["locations"]) > 1]
    assert len(shared) == 2 and shared[0] is shared[1]
    assert shared[0] is tv.cached_geometry("200072015")


def test_chart_config_names_the_png_after_indicator_territory_and_day():
    chart = tv.shares_chart("200072015")
    config = chart.config("CA Annonay Rhône Agglo", dt.date(2026, 11, 25))
    options = config["toImageButtonOptions"]
    assert options["filename"] == "taux-logements-sociaux_ca-annonay-rhone-agglo_2026-11-25"
    assert config["locale"] == "fr"
    # A tall chart exports at its own height instead of being squeezed into 16:9.
    assert options["height"] == chart.figure["layout"]["height"] > 540
    small = tv.map_chart("200072015").config("CA Annonay Rhône Agglo")
    assert small["toImageButtonOptions"]["height"] == 540
