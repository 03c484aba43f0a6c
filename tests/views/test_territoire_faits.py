"""Sentences of the profile's official facts: known answers on hand-made dicts."""

from __future__ import annotations

import math

from dashboard.views import territoire_faits as faits

NBSP = "\u00a0"


def facts(**extra) -> dict:
    out = {"communes_sru_soumises": 0, "communes_sru_deficitaires": 0,
           "communes_sru_carencees": 0, "sru_prelevement_2025": 0.0,
           "evolution_annuelle_ls_2019_2023": 1.46, "evolution_population": -0.42,
           "communes_sans_serie": 0, "pvd_sorties": [],
           "jalons_ort": dict.fromkeys(faits_keys(), 0)}
    out.update(extra)
    return out


def faits_keys() -> tuple[str, ...]:
    from dashboard.data.territoire_officiel import ORT_MILESTONES

    return ORT_MILESTONES


def test_growth_is_signed_with_a_true_minus():
    assert faits.fmt_growth(1.46) == f"+1,5{NBSP}%"
    assert faits.fmt_growth(-0.42) == f"\u22120,4{NBSP}%"
    assert faits.fmt_growth(0.02) == f"0,0{NBSP}%"
    assert faits.fmt_growth(math.nan) == "n.d."


def test_sru_sentences():
    assert faits.sru_sentence(facts()) == (
        "Aucune commune soumise à l'article 55 de la loi SRU (inventaire 2025) : objectif SRU "
        "non applicable ici.")
    one = facts(communes_sru_soumises=1)
    assert faits.sru_sentence(one) == (
        "1 commune soumise à l'article 55 de la loi SRU (inventaire 2025), non déficitaire ; "
        "aucun prélèvement en 2025.")
    many = facts(communes_sru_soumises=3, communes_sru_deficitaires=2,
                 sru_prelevement_2025=46_559.19)
    assert faits.sru_sentence(many) == (
        "3 communes soumises à l'article 55 de la loi SRU (inventaire 2025), dont 2 "
        f"déficitaires ; prélèvement 2025 : 46\u202f559{NBSP}€.")


def test_trend_and_milestone_sentences():
    f = facts(communes_sans_serie=1, pvd_sorties=["Châtillon-sur-Chalaronne"])
    assert faits.ls_trend_sentence(f) == f"Parc social : +1,5{NBSP}% par an de 2019 à 2023."
    assert faits.population_trend_sentence(f) == (
        f"Population : \u22120,4{NBSP}% par an de 2015 à 2021 (hors 1 commune sans chiffre "
        "propre au recensement).")
    assert faits.ort_milestone_sentence(f) is None
    f["jalons_ort"]["ORT signée dans les 18 mois"] = 1
    f["jalons_ort"]["ORT pas encore signée"] = 2
    assert faits.ort_milestone_sentence(f) == (
        "Jalon Petites villes de demain (ORT à signer dans les 18 mois suivant l'adhésion) : "
        "1 signée dans les délais, 2 pas encore signées.")
    assert faits.pvd_exit_sentence(f).startswith(
        "Châtillon-sur-Chalaronne est sortie du programme Petites villes de demain (absente "
        "de la liste de janvier 2024")
    assert faits.ls_trend_sentence(facts(evolution_annuelle_ls_2019_2023=math.nan)) == (
        "Parc social : évolution 2019-2023 non publiée pour cette intercommunalité.")
