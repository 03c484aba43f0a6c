"""Page "Territoire": URL checks, layout and the navigation callback, as plain functions."""

from __future__ import annotations

import json

import plotly
import pytest
from dash import no_update

from tests.layout_tools import by_id, components, text

ANNONAY = "200072015"
BOURG = "200071751"
LYON = "200046977"
ARCHE = "200073096"  # straddles the Ardèche and the Drôme
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def page(dashboard_app):
    from dashboard.pages import territoire

    return territoire


# --- checking the URL ----------------------------------------------------------------------

def test_valid_view(page):
    view = page.check_view(ANNONAY, "07010", f"{BOURG},{LYON}")
    assert view == page.View(ANNONAY, "07010", (BOURG, LYON), None, ())


@pytest.mark.parametrize(("value", "expected"), [
    ("123", "« 123 » n'est pas un code d'intercommunalité valide : un SIREN compte 9 chiffres."),
    ("123456789", "Aucune intercommunalité de la région ne porte le code 123456789."),
    ("<script>alert(1)</script>",
     "« <script>alert(1)</script> » n'est pas un code d'intercommunalité valide"),
    ("x" * 500, "« " + "x" * 30 + "… »"),
])
def test_bad_epci_gives_a_french_sentence(page, value, expected):
    view = page.check_view(value)
    assert view.epci is None
    assert len(view.problems) == 1 and expected in view.problems[0]
    assert len(view.problems[0]) < 120  # long values are cut


def test_commune_checks(page):
    other = page.check_view(ANNONAY, "01053")  # Bourg-en-Bresse is not in Annonay's EPCI
    assert other.commune is None
    assert other.problems == ("La commune Bourg-en-Bresse (01053) ne fait pas partie de la CA "
                              "Annonay Rhône Agglo : elle n'est pas mise en évidence.",)
    assert "n'est pas un code commune INSEE valide" in page.check_view(ANNONAY, "7010").problems[0]
    # A commune alone opens its EPCI's profile.
    assert page.check_view(None, "07010")[:2] == (ANNONAY, "07010")


def test_compare_checks(page):
    view = page.check_view(ANNONAY, None, f"{ANNONAY},{BOURG},999,{BOURG}")
    assert view.compare == (BOURG,)  # itself and duplicates dropped
    assert view.problems == ("« 999 » n'est pas un code d'intercommunalité valide : un SIREN "
                             "compte 9 chiffres.",)
    many = page.check_view(ANNONAY, None, [BOURG, LYON, ARCHE, "200040111", "200040491"])
    assert len(many.compare) == 3
    assert many.problems == ("Au plus 4 intercommunalités peuvent être comparées (celle du "
                             "profil et 3 autres) : les suivantes sont ignorées.",)
    assert page.check_view(None, None, BOURG).compare == ()  # nothing to compare with


def test_repeated_parameter_takes_the_first_value(page):
    assert page.check_view([BOURG, ANNONAY]).epci == BOURG


# --- layout ----------------------------------------------------------------------------------

def test_without_epci_an_invitation_not_an_error(page):
    layout = page.layout()
    assert by_id(layout, "territoire-invitation") is not None
    assert by_id(layout, "territoire-message") is None
    assert by_id(layout, "territoire-epci") is not None
    assert "Choisissez une intercommunalité" in text(layout)


