"""The "Ma commune" profile (`views.commune`): every number of the block against the
summary CLI (`python -m dashboard.data summary`, called in process: same data layer),
and known answers for a few communes (Annonay, Langeac, a commune in no programme,
the pieces of the split commune 15141, Lyon fed by its arrondissements)."""

from __future__ import annotations

import json

import pytest

from dashboard.data import cli, store
from dashboard.views import commune as cv
from dashboard.views import commune_items as li

NBSP = "\u00a0"
COMMUNES = ("07010", "43112", "01014", "15141", "15031", "69123")


def summary(capsys, *args: str) -> dict:
    """`python -m dashboard.data summary ARGS`, in process."""
    capsys.readouterr()
    assert cli.main(["summary", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("code", COMMUNES)
def test_every_number_of_the_block_is_the_summary_clis(capsys, code):
    n = cv.commune_profile(code).numbers
    out = summary(capsys, "--commune", code)
    for key in ("population", "logements_sociaux", "residences_principales", "sru_soumise",
                "sru_deficitaire", "sru_carencee", "sru_exemptee", "sru_taux", "sru_taux_cible",
                "pvd_date_adhesion", "pvd_jalon_ort", "villages_avenir", "qpv_2024",
                "centralite", "niveau_densite", "pole_hors_programme", "acv",
                "ami_centres_bourgs", "ort_statut", "recensement_statut"):
        assert n[key] == out[key], key
    epci = summary(capsys, "--epci", out["epci_siren"])
    assert n["taux_epci"] == pytest.approx(epci["taux_logements_sociaux"], abs=1e-9)
    dep = summary(capsys, "--departement", n["departement_reference"])
    assert n["taux_departement"] == pytest.approx(dep["taux_logements_sociaux"], abs=1e-9)
    split = out["recensement_statut"] != "mesuré"
    if split:
        assert n["taux_commune"] is None and n["rang"] is None
    else:
        assert n["taux_commune"] == pytest.approx(out["taux_logements_sociaux"])
        assert n["ecart_epci"] == pytest.approx(out["taux_logements_sociaux"]
                                                - epci["taux_logements_sociaux"])
        assert n["ecart_departement"] == pytest.approx(out["taux_logements_sociaux"]
                                                       - dep["taux_logements_sociaux"])


def test_the_rank_is_the_order_of_the_epci_communes_shares(capsys):
    df = store.communes()
    rows = df[(df["epci_siren"] == "200072015")]
    shares = sorted((summary(capsys, "--commune", c)["taux_logements_sociaux"]
                     for c in rows["code_insee"]), reverse=True)
    assert len(shares) == 29
    n = cv.commune_profile("07010").numbers
    assert (n["rang"], n["rang_sur"]) == (1, 29)
    assert shares[0] == pytest.approx(n["taux_commune"])


def test_annonay_known_answers():
    p = cv.commune_profile("07010")
    assert p.heading == "Annonay — CA Annonay Rhône Agglo"
    assert p.title == "Annonay (07010) — Ma commune"
    values = {i.key: i.value for i in p.items}
    assert values["population"] == "17\u202f274 habitants"
    assert values["evolution"] == f"+0,2{NBSP}% par an"  # 16 698 (2015) -> 16 873 (2021)
    assert values["residences"] == "8\u202f122"
    assert values["logements-sociaux"] == "2\u202f445"
    assert values["part"] == (f"30,1{NBSP}% (+14,6{NBSP}points / EPCI, +20,9{NBSP}points / "
                              "département)")
    assert values["rang"] == "1re sur 29"
    assert values["sru"] == f"soumise, pas de taux à l'inventaire, objectif 25{NBSP}% " \
                            "(non déficitaire)"
    assert values["parc"] == f"vacance 4,0{NBSP}%, rotation 9,0{NBSP}%"
    assert values["zonage"] == "zone C, hors zone tendue"
    assert values["acv"] == "convention signée le 26/09/2018 ; 4 actions en cours, 16 livrées"
    assert values["ort"] == "signée le 24/04/2019"
    assert values["qpv"] == "1 quartier"
    assert "QN00704M" in {i.key: i.detail for i in p.items}["qpv"]
    assert values["bailleurs"] == "aucun (données de démonstration)"
    assert "proches" not in values and "programmes" not in values  # in a programme
    assert all(i.source.startswith(("Source : ", "Sources : ")) for i in p.items)


def test_langeac_pvd_dates_and_milestone():
    p = cv.commune_profile("43112")
    values = {i.key: i.value for i in p.items}
    assert p.heading == "Langeac — CC des Rives du Haut Allier"
    assert values["pvd"] == "adhésion le 10/06/2021 ; ORT signée après 18 mois"
    assert values["ort"] == "signée le 04/01/2023"
    assert values["rang"] == "2e sur 60"
    assert values["evolution"] == f"\u22121,5{NBSP}% par an"
    assert values["sru"] == "non soumise (objectif SRU non applicable)"


def test_a_commune_in_no_programme_sees_where_it_stands():
    p = cv.commune_profile("01014")  # Arbent, a pôle hors programme
    values = {i.key: i.value for i in p.items}
    assert values["programmes"] == "aucun programme"
    assert values["centralite"] == ("Centre intermédiaire d'équipements et de services ; "
                                    "pôle hors programme")
    assert values["proches"].startswith(f"Oyonnax (ACV, ORT signée, 3,9{NBSP}km), Izernore "
                                        f"(VA, 12,2{NBSP}km)")
    near = p.numbers["communes_proches"]
    assert [x["code_insee"] for x in near][:2] == ["01283", "01192"]
    assert near == sorted(near, key=lambda x: x["distance_km"])


def test_the_pieces_of_a_split_commune_show_the_former_commune():
    for code in ("15141", "15031"):
        p = cv.commune_profile(code)
        values = {i.key: i.value for i in p.items}
        details = {i.key: i.detail for i in p.items}
        assert values["residences"] == "822 (ancienne commune)"
        assert values["part"] == "non connue pour la commune seule"
        assert "rang" not in values
        assert details["residences"].startswith(
            "Données disponibles pour l'ancienne commune seulement : l'ancienne commune 15141")
    near = cv.commune_profile("15031").numbers["communes_proches"]
    # the other pieces share the former commune's polygon: not "0,0 km" away
    assert near and all(x["distance_km"] > 1 for x in near)
    assert "15141" not in [x["code_insee"] for x in near]


def test_lyon_compares_with_the_metropole_not_the_whole_rhone(capsys):
    n = cv.commune_profile("69123").numbers
    assert n["departement_reference"] == "69M"
    assert n["departement_reference_nom"] == "Métropole de Lyon"
    assert n["logements_sociaux"] == 54753 and n["residences_principales"] == 270970
    assert n["rang_sur"] == 58
    values = {i.key: i.value for i in cv.commune_profile("69123").items}
    assert values["sru"] == f"soumise, taux légal 24,37{NBSP}%, objectif 25{NBSP}% (déficitaire)"
    assert values["qpv"] == "10 quartiers"


@pytest.mark.parametrize(("gap", "text"), [
    (4.24, f"+4,2{NBSP}points"), (-1.26, f"\u22121,3{NBSP}point"), (0.04, f"0,0{NBSP}point"),
    (-2.0, f"\u22122,0{NBSP}points"), (None, "n.d.")])
def test_gaps_in_points(gap, text):
    assert li.fmt_points(gap) == text


@pytest.mark.parametrize(("rank", "total", "text"), [
    (1, 29, "1re sur 29"), (3, 29, "3e sur 29"), (1, 1, "1re sur 1"),
    (12, 1200, "12e sur 1\u202f200")])
def test_ranks(rank, total, text):
    assert li.fmt_rank(rank, total) == text


def test_the_landlords_engaged_are_those_from_partner_up():
    import pandas as pd

    frame = pd.DataFrame({
        "bailleur_nom": ["B", "A", "A", "C"], "code_insee": ["01001"] * 4,
        "niveau_engagement": ["sollicité", "opération livrée", "partenaire de la convention",
                              "opération engagée"]})
    assert cv.landlords_of(frame, "01001") == [("A", "opération livrée"),
                                               ("C", "opération engagée")]
    assert cv.landlords_of(frame, "07010") == []
    item = li.landlord_item([("A", "opération livrée")], True, True)
    assert item.value == "A (données de démonstration)"
    assert item.detail == ("1 bailleur engagé (données de démonstration) : A (opération "
                           "livrée).")
    assert li.landlord_item(None, False, True).value == "n.d."
