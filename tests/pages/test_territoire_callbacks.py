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
    assert other.problems == ("La commune Bourg-en-Bresse (01053) n'appartient pas à CA Annonay "
                              "Rhône Agglo : elle n'est pas mise en évidence.",)
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