def test_bad_epci_shows_message_and_picker_and_no_markup(page):
    layout = page.layout(epci="<script>alert(1)</script>", foo="bar")
    message = by_id(layout, "territoire-message")
    assert message is not None
    assert "<script>alert(1)</script>" in text(message)  # a plain string, rendered as text
    assert "Choisir une intercommunalité" in text(message)  # the way back
    assert by_id(layout, "territoire-epci") is not None
    assert by_id(layout, "territoire-invitation") is not None
    dumped = json.dumps(layout.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
    assert "dangerouslySetInnerHTML" not in dumped and '"Markdown"' not in dumped


def test_profile_of_annonay(page):
    layout = page.layout(epci=ANNONAY)
    assert text(by_id(layout, "territoire-titre")) == "CA Annonay Rhône Agglo"
    share = by_id(layout, "territoire-kpi-taux")
    assert f"15,5{NBSP}%" in text(share)
    assert f"Auvergne-Rhône-Alpes : 16,4{NBSP}%" in text(share)
    assert f"\u22120,9{NBSP}pt" in text(share)
    assert f"+6,2{NBSP}pts" in text(share)  # against the Ardèche (9,2 %)
    assert "Mesurées pour les 29 communes (recensement 2021)" in text(
        by_id(layout, "territoire-kpi-residences"))
    landlords = text(by_id(layout, "territoire-kpi-bailleurs"))
    assert "Données de démonstration" in landlords
    assert by_id(layout, "territoire-bandeau-demo") is not None
    graphs = {c.id: c for c in components(layout) if type(c).__name__ == "Graph"}
    assert set(graphs) == {"territoire-graph-parts", "territoire-graph-carte",
                           "territoire-graph-calendrier", "territoire-graph-bailleurs"}
    name = graphs["territoire-graph-parts"].config["toImageButtonOptions"]["filename"]
    assert name.startswith("taux-logements-sociaux_ca-annonay-rhone-agglo_")
    assert "Annonay" in text(by_id(layout, "territoire-table-programmes"))
    assert by_id(layout, "territoire-a-cheval") is None


def test_every_registered_programme_has_its_key_figure(page):
    from dashboard import registry
    from dashboard.data import sources

    layout = page.layout(epci=ANNONAY)
    row = text(by_id(layout, "territoire-kpi-programmes"))
    for programme in registry.PROGRAMMES:
        assert programme.label in row
    assert registry.enumeration() in text(by_id(layout, "territoire-kpi-population-programme"))
    rpls = sources.BY_KEY["rpls"]
    assert f"{rpls.title} {rpls.vintage}" in text(by_id(layout, "territoire-kpi-logements"))
    assert "(s)" not in text(layout)


def test_commune_and_comparison(page):
    layout = page.layout(epci=ANNONAY, commune="07010", compare=BOURG)
    assert by_id(layout, "territoire-commune").value == "07010"
    assert by_id(layout, "territoire-comparer").value == [BOURG]
    assert by_id(layout, "territoire-graph-comparaison") is not None
    table = text(by_id(layout, "territoire-table-comparaison"))
    assert "CA du Bassin de Bourg-en-Bresse" in table and "(région)" in table
    parts = by_id(layout, "territoire-graph-parts").figure
    assert any(tr["name"] == "Sélection : Annonay" for tr in parts["data"])


def test_straddling_epci_says_so(page):
    layout = page.layout(epci=ARCHE)
    note = text(by_id(layout, "territoire-a-cheval"))
    assert note.startswith("Intercommunalité à cheval sur 2 départements : Drôme")
    assert "Drôme" in text(by_id(layout, "territoire-kpi-taux"))


def test_profile_content_is_memoized(page):
    first = page.profile_content(BOURG, None, (ANNONAY,))
    assert page.profile_content(BOURG, None, [ANNONAY]) is first


# --- navigation ------------------------------------------------------------------------------

def test_target_search(page):
    # Changing the EPCI drops the commune.
    assert page.target_search(BOURG, "07010", [], epci_changed=True) == (f"?epci={BOURG}", [])
    # A commune of another EPCI is dropped; one of this EPCI is kept.
    assert page.target_search(ANNONAY, "01053", []) == (f"?epci={ANNONAY}", [])
    assert page.target_search(ANNONAY, "07010", [])[0] == f"?epci={ANNONAY}&commune=07010"
    # Itself, bad codes and a fourth other EPCI are left out.
    search, kept = page.target_search(
        ANNONAY, None, [ANNONAY, BOURG, "<b>", LYON, ARCHE, "200040111"])
    assert kept == [BOURG, LYON, ARCHE]
    assert search == f"?epci={ANNONAY}&compare={BOURG},{LYON},{ARCHE}"
    # The department is kept only when the EPCI has communes in it.
    assert page.target_search(ARCHE, None, [], "26")[0] == f"?epci={ARCHE}&departement=26"
    assert page.target_search(ANNONAY, None, [], "26")[0] == f"?epci={ANNONAY}"
    assert page.target_search(None, "07010", []) == (None, [])


def test_navigation_from_picker_values(page):
    here = f"?epci={ANNONAY}&commune=07010"
    # The values of the URL's own view (the page has just been drawn): nothing to do.
    assert page.navigation(ANNONAY, "07010", [], None, here) == (no_update, no_update)
    # Another EPCI: new URL without the commune.
    assert page.navigation(BOURG, "07010", [], None, here) == (
        f"/territoire?epci={BOURG}", no_update)
    # Clearing the commune.
    assert page.navigation(ANNONAY, None, [], None, here) == (
        f"/territoire?epci={ANNONAY}", no_update)
    # A fourth other EPCI: the URL keeps three and the dropdown is trimmed too.
    href, kept = page.navigation(ANNONAY, "07010", [BOURG, LYON, ARCHE, "200040111"], None,
                                 here)
    assert href == f"/territoire?epci={ANNONAY}&commune=07010&compare={BOURG},{LYON},{ARCHE}"
    assert kept == [BOURG, LYON, ARCHE]
    # No EPCI (a department filter cleared it): stay.
    assert page.navigation(None, None, [], "01", here) == (no_update, no_update)


def test_navigation_keeps_a_message_about_the_url(page):
    # ?epci=…&compare=999: the dropdown holds [] (999 was refused); drawing the page must
    # not navigate away, or the French message would vanish.
    here = f"?epci={ANNONAY}&compare=999"
    assert page.navigation(ANNONAY, None, [], None, here) == (no_update, no_update)
    assert page.query_values("?epci=1&epci=2&compare=a,b") == {"epci": ["1", "2"],
                                                               "compare": "a,b"}


# --- official facts (issue 9) ----------------------------------------------------------------

RHONE_CRUSSOL = "200041366"
DOMBES = "200069193"
HAUTES_TERRES = "200066637"


def test_legal_sru_status_of_the_epci_and_of_a_selected_commune(page):
    layout = page.layout(epci=RHONE_CRUSSOL, commune="07102")
    card = text(by_id(layout, "territoire-kpi-sru"))
    assert "Communes soumises à la loi SRU" in card
    assert "Dont 2 déficitaires et 2 carencées" in card
    assert f"prélèvement 2025 : 869\u202f085{NBSP}€" in card
    assert "Ministère du Logement, inventaire SRU 2025" in card
    sru = text(by_id(layout, "territoire-fait-sru"))
    assert sru.startswith("2 communes soumises à l'article 55 de la loi SRU (inventaire "
                          "2025), dont 2 déficitaires et 2 carencées")
    chosen = text(by_id(layout, "territoire-ma-commune-sru"))
    assert (f"Guilherand-Granges est soumise à l'article 55 de la loi SRU : taux légal "
            f"12,25{NBSP}%, objectif 25{NBSP}% (carencée), contre une part RPLS de "
            f"5,4{NBSP}%.") in chosen
    assert chosen.count("Les deux taux diffèrent") == 1
    context = text(by_id(layout, "territoire-ma-commune-centralite"))
    assert context.startswith("Centralité : Centre structurant d'équipements et de services ; "
                              "densité : Grands centres urbains ; pôle hors programme")
    assert "INSEE, grille de densité" in context and "INRAE-CESAER" in context
    assert "indication tirée des données publiques" not in text(layout)


def test_dombes_sru_not_applicable_pvd_exit_milestones_and_trends(page):
    layout = page.layout(epci=DOMBES)
    assert "Objectif SRU non applicable ici." in text(by_id(layout, "territoire-kpi-sru"))
    assert "objectif SRU non applicable ici" in text(by_id(layout, "territoire-fait-sru"))
    assert text(by_id(layout, "territoire-fait-sortie-pvd")).startswith(
        "Châtillon-sur-Chalaronne est sortie du programme Petites villes de demain")
    assert "3 pas encore signées" in text(by_id(layout, "territoire-fait-jalon-ort"))
    ls = text(by_id(layout, "territoire-fait-evolution-ls"))
    assert ls.startswith(f"Parc social : +1,7{NBSP}% par an de 2019 à 2023.")
    assert "ANCT, Observatoire des territoires, évolution du parc social 2019-2023" in ls
    pop = text(by_id(layout, "territoire-fait-evolution-population"))
    assert pop.startswith(f"Population : +0,9{NBSP}% par an de 2015 à 2021.")
    assert "INSEE, recensement, ménages 2021" in pop
    table = text(by_id(layout, "territoire-table-programmes"))
    assert "Sortie du programme" in table and "ORT pas encore signée" in table
    assert "Phase" not in table
    calendar = by_id(layout, "territoire-graph-calendrier").figure
    assert any(tr["name"] == "Adhésion à Petites villes de demain" for tr in calendar["data"])
    assert "pas de date" not in json.dumps(calendar, ensure_ascii=False, default=str)


def test_split_commune_shows_the_former_commune_figure(page):
    layout = page.layout(epci=HAUTES_TERRES, commune="15031")
    split = text(by_id(layout, "territoire-ma-commune-residences")).split(" Source")[0].strip()
    assert split == (
        "Données disponibles pour l'ancienne commune seulement : l'ancienne commune 15141 "
        "(Celles, Chalinargues, Chavagnac, Neussargues-Moissac, Sainte-Anastasie) compte "
        f"57 logements sociaux pour 822 résidences principales, soit 6,9{NBSP}% ; la part "
        "propre à Celles n'est pas connue.")
    assert "part RPLS : non connue pour la commune seule" in text(
        by_id(layout, "territoire-ma-commune-sru"))
    pop = text(by_id(layout, "territoire-fait-evolution-population"))
    assert pop.startswith(f"Population : \u22120,4{NBSP}% par an de 2015 à 2021 (hors 5 "
                          "communes sans chiffre propre au recensement).")


def test_split_communes_are_named_in_the_main_residences_card(page):
    card = text(by_id(page.layout(epci=HAUTES_TERRES), "territoire-kpi-residences"))
    assert ("5 communes issues d'une scission : données disponibles pour l'ancienne commune "
            "seulement.") in card
    assert "scission" not in text(by_id(page.layout(epci=DOMBES), "territoire-kpi-residences"))


def test_comparison_table_comes_before_the_key_figures(page):
    content = page.profile_content(ANNONAY, None, (BOURG,))
    ids = [getattr(child, "id", None) for child in content.children]
    assert ids.index("territoire-comparaison-chiffres") < ids.index("territoire-chiffres")
    table = text(by_id(content, "territoire-table-comparaison"))
    assert "Communes soumises à la loi SRU" in table and "Bailleurs sociaux engagés" in table
    assert by_id(page.profile_content(ANNONAY), "territoire-table-comparaison") is None
