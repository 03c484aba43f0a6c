"""Figures of the territory profile: titles, sources, reference lines, order, marks."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import palette, registry
from dashboard.data import bailleurs, sources
from dashboard.data import territoire as profile
from dashboard.data import territoire_officiel as officiel
from dashboard.figures import territoire as t
from dashboard.figures import territoire_calendrier as calendrier
from dashboard.figures import territoire_carte as carte
from dashboard.figures import territoire_comparaison as comparaison
from dashboard.figures.common import SOURCE_RPLS

NBSP = "\u00a0"


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
        "sru_seuil_applicable": [False] * len(rates),  # the guess: never read any more
        "programme": [i == 0 for i in range(len(rates))],
        "sru_soumise": [i in (0, 2) for i in range(len(rates))],
        "sru_taux_cible": [25.0 if i == 0 else 20.0 if i == 2 else math.nan
                           for i in range(len(rates))],
        "ancienne_commune": [None] * len(rates),
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

def test_shares_figure_title_source_and_order():
    fig = t.shares_figure(shares_table(), "CA Test", REFS)
    assert_finished(fig, "Part de logements sociaux par commune", "CA Test",
                    "Ministère du Logement, inventaire SRU 2025")
    assert SOURCE_RPLS.removeprefix("Source : ").split(" ; ")[0] in flat(
        annotation(fig, "source").text)
    # no region-wide 20/25 % lines any more: each subject commune has its own target
    assert not [s for s in fig.layout.shapes if (s.name or "").startswith("sru-")]
    # References on top, then communes from the highest share down.
    assert list(fig.layout.yaxis.categoryarray) == [
        "Ensemble de l'EPCI", "Département : Ardèche", "Région Auvergne-Rhône-Alpes",
        "Commune 0", "Commune 1", "Commune 2", "Commune 3"]
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.xaxis.ticksuffix == " %"


def test_shares_figure_hatches_the_legally_subject_communes_with_their_own_target():
    fig = t.shares_figure(shares_table(), "CA Test", REFS)
    sru = [tr for tr in fig.data if tr.name == t.SRU_LABEL]
    assert len(sru) == 1 and sru[0].showlegend is not False
    assert list(sru[0].y) == ["Commune 0", "Commune 2"]
    assert sru[0].marker.pattern.shape == "/"
    plain = [tr for tr in fig.data if tr.name == "Commune"][0]
    assert sru[0].marker.color != plain.marker.color
    assert list(plain.y) == ["Commune 1", "Commune 3"]
    targets = [tr for tr in fig.data if tr.name == t.SRU_TARGET_LABEL]
    assert len(targets) == 1
    assert list(zip(targets[0].y, targets[0].x, strict=True)) == [("Commune 0", 25.0),
                                                                   ("Commune 2", 20.0)]
    note = flat(annotation(fig, "note").text)
    assert "commune soumise à l'article 55 de la loi SRU (inventaire officiel 2025)" in note
    assert "indication tirée" not in note and "potentiellement" not in note
    assert f"30,0{NBSP}%" in plain.text or f"30,0{NBSP}%" in sru[0].text


def test_shares_figure_without_subject_commune_says_sru_does_not_apply():
    table = shares_table().assign(sru_soumise=False, sru_taux_cible=math.nan)
    fig = t.shares_figure(table, "CC Rurale", REFS)
    assert not [tr for tr in fig.data if tr.name in (t.SRU_LABEL, t.SRU_TARGET_LABEL)]
    assert "Objectif SRU non applicable ici" in flat(annotation(fig, "note").text)


def test_shares_figure_names_split_communes_with_their_former_commune():
    table = shares_table(n=3)
    extra = pd.DataFrame({
        "code_insee": ["15141", "15031"], "nom": ["Neussargues-Moissac", "Celles"],
        "libelle": ["Neussargues-Moissac", "Celles"], "population": [824, 200],
        "logements_sociaux": [57, 0], "residences_principales": [822.0, 0.0],
        "estimee": [False, False], "taux_logements_sociaux": [100 * 57 / 822, math.nan],
        "sru_seuil_applicable": [False, False], "programme": [True, False],
        "sru_soumise": [False, False], "sru_taux_cible": [math.nan, math.nan],
        "ancienne_commune": ["15141", "15141"]})
    fig = t.shares_figure(pd.concat([table, extra], ignore_index=True), "CC Test", REFS)
    note = flat(annotation(fig, "note").text).replace("- ", "-")  # wrapped at a hyphen
    assert ("Celles, Neussargues-Moissac : données disponibles pour l'ancienne commune "
            "15141 seulement (barre « Neussargues-Moissac »).") in note
    assert "sans résidence principale connue" not in note  # Celles is explained above


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
    assert text == (f"Dans la CA Test, 15,4{NBSP}% des résidences principales sont des "
                    f"logements sociaux, contre 9,2{NBSP}% en Ardèche et 16,4{NBSP}% dans la "
                    f"région ; 2 des 4 communes atteignent 20{NBSP}% ou plus (la plus élevée : "
                    f"Commune 0, 30,0{NBSP}%).")
    none = t.shares_summary(shares_table().assign(taux_logements_sociaux=5.0), "CA Basse",
                            5.0, "Rhône", 9.0, 16.4)
    assert none.startswith("Dans la CA Basse,")
    assert f"dans le Rhône et 16,4{NBSP}% dans la région ; aucune des 4 communes " \
        f"n'atteint 20{NBSP}%." in none


@pytest.mark.parametrize(("table", "reach", "without"), [
    # one, plural, zero, one of one; communes without social housing agree too
    (shares_table().assign(taux_logements_sociaux=[30.0, 10.0, 10.0, 5.0]),
     "1 des 4 communes atteint", ""),
    (shares_table(n=2, zeros=1), "2 des 3 communes atteignent", ", 1 des 3 communes est sans "
                                                              "logement social"),
    (shares_table(n=2, zeros=2), "2 des 4 communes atteignent", ", 2 des 4 communes sont sans "
                                                              "logement social"),
    (shares_table(n=1), "la seule commune atteint", ""),
])
def test_shares_summary_agrees_with_its_counts(table, reach, without):
    text = t.shares_summary(table, "Saint-Étienne Métropole", 15.0, "Loire", 9.0, 16.4)
    assert text.startswith(f"Dans Saint-Étienne Métropole, 15,0{NBSP}% des résidences "
                           f"principales sont des logements sociaux, contre 9,0{NBSP}% dans la "
                           "Loire")
    assert f"; {reach} 20{NBSP}% ou plus (la plus élevée : Commune 0, 30,0{NBSP}%)" \
        f"{without}." in text


@pytest.mark.parametrize(("table", "expected"), [
    (shares_table(), f"Sur la carte des 4 communes de la CA Test, la part va de 5,0{NBSP}% "
                     f"(Commune 3) à 30,0{NBSP}% (Commune 0)."),
    (shares_table(n=2, zeros=1), f"Sur la carte des 3 communes de la CA Test, la part va de "
                                 f"0,0{NBSP}% (Commune 2) à 30,0{NBSP}% (Commune 0) ; 1 des 3 "
                                 "communes est sans logement social (en blanc)."),
    (shares_table(n=2, zeros=2), f"Sur la carte des 4 communes de la CA Test, la part va de "
                                 f"0,0{NBSP}% (Commune 3) à 30,0{NBSP}% (Commune 0) ; 2 des 4 "
                                 "communes sont sans logement social (en blanc)."),
    (shares_table(n=1), f"Sur la carte de la commune de la CA Test, la part est de "
                        f"30,0{NBSP}% (Commune 0)."),
    (shares_table(n=0, zeros=1), f"Sur la carte de la commune de la CA Test, la part est de "
                                 f"0,0{NBSP}% (Commune 0) ; la seule commune est sans "
                                 "logement social (en blanc)."),
])
def test_map_summary_agrees_like_the_shares_summary(table, expected):
    assert carte.map_summary(table, "CA Test") == expected
    unknown = table.assign(taux_logements_sociaux=math.nan)
    assert carte.map_summary(unknown, "Grand Annecy") == (
        "La carte du Grand Annecy ne montre aucune part connue.")


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
    fig = carte.map_figure(table, layer, "CA Test", selected="07002", labels=labels)
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
    fig = carte.map_figure(table, layer, "CA Test")
    assert fig.data[0].type == "scattergeo" and fig.data[0].lon[0] == 4.5
    assert fig.data[0].marker.opacity == 0


# --- programme calendar ---------------------------------------------------------------------

def events() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["2014-01-01", "2018-09-26", "2019-04-24", "2021-04-30"]),
        "annee_seule": [True, False, False, False],
        "code_insee": ["07001", "07010", "07010", "07001"],
        "commune": ["Tournon", "Annonay", "Annonay", "Tournon"],
        "programme": ["AMI centres-bourgs", "ACV", "ORT", "PVD"],
        "evenement": [profile.EVENT_AMI, profile.EVENT_ACV, profile.EVENT_ORT,
                      officiel.EVENT_PVD],
    })


def test_timeline_figure_marks_each_milestone_with_pvd_adhesions():
    fig = calendrier.timeline_figure(events(), "CA Test", pvd_communes=2,
                                     today=dt.date(2026, 11, 25))
    assert_finished(fig, "Calendrier des programmes depuis 2014", "CA Test",
                    sources.BY_KEY["pvd_2024"].citation)
    names = [tr.name for tr in fig.data]
    assert names == [profile.EVENT_AMI, profile.EVENT_ACV, officiel.EVENT_PVD,
                     profile.EVENT_ORT]
    # Each milestone in its programme's colour, from the registry.
    assert [tr.marker.color for tr in fig.data] == [
        registry.COLORS["AMI centres-bourgs"], registry.COLORS["ACV"], registry.COLORS["PVD"],
        registry.COLORS["ORT"]]
    assert list(fig.data[0].text) == ["2014"]  # the AMI source gives the year only
    assert list(fig.data[1].text) == ["26/09/2018"]
    assert list(fig.data[2].y) == ["Tournon"] and list(fig.data[2].text) == ["30/04/2021"]
    # Annonay's two dates are on either side of the line, not on top of each other.
    assert fig.data[1].textposition != fig.data[3].textposition
    note = flat(annotation(fig, "note").text)
    assert "pas de date" not in note and "sans date" not in note
    assert fig.layout.xaxis.range[0] <= "2014-01-01"


def test_timeline_without_milestone_says_so():
    fig = calendrier.timeline_figure(events().iloc[0:0], "CA Vide")
    assert "Aucune étape datée" in flat(annotation(fig, "message").text)
    assert calendrier.SOURCE_PROGRAMMES.split(" (")[0] in flat(annotation(fig, "source").text)
    text = calendrier.timeline_summary(events().iloc[0:0], "CA Vide", pvd_communes=1)
    assert text == "Aucune étape datée depuis 2014 dans la CA Vide."


def test_timeline_summary_lists_dates():
    text = calendrier.timeline_summary(events(), "CA Test")
    assert "Annonay (26/09/2018)" in text and "Annonay (24/04/2019)" in text
    assert "Tournon (2014)" in text
    assert "adhésion à Petites villes de demain : Tournon (30/04/2021)" in text


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
    assert [list(row) for row in heat.z] == [[5, 0], [1, 3]]  # 0: no row, else rank + 1
    assert list(heat.colorbar.ticktext) == ["aucune information",
                                            *bailleurs.ENGAGEMENT_LEVELS]
    assert list(heat.colorbar.tickvals) == [0, 1, 2, 3, 4, 5]
    assert heat.customdata[0][1] == "aucune information"
    # The one ordinal palette: grey for no row, then lightest for "non sollicité".
    assert heat.colorscale[0][1] == palette.NO_DATA
    assert heat.colorscale[2][1] == palette.ORDINAL[0]
    assert heat.colorscale[-1][1] == palette.ORDINAL[-1]
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
        "Données de démonstration : dans la CA Test, 2 bailleurs engagés sur 3 bailleurs "
        "renseignés dans le fichier ; 2 des 5 communes de programme ont au moins un bailleur "
        f"engagé (40,0{NBSP}%).")
    one = {**summary, "bailleurs": 1, "bailleurs_engages": 1, "donnees_demonstration": False,
           "communes_programme": 1, "communes_engagees": 1, "taux_engagement": 100.0}
    assert t.engagement_summary(one, "CA Test") == (
        "Dans la CA Test, 1 bailleur engagé sur 1 bailleur renseigné dans le fichier ; la "
        f"seule commune de programme a au moins un bailleur engagé (100,0{NBSP}%).")
    zero = {**one, "bailleurs_engages": 0, "communes_engagees": 0, "taux_engagement": 0.0,
            "communes_programme": 3}
    assert t.engagement_summary(zero, "Grand Annecy") == (
        "Dans le Grand Annecy, 0 bailleur engagé sur 1 bailleur renseigné dans le fichier ; "
        f"aucune des 3 communes de programme n'a de bailleur engagé (0,0{NBSP}%).")
    assert t.engagement_summary({**zero, "communes_programme": 0}, "CA Test") == (
        "Dans la CA Test, aucune commune de programme.")


# --- comparison -----------------------------------------------------------------------------

def test_comparison_grouped_bars_with_region_reference():
    table = pd.DataFrame({
        "code": ["200072015", "200071751", "84"], "nom": ["CA A", "CA B", "Région X"],
        "region": [False, False, True], "taux_logements_sociaux": [15.4, 19.6, 16.4],
        "part_population_programme": [34.0, 38.1, 23.9], "communes_programme": [1, 5, 292],
        "nb_communes": [29, 74, 4025], "taux_engagement": [0.0, 40.0, math.nan],
    })
    fig = comparaison.comparison_figure(table, "CA A – CA B", demo=True)
    assert_finished(fig, "Comparaison des intercommunalités", "CA A – CA B", "RPLS")
    assert [tr.name for tr in fig.data] == ["CA A", "CA B", "Région X (région)"]
    assert fig.layout.barmode == "group"
    assert fig.data[2].marker.color == t.REFERENCE_COLOR
    assert list(fig.data[2].y)[2] is None and fig.data[2].text[2] == "n.d."
    assert annotation(fig, "demo")
    text = comparaison.comparison_summary(table)
    assert text.startswith(f"Part de logements sociaux : CA A 15,4{NBSP}%, CA B 19,6{NBSP}%, "
                           f"contre 16,4{NBSP}% dans la région")
