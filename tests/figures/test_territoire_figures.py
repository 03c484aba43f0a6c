"""Figures of the territory profile: titles, sources, reference lines, order, marks."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.data import bailleurs, profile
from dashboard.figures import territoire as t
from dashboard.figures.common import SOURCE_PROGRAMMES, SOURCE_RPLS

NBSP = "\u00a0"
CAVEAT = "indication tirée des données publiques, pas l'inventaire SRU officiel"


def flat(text: str) -> str:
    """Annotation text on one line (notes are broken with <br>)."""
    return text.replace("<br>", " ")


def annotation(fig: go.Figure, name: str):
    found = [a for a in fig.layout.annotations if a.name == name]
    assert found, f"no annotation named {name!r}"
    return found[0]


def assert_finished(fig: go.Figure, title: str, territory: str, source_part: str) -> None:
    """Title, territory and source line are in the layout (so in a PNG export)."""
    assert title in fig.layout.title.text
    assert fig.layout.title.subtitle.text.startswith(territory)
    assert source_part in flat(annotation(fig, "source").text)
    assert fig.layout.separators == ", "


def shares_table(n: int = 4, zeros: int = 0) -> pd.DataFrame:
    """`commune_shares`-like rows: shares 30, 20, 10, 5… then `zeros` communes at 0 %."""
    rates = [30.0, 22.0, 10.0, 5.0, *[4.0 - i * 0.1 for i in range(max(0, n - 4))]][:n]
    rates += [0.0] * zeros
    codes = [f"07{i:03d}" for i in range(len(rates))]
    return pd.DataFrame({
        "code_insee": codes,
        "nom": [f"Commune {i}" for i in range(len(rates))],
        "libelle": [f"Commune {i}" for i in range(len(rates))],
        "population": [10000 - i for i in range(len(rates))],
        "logements_sociaux": [int(r * 10) for r in rates],
        "residences_principales": [1000.0] * len(rates),
        "estimee": [False] * len(rates),
        "taux_logements_sociaux": rates,
        "sru_seuil_applicable": [i in (0, 2) for i in range(len(rates))],
        "programme": [i == 0 for i in range(len(rates))],
    })


REFS = [t.Reference("Ensemble de l'EPCI", 15.4), t.Reference("Département : Ardèche", 9.2),
        t.Reference("Région Auvergne-Rhône-Alpes", 16.4)]


# --- formatting of differences ---------------------------------------------------------------

@pytest.mark.parametrize(("diff", "expected"), [
    (1.23, f"+1,2{NBSP}pt"), (-3.36, f"\u22123,4{NBSP}pts"), (0.01, f"0,0{NBSP}pt"),
    (-0.04, f"0,0{NBSP}pt"), (1.96, f"+2,0{NBSP}pts"), (math.nan, "n.d."), (None, "n.d."),
])
def test_fmt_points(diff, expected):
    assert t.fmt_points(diff) == expected


# --- shares of social housing per commune ----------------------------------------------------

def test_shares_figure_title_source_sru_lines_and_order():
    fig = t.shares_figure(shares_table(), "CA Test", REFS)
    assert_finished(fig, "Part de logements sociaux par commune", "CA Test", SOURCE_RPLS)
    lines = {s.name: s for s in fig.layout.shapes}
    assert lines["sru-20"].x0 == 20 and lines["sru-20"].x1 == 20
    assert lines["sru-25"].x0 == 25
    labels = [flat(a.text) for a in fig.layout.annotations if a.name in ("sru-20", "sru-25")]
    assert labels == [f"SRU 20{NBSP}%", f"SRU 25{NBSP}%"]
    # References on top, then communes from the highest share down.
    assert list(fig.layout.yaxis.categoryarray) == [
        "Ensemble de l'EPCI", "Département : Ardèche", "Région Auvergne-Rhône-Alpes",
        "Commune 0", "Commune 1", "Commune 2", "Commune 3"]
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.xaxis.ticksuffix == " %"


def test_shares_figure_marks_sru_communes_with_caveat():
    fig = t.shares_figure(shares_table(), "CA Test", REFS)
    sru = [tr for tr in fig.data if tr.name == t.SRU_LABEL]
    assert len(sru) == 1 and sru[0].showlegend is not False
    assert list(sru[0].y) == ["Commune 0", "Commune 2"]
    assert sru[0].marker.pattern.shape == "/"
    plain = [tr for tr in fig.data if tr.name == "Commune"][0]
    assert sru[0].marker.color != plain.marker.color
    assert list(plain.y) == ["Commune 1", "Commune 3"]
    assert CAVEAT in flat(annotation(fig, "note").text)
    assert f"30,0{NBSP}%" in plain.text or f"30,0{NBSP}%" in sru[0].text


def test_shares_figure_highlights_the_selected_commune():
    fig = t.shares_figure(shares_table(), "CA Test", REFS, selected="07001")
    chosen = [tr for tr in fig.data if tr.name == "Sélection : Commune 1"]
    assert len(chosen) == 1
    assert list(chosen[0].y) == ["Commune 1"] and list(chosen[0].x) == [22.0]
    assert chosen[0].marker.line.color == t.SELECTED_LINE
    assert chosen[0].marker.line.width == 3
    ticktext = list(fig.layout.yaxis.ticktext)
    assert ticktext[list(fig.layout.yaxis.tickvals).index("Commune 1")] == "<b>▶ Commune 1</b>"
    assert not [tr for tr in t.shares_figure(shares_table(), "CA Test", REFS).data
                if tr.name.startswith("Sélection")]


def test_big_epci_shows_communes_with_social_housing_and_says_how_many_not():
    table = shares_table(n=24, zeros=10)  # 34 communes > MAX_ALL_BARS
    fig = t.shares_figure(table, "CA Grande", REFS, selected="07030")  # a 0 % commune
    drawn = [y for tr in fig.data if tr.type == "bar" and tr.name != "Référence"
             and not tr.name.startswith("Sélection") for y in tr.y]
    assert len(drawn) == 24 + 1  # the selected commune stays, though at 0 %
    assert "Commune 30" in drawn
    assert "9 communes sans logement social non représentées" in flat(
        annotation(fig, "note").text)
    small = t.shares_figure(shares_table(n=4), "CA Petite", REFS)
    assert fig.layout.height > small.layout.height  # height grows with the bars


def test_shares_summary_states_the_numbers():
    text = t.shares_summary(shares_table(), "CA Test", 15.36, "Ardèche", 9.22, 16.39)
    assert text.startswith(f"À CA Test, 15,4{NBSP}% des résidences principales sont des "
                           "logements sociaux")
    assert f"contre 9,2{NBSP}% dans le département (Ardèche) et 16,4{NBSP}% dans la région" \
        in text
    assert (f"2 communes sur 4 atteignent 20{NBSP}% ou plus (la plus élevée : Commune 0, "
            f"30,0{NBSP}%).") in text
    none = t.shares_summary(shares_table().assign(taux_logements_sociaux=5.0), "CA Basse",
                            5.0, "Ain", 9.0, 16.4)
    assert f"aucune des 4 communes n'atteint 20{NBSP}%" in none


# --- map ------------------------------------------------------------------------------------

def square(code: str, x: float) -> dict:
    ring = [[x, 45], [x + 0.1, 45], [x + 0.1, 45.1], [x, 45.1], [x, 45]]
    return {"type": "Feature", "id": code, "properties": {"code": code, "nom": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_map_uses_geojson_choropleth_without_tiles_or_cdn():
    table = shares_table()
    layer = {"type": "FeatureCollection",
             "features": [square(c, i * 0.2) for i, c in enumerate(table["code_insee"])]}
    labels = profile.label_points(layer, ["07000"])
    fig = t.map_figure(table, layer, "CA Test", selected="07002", labels=labels)
    assert_finished(fig, "Carte", "CA Test", SOURCE_RPLS)
    assert {tr.type for tr in fig.data} == {"scattergeo", "choropleth"}
    # plotly.js fetches a world map from its CDN when the first geo trace has a
    # locationmode: the first trace must be a lon/lat one.
    assert fig.data[0].type == "scattergeo" and fig.data[0].locations is None
    assert list(fig.data[0].text) == ["Commune 0"]
    shares = fig.data[1]
    assert shares.featureidkey == "id" and list(shares.locations) == table["code_insee"].tolist()
    assert list(shares.z) == table["taux_logements_sociaux"].tolist()
    assert shares.customdata[0][1] == f"30,0{NBSP}%"
    outline = fig.data[2]
    assert list(outline.locations) == ["07002"] and outline.marker.line.width == 4
    assert [f["id"] for f in outline.geojson["features"]] == ["07002"]  # its outline only
    assert fig.layout.geo.fitbounds == "locations" and fig.layout.geo.visible is False
    assert "Commune 2 (commune sélectionnée)" in flat(annotation(fig, "note").text)


def test_map_without_labels_still_starts_with_a_lon_lat_trace():
    table = shares_table(n=1)
    layer = {"type": "FeatureCollection", "features": [square("07000", 4.5)]}
    fig = t.map_figure(table, layer, "CA Test")
    assert fig.data[0].type == "scattergeo" and fig.data[0].lon[0] == 4.5
    assert fig.data[0].marker.opacity == 0


# --- programme calendar ---------------------------------------------------------------------

def events() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["2014-01-01", "2018-09-26", "2019-04-24"]),
        "annee_seule": [True, False, False],
        "code_insee": ["07001", "07010", "07010"],
        "commune": ["Tournon", "Annonay", "Annonay"],
        "programme": ["AMI centres-bourgs", "ACV", "ORT"],
        "evenement": [profile.EVENT_AMI, profile.EVENT_ACV, profile.EVENT_ORT],
    })


def test_timeline_figure_marks_each_milestone_and_says_pvd_has_no_date():
    fig = t.timeline_figure(events(), "CA Test", pvd_communes=2, today=dt.date(2026, 11, 25))
    assert_finished(fig, "Calendrier des programmes depuis 2014", "CA Test", "ANCT")
    names = [tr.name for tr in fig.data]
    assert names == [profile.EVENT_AMI, profile.EVENT_ACV, profile.EVENT_ORT]
    assert list(fig.data[0].text) == ["2014"]  # the AMI source gives the year only
    assert list(fig.data[1].text) == ["26/09/2018"]
    # Annonay's two dates are on either side of the line, not on top of each other.
    assert fig.data[1].textposition != fig.data[2].textposition
    note = flat(annotation(fig, "note").text)
    assert "Petites villes de demain" in note and "pas de date" in note
    assert "(2 communes)" in note
    assert fig.layout.xaxis.range[0] <= "2014-01-01"


def test_timeline_without_milestone_says_so():
    fig = t.timeline_figure(events().iloc[0:0], "CA Vide")
    assert "Aucune étape datée" in flat(annotation(fig, "message").text)
    assert SOURCE_PROGRAMMES.split(" (")[0] in flat(annotation(fig, "source").text)
    text = t.timeline_summary(events().iloc[0:0], "CA Vide", pvd_communes=1)
    assert text == ("Aucune étape datée depuis 2014 à CA Vide ; 1 commune est en Petites "
                    "villes de demain, adhésion sans date dans les sources.")


def test_timeline_summary_lists_dates():
    text = t.timeline_summary(events(), "CA Test")
    assert "Annonay (26/09/2018)" in text and "Annonay (24/04/2019)" in text
    assert "Tournon (2014)" in text


# --- landlords ------------------------------------------------------------------------------

def grid() -> pd.DataFrame:
    return pd.DataFrame({
        "bailleur_siren": ["000000101"] * 2 + ["000000102"] * 2,
        "bailleur_nom": ["Bailleur A"] * 2 + ["Bailleur B"] * 2,
        "bailleur_type": ["OPH"] * 2 + ["ESH"] * 2,
        "code_insee": ["07010", "07001"] * 2,
        "commune_nom": ["Annonay", "Tournon"] * 2,
        "niveau": pd.array([4, pd.NA, 0, 2], dtype="Int64"),
        "niveau_libelle": ["opération livrée", "<NA>", "non sollicité",
                           "partenaire de la convention"],
    })


def test_engagement_heatmap_uses_the_ordinal_scale_and_demo_label():
    fig = t.engagement_figure(grid(), "CA Test", demo=True)
    assert_finished(fig, "Engagement des bailleurs sociaux", "CA Test", "démonstration")
    assert annotation(fig, "demo").text == "<b>DONNÉES DE DÉMONSTRATION</b>"
    heat = fig.data[0]
    assert heat.type == "heatmap"
    assert [list(row) for row in heat.z] == [[4, None], [0, 2]]
    assert list(heat.colorbar.ticktext) == list(bailleurs.ENGAGEMENT_LEVELS)
    assert list(heat.colorbar.tickvals) == [0, 1, 2, 3, 4]
    assert heat.customdata[0][1] == "aucune ligne"
    # Five bands of colour, lightest for "non sollicité".
    assert heat.colorscale[0][1] == t.ENGAGEMENT_COLORS[0]
    assert heat.colorscale[-1][1] == t.ENGAGEMENT_COLORS[-1]
    real = t.engagement_figure(grid(), "CA Test", demo=False)
    assert not [a for a in real.layout.annotations if a.name == "demo"]


def test_engagement_without_landlord_says_so():
    empty = grid().iloc[0:0]
    fig = t.engagement_figure(empty, "CA Test", demo=True)
    assert "Aucun bailleur" in flat(annotation(fig, "message").text)
    assert fig.layout.meta["demo"] is True
    summary = {"communes_programme": 5, "communes_engagees": 2, "taux_engagement": 40.0,
               "bailleurs": 3, "bailleurs_engages": 2, "donnees_demonstration": True}
    assert t.engagement_summary(summary, "CA Test") == (
        "Données de démonstration : à CA Test, 2 bailleur(s) engagé(s) sur 3 présent(s) ; "
        f"2 des 5 communes de programme ont au moins un bailleur engagé (40,0{NBSP}%).")


# --- comparison -----------------------------------------------------------------------------

def test_comparison_grouped_bars_with_region_reference():
    table = pd.DataFrame({
        "code": ["200072015", "200071751", "84"], "nom": ["CA A", "CA B", "Région X"],
        "region": [False, False, True], "taux_logements_sociaux": [15.4, 19.6, 16.4],
        "part_population_programme": [34.0, 38.1, 23.9], "communes_programme": [1, 5, 292],
        "nb_communes": [29, 74, 4025], "taux_engagement": [0.0, 40.0, math.nan],
    })
    fig = t.comparison_figure(table, "CA A – CA B", demo=True)
    assert_finished(fig, "Comparaison des intercommunalités", "CA A – CA B", "RPLS")
    assert [tr.name for tr in fig.data] == ["CA A", "CA B", "Région X (région)"]
    assert fig.layout.barmode == "group"
    assert fig.data[2].marker.color == t.REFERENCE_COLOR
    assert list(fig.data[2].y)[2] is None and fig.data[2].text[2] == "n.d."
    assert annotation(fig, "demo")
    text = t.comparison_summary(table)
    assert text.startswith(f"Part de logements sociaux : CA A 15,4{NBSP}%, CA B 19,6{NBSP}%, "
                           f"contre 16,4{NBSP}% dans la région")


# --- the charts of a profile (app's table) --------------------------------------------------

def test_profile_figures_of_annonay():
    figures = t.profile_figures("200072015")
    assert [slug for slug, _ in figures] == [
        "taux-logements-sociaux", "carte-taux-logements-sociaux", "calendrier-programmes",
        "engagement-bailleurs"]
    for _, fig in figures:
        assert isinstance(fig, go.Figure)
        assert fig.layout.title.subtitle.text.startswith("CA Annonay Rhône Agglo")
        assert annotation(fig, "source").text
    charts = {c.key: c for c in t.profile_charts("200072015")}
    assert f"15,5{NBSP}%" in charts["parts"].summary
    assert f"16,4{NBSP}% dans la région" in charts["parts"].summary
    assert charts["bailleurs"].figure["layout"]["meta"]["demo"] is True
    assert {c.graph_id for c in charts.values()} == {
        "territoire-graph-parts", "territoire-graph-carte", "territoire-graph-calendrier",
        "territoire-graph-bailleurs"}


def test_profile_figures_are_copies_and_comparison_comes_with_compare():
    # Identity checks below need one consistent cache state: a test elsewhere may have
    # cleared the data layer's caches but not the figures' (one reset() is issue 8).
    profile.clear()
    t.clear()
    figures = dict(t.profile_figures("200072015", "07010", ("200071751",)))
    assert "comparaison-intercommunalites" in figures
    figures["taux-logements-sociaux"].update_layout(title_text="changé")
    again = dict(t.profile_figures("200072015", "07010", ("200071751",)))
    assert "changé" not in again["taux-logements-sociaux"].layout.title.text
    assert t.shares_chart("200072015", "07010") is t.shares_chart("200072015", "07010")
    # The maps of one EPCI share one copy of its outlines.
    maps = [t.map_chart("200072015"), t.map_chart("200072015", "07010")]
    shared = [tr["geojson"] for m in maps for tr in m.figure["data"]
              if tr["type"] == "choropleth" and len(tr["locations"]) > 1]
    assert len(shared) == 2 and shared[0] is shared[1]
    assert shared[0] is profile.cached_geometry("200072015")


def test_chart_config_names_the_png_after_indicator_territory_and_day():
    chart = t.shares_chart("200072015")
    config = t.chart_config(chart, "CA Annonay Rhône Agglo", dt.date(2026, 11, 25))
    options = config["toImageButtonOptions"]
    assert options["filename"] == "taux-logements-sociaux_ca-annonay-rhone-agglo_2026-11-25"
    assert config["locale"] == "fr"
    # A tall chart exports at its own height instead of being squeezed into 16:9.
    assert options["height"] == chart.figure["layout"]["height"] > 540
    small = t.chart_config(t.map_chart("200072015"), "CA Annonay Rhône Agglo")
    assert small["toImageButtonOptions"]["height"] == 540
