"""The territory page with `?commune=`: heading "Commune — EPCI", the "Ma commune" block
first, and the sections with nothing to say collapsed into one sentence."""

from __future__ import annotations

import pytest

from tests.layout_tools import by_id, components, text

ANNONAY = "200072015"
NO_PROGRAMME = "200016905"  # an EPCI with no programme commune (and so no landlord row)


@pytest.fixture(scope="module")
def page(dashboard_app):
    from dashboard.pages import territoire

    return territoire


def _ids(layout) -> list[str]:
    return [c.id for c in components(layout) if isinstance(getattr(c, "id", None), str)]


def test_the_commune_comes_first(page):
    layout = page.layout(epci=ANNONAY, commune="07010")
    assert text(by_id(layout, "territoire-titre")) == "Annonay — CA Annonay Rhône Agglo"
    block = by_id(layout, "territoire-ma-commune")
    assert text(by_id(layout, "territoire-ma-commune-titre")) == "Ma commune : Annonay (07010)"
    ids = _ids(layout)
    assert ids.index("territoire-ma-commune") < ids.index("territoire-chiffres")
    assert ids.index("territoire-ma-commune") < ids.index("territoire-kpi-taux")
    part = text(by_id(layout, "territoire-ma-commune-part"))
    assert "30,1\u00a0% des résidences principales, soit +14,6\u00a0points par rapport à " \
           "l'EPCI (15,5\u00a0%)" in part
    assert "Sources : SDES, RPLS au 1er janvier 2024" in part  # each item with its source
    assert "1re sur 29" in text(by_id(layout, "territoire-ma-commune-rang"))
    assert "convention signée le 26/09/2018" in text(by_id(layout, "territoire-ma-commune-acv"))
    assert "Ci-dessous : le profil de la CA Annonay Rhône Agglo." in text(block)
    assert "Commune sélectionnée" not in text(layout)


def test_without_a_commune_the_heading_is_the_epcis(page):
    layout = page.layout(epci=ANNONAY)
    assert text(by_id(layout, "territoire-titre")) == "CA Annonay Rhône Agglo"
    assert by_id(layout, "territoire-ma-commune") is None


def test_a_commune_in_no_programme_sees_the_nearest_programme_communes(page):
    layout = page.layout(commune="01014")  # Arbent, alone: its EPCI's profile
    assert text(by_id(layout, "territoire-titre")) == "Arbent — CA Haut-Bugey Agglomération"
    assert "aucun programme de revitalisation" in text(
        by_id(layout, "territoire-ma-commune-programmes"))
    near = text(by_id(layout, "territoire-ma-commune-proches"))
    assert "Oyonnax (ACV, ORT signée, 3,9\u00a0km)" in near
    assert "pôle hors programme" in text(by_id(layout, "territoire-ma-commune-centralite"))


def test_an_epci_without_programme_or_landlord_says_it_in_one_sentence(page):
    from dashboard.views import territoire as tv

    name = tv.cached_profile(NO_PROGRAMME)["nom"]
    n = tv.cached_profile(NO_PROGRAMME)["epci"]["nb_communes"]
    layout = page.layout(epci=NO_PROGRAMME)
    programmes = text(by_id(layout, "territoire-programmes-vide"))
    assert programmes.startswith(f"Dans la {name}, aucune des {n} communes n'est dans un "
                                 "programme de revitalisation (Action Cœur de Ville, ")
    assert by_id(layout, "territoire-table-programmes") is None
    assert by_id(layout, "territoire-graph-calendrier") is None
    landlords = text(by_id(layout, "territoire-bailleurs-vide"))
    assert landlords.startswith(f"Dans la {name}, aucun bailleur social n'est renseigné")
    assert by_id(layout, "territoire-graph-bailleurs") is None
    # an EPCI with programme communes keeps its table and calendar
    full = page.layout(epci=ANNONAY)
    assert by_id(full, "territoire-programmes-vide") is None
    assert by_id(full, "territoire-graph-calendrier") is not None


def test_the_sentences_agree():
    from dashboard.pages import territoire_commune as tc

    assert tc.no_programme_sentence("CC X", 1).startswith(
        "Dans la CC X, la seule commune n'est dans aucun programme de revitalisation (")
    assert tc.no_programme_sentence("Grand Annecy", 34).startswith(
        "Dans le Grand Annecy, aucune des 34 communes n'est dans un programme")
    assert tc.no_landlord_sentence("CA Y", True).endswith(
        "dans le fichier de démonstration : pas de tableau d'engagement.")
