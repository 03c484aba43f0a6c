"""The tab title and the sentence announced when a page shows a territory
(`components.announce`), with known answers from the real tables."""

from __future__ import annotations

from dashboard.components import announce
from dashboard.config import TITLE

ANNONAY_EPCI = "200072015"
ANNONAY = "07010"


def _data(element) -> dict:
    return element.to_plotly_json()["props"]


def test_document_title():
    assert announce.document_title("CA Annonay Rhône Agglo") == (
        f"CA Annonay Rhône Agglo — {TITLE}")
    assert TITLE.endswith("AURA-HLM")
    assert announce.document_title("Ardèche (07)", "Bailleurs sociaux") == (
        "Ardèche (07) — Bailleurs sociaux — AURA-HLM")


def test_shown_message_takes_the_article_of_the_name():
    assert announce.shown_message("epci", "CA Annonay Rhône Agglo") == (
        "Profil de la CA Annonay Rhône Agglo affiché")
    assert announce.shown_message("commune", "Annonay") == "Profil d'Annonay affiché"
    assert announce.shown_message("commune", "Le Puy-en-Velay") == "Profil du Puy-en-Velay affiché"
    assert announce.shown_message("epci", "Saint-Étienne Métropole") == (
        "Profil de Saint-Étienne Métropole affiché")
    assert announce.shown_message("departement", "Rhône", "69", what="Bailleurs sociaux",
                                  plural=True) == "Bailleurs sociaux du Rhône affichés"


def test_territory_profile_of_an_epci_and_of_a_commune():
    epci = _data(announce.territory_profile(ANNONAY_EPCI, focus="territoire-titre",
                                            key="?epci=200072015"))
    assert epci["hidden"] is True and epci["className"] == announce.ANNOUNCEMENT_CLASS
    assert epci["data-titre"] == f"CA Annonay Rhône Agglo — {TITLE}"
    assert epci["data-annonce"] == "Profil de la CA Annonay Rhône Agglo affiché"
    assert epci["data-focus"] == "territoire-titre"
    assert epci["data-cle"] == "?epci=200072015"
    commune = _data(announce.territory_profile(ANNONAY_EPCI, ANNONAY))
    assert commune["data-titre"] == f"Annonay — CA Annonay Rhône Agglo — {TITLE}"
    assert commune["data-annonce"] == "Profil d'Annonay affiché"
    assert "data-focus" not in commune
    assert commune["data-cle"] == commune["data-annonce"]  # no key: the sentence


def test_landlord_scope_for_each_level():
    epci = _data(announce.landlord_scope(ANNONAY_EPCI, "07", "CA Annonay Rhône Agglo"))
    assert epci["data-titre"] == "CA Annonay Rhône Agglo — Bailleurs sociaux — AURA-HLM"
    assert epci["data-annonce"] == "Bailleurs sociaux de la CA Annonay Rhône Agglo affichés"
    dep = _data(announce.landlord_scope(None, "07", "Ardèche (07)"))
    assert dep["data-annonce"] == "Bailleurs sociaux de l'Ardèche affichés"
    region = _data(announce.landlord_scope(None, None, "Auvergne-Rhône-Alpes"))
    assert region["data-annonce"] == (
        "Bailleurs sociaux de toute la région Auvergne-Rhône-Alpes affichés")
    assert len({epci["data-cle"], dep["data-cle"], region["data-cle"]}) == 3


def test_live_region_is_polite_and_hidden():
    region = _data(announce.live_region())
    assert region["id"] == announce.LIVE_REGION_ID
    assert region["role"] == "status" and region["aria-live"] == "polite"
    assert "visually-hidden" in region["className"]
