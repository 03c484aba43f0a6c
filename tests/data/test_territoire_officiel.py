"""Official facts of the territory profile: known answers on small frames, then on
the committed table (checked against `python -m dashboard.data summary`)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.data import store
from dashboard.data import territoire_officiel as officiel

SPLIT = officiel.SPLIT_STATUS


def commune(code: str, nom: str, **extra) -> dict:
    """One row of the commune table with neutral defaults (EPCI 200000001)."""
    row = {
        "code_insee": code, "nom": nom, "epci_siren": "200000001", "population": 1000,
        "logements_sociaux": 10, "sru_soumise": False, "sru_deficitaire": False,
        "sru_carencee": False, "sru_exemptee": False, "sru_taux": math.nan,
        "sru_taux_cible": pd.NA, "sru_prelevement_2025": math.nan,
        "evolution_annuelle_ls_2019_2023": 1.5, "population_2015": 1000,
        "population_2021": 1000, "pvd": False, "pvd_sortie": False,
        "pvd_date_adhesion": pd.NaT, "pvd_jalon_ort": None, "recensement_statut": "mesuré",
        "recensement_ancienne_commune": None, "rp_recensement_ancienne_commune": pd.NA,
        "taux_logements_sociaux": 10.0, "niveau_densite": "Petites villes",
        "centralite": "Centre local d'équipements et de services",
        "ort_statut": None, "ort_date_signature": pd.NaT,
    }
    row.update(extra)
    row.setdefault("pvd_2024", row["pvd"] and not row["pvd_sortie"])  # the registry's PVD
    row.setdefault("villages_avenir", False)
    return row


@pytest.fixture
def frame() -> pd.DataFrame:
    rows = [
        commune("01001", "Alpha", sru_soumise=True, sru_deficitaire=True, sru_carencee=True,
                sru_taux=12.25, sru_taux_cible=25, sru_prelevement_2025=1000.5,
                population_2015=2000, population_2021=1900, pvd=True,
                pvd_date_adhesion=pd.Timestamp("2021-04-30"),
                pvd_jalon_ort="ORT signée après 18 mois"),
        commune("01002", "Bravo", sru_soumise=True, sru_taux=21.0, sru_taux_cible=20,
                sru_prelevement_2025=0.0, population_2015=1000, population_2021=1000),
        commune("01003", "Charlie", pvd_sortie=True, ort_statut="Non signée"),
        commune("15141", "Neussargues", recensement_statut=SPLIT, logements_sociaux=57,
                recensement_ancienne_commune="15141", rp_recensement_ancienne_commune=822,
                taux_logements_sociaux=100 * 57 / 822, population_2015=pd.NA,
                population_2021=pd.NA),
        commune("15031", "Celles", recensement_statut=SPLIT, logements_sociaux=0,
                recensement_ancienne_commune="15141", rp_recensement_ancienne_commune=822,
                taux_logements_sociaux=math.nan, population_2015=pd.NA,
                population_2021=pd.NA),
        commune("69001", "Ailleurs", epci_siren="200000002", sru_soumise=True,
                evolution_annuelle_ls_2019_2023=math.nan),
    ]
    df = pd.DataFrame(rows)
    for col in ("population_2015", "population_2021", "sru_taux_cible",
                "rp_recensement_ancienne_commune"):
        df[col] = df[col].astype("Int64")
    return df


def test_annual_growth_is_compounded():
    assert officiel.annual_growth(100, 121, 2) == pytest.approx(10.0)
    assert officiel.annual_growth(1000, 1000, 6) == 0.0
    assert math.isnan(officiel.annual_growth(0, 10, 6))
    assert math.isnan(officiel.annual_growth(None, 10, 6))


def test_epci_facts_count_the_legal_sru_status_and_the_trends(frame):
    f = officiel.epci_facts(frame, "200000001")
    assert f["communes_sru_soumises"] == 2
    assert f["communes_sru_deficitaires"] == 1 and f["communes_sru_carencees"] == 1
    assert f["sru_prelevement_2025"] == pytest.approx(1000.5)
    assert f["sru_cibles"] == [20, 25]
    assert f["evolution_annuelle_ls_2019_2023"] == 1.5
    # the split communes have no census series of their own: left out of both sums
    assert (f["population_2015"], f["population_2021"]) == (4000, 3900)
    assert f["communes_sans_serie"] == 2
    assert f["evolution_population"] == pytest.approx(100 * ((3900 / 4000) ** (1 / 6) - 1))
    assert f["jalons_ort"]["ORT signée après 18 mois"] == 1
    assert sum(f["jalons_ort"].values()) == 1
    assert f["pvd_sorties"] == ["Charlie"]
    assert f["communes_ancienne_commune"] == 2
    assert math.isnan(officiel.epci_facts(frame, "200000002")[
        "evolution_annuelle_ls_2019_2023"])


def test_commune_facts_carry_status_target_and_former_commune(frame):
    facts = officiel.commune_facts(frame, "200000001").set_index("code_insee")
    assert facts.loc["01001", "sru_soumise"] and facts.loc["01001", "sru_taux_cible"] == 25
    assert math.isnan(facts.loc["01003", "sru_taux_cible"])
    assert facts.loc["15031", "ancienne_commune"] == "15141"
    assert pd.isna(facts.loc["01001", "ancienne_commune"])


def test_split_commune_gets_the_former_commune_figure_not_a_share(frame):
    old = officiel.former_commune(frame, "15031")
    assert old == {"code": "15141", "residences_principales": 822.0, "logements_sociaux": 57,
                   "taux_logements_sociaux": pytest.approx(100 * 57 / 822),
                   "communes": ["Celles", "Neussargues"]}
    assert officiel.former_commune(frame, "01001") is None
    c = officiel.commune_context(frame, "15031")
    assert c["ancienne_commune"]["code"] == "15141"
    assert math.isnan(c["evolution_population"])


def test_pvd_adhesions_are_milestones_and_the_exit_is_listed(frame):
    events = officiel.pvd_milestones(frame, "200000001")
    assert events[["commune", "evenement"]].values.tolist() == [["Alpha", officiel.EVENT_PVD]]
    assert events["date"].iloc[0] == pd.Timestamp("2021-04-30")
    pvd = officiel.pvd_columns(frame, "200000001")
    assert pvd["nom"].tolist() == ["Alpha", "Charlie"]
    table = pd.DataFrame({"code_insee": ["01001"], "nom": ["Alpha"], "programmes": ["PVD"],
                          "acv": [False], "pvd": [True], "pvd_2024": [True]})
    merged = officiel.with_pvd_columns(table, pvd)
    assert merged["nom"].tolist() == ["Alpha", "Charlie"]  # the exit is shown as such
    assert merged["pvd_sortie"].tolist() == [False, True]
    from dashboard.data import territoire

    rows = {r["commune"]: r for r in territoire.programme_display(merged.assign(
        acv_date_signature=pd.NaT, acv_actions_en_cours=pd.NA, acv_actions_livrees=pd.NA))}
    assert rows["Charlie"]["pvd"].startswith("Sortie du programme")
    assert rows["Charlie"]["ort"] == "Non signée" and rows["Charlie"]["programmes"] == "—"
    assert rows["Alpha"]["pvd"] == "Adhésion le 30/04/2021"


# --- the committed table (known answers of `summary --epci/--commune`) --------------------

def test_committed_cc_rhone_crussol_two_carencees_and_the_levy():
    f = officiel.epci_facts(store.communes(), "200041366")
    assert (f["communes_sru_soumises"], f["communes_sru_deficitaires"],
            f["communes_sru_carencees"]) == (2, 2, 2)
    assert f["sru_prelevement_2025"] == pytest.approx(869_085.24)
    assert f["sru_cibles"] == [25]
    c = officiel.commune_context(store.communes(), "07102")  # Guilherand-Granges
    assert c["sru_taux"] == 12.25 and c["sru_taux_cible"] == 25 and c["sru_carencee"]
    assert c["taux_logements_sociaux"] == pytest.approx(5.3596, abs=1e-4)
    assert c["niveau_densite"] == "Grands centres urbains"
    assert c["centralite"] == "Centre structurant d'équipements et de services"


def test_committed_dombes_pvd_exit_and_milestones():
    f = officiel.epci_facts(store.communes(), "200069193")
    assert f["communes_sru_soumises"] == 0 and f["sru_cibles"] == []
    assert f["pvd_sorties"] == ["Châtillon-sur-Chalaronne"]
    assert f["jalons_ort"]["ORT pas encore signée"] == 3
    assert f["evolution_annuelle_ls_2019_2023"] == 1.7
    assert (f["population_2015"], f["population_2021"]) == (37_907, 40_011)


def test_committed_hautes_terres_split_communes_and_population_trend():
    f = officiel.epci_facts(store.communes(), "200066637")
    assert f["evolution_annuelle_ls_2019_2023"] == -2.5
    assert f["communes_sans_serie"] == 5
    assert round(f["evolution_population"], 1) == -0.4
    for code in ("15141", "15031", "15035", "15047", "15171"):
        old = officiel.former_commune(store.communes(), code)
        assert old["code"] == "15141" and old["residences_principales"] == 822
        assert old["logements_sociaux"] == 57 and len(old["communes"]) == 5
