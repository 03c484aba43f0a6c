"""Programmes data: counts per department / EPCI type, ORT, ACV, hors-programme list."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.data import programmes as P

from .test_regional import make_communes


@pytest.fixture
def communes() -> pd.DataFrame:
    return make_communes([
        # Ardèche (07)
        {"nom": "Deux programmes", "population": 9000, "acv": True, "pvd": True,
         "acv_phase": 1, "acv_date_signature": "2018-09-26"},
        {"nom": "ORT signée", "population": 5000, "ort_statut": "Signée",
         "ort_date_signature": "2020-10-14"},
        {"nom": "ORT en cours", "population": 8000, "ort_statut": "En cours",
         "sru_soumise": True, "sru_deficitaire": True},
        {"nom": "Petite", "population": 3499},
        {"nom": "Au seuil", "population": 3500, "logements_sociaux": 100,
         "residences_principales": 1000.0},
        # Drôme (26), a métropole-like EPCI
        {"departement": "26", "departement_nom": "Drôme", "epci_siren": "200000009",
         "epci_nom": "Métropole test", "epci_type": "METRO", "nom": "Grande",
         "population": 60000, "ort_statut": "Non signée"},
        {"departement": "26", "departement_nom": "Drôme", "epci_siren": "200000009",
         "epci_nom": "Métropole test", "epci_type": "METRO", "nom": "AMI",
         "population": 4000, "ami_centres_bourgs": True, "ort_statut": "Signée",
         "ort_date_signature": "2023-02-15"},
        {"departement": "26", "departement_nom": "Drôme", "epci_siren": "200000009",
         "epci_nom": "Métropole test", "epci_type": "METRO", "nom": "ACV phase 2",
         "population": 20000, "acv": True, "acv_phase": 2, "ort_statut": "Signée"},
    ])


def test_flags_any_programme(communes):
    f = P.flags(communes)
    assert list(f.columns) == [*P.PROGRAMMES, "programme"]
    assert f["programme"].tolist() == [True, True, False, False, False, False, True, True]
    assert f["ORT"].sum() == 3  # "En cours" and "Non signée" are not signed


def test_counts_by_departement_counts_a_commune_once(communes):
    counts = P.counts_by_departement(communes).set_index("departement")
    assert list(counts.index) == ["07", "26"]
    assert counts.loc["07", "departement_nom"] == "Ardèche"
    assert counts.loc["07", ["ACV", "PVD", "AMI centres-bourgs", "ORT"]].tolist() == [1, 1, 0, 1]
    assert counts.loc["07", "programme"] == 2  # ACV + PVD commune counted once
    assert counts.loc["07", "nb_communes"] == 5
    assert counts.loc["26", "programme"] == 2
    assert counts.loc["26", "population_programme"] == 24000


def test_counts_by_epci_type_merges_metropoles(communes):
    metro = communes.assign(epci_type=communes["epci_type"].replace({"CC": "MET69"}))
    types = P.counts_by_epci_type(metro)
    assert types["type"].tolist() == ["Métropole"]
    assert types.loc[0, "nb_communes"] == 8 and types.loc[0, "programme"] == 4
    assert types.loc[0, "type_nom"] == "Métropoles"
    mixed = P.counts_by_epci_type(communes)
    assert mixed["type"].tolist() == ["CC", "Métropole"]  # fixed order, types present only


def test_totals(communes):
    t = P.totals(communes)
    assert (t["ACV"], t["PVD"], t["AMI centres-bourgs"], t["ORT"]) == (2, 1, 1, 3)
    assert t["programme"] == 4
    assert t["part_population_programme"] == pytest.approx(100 * 38000 / 112999)


def test_ort_status_counts_keep_every_status(communes):
    statuses = P.ort_status_counts(communes)
    assert statuses["statut"].tolist() == ["Signée", "En cours", "Non signée", "Non renseigné"]
    assert statuses["communes"].tolist() == [3, 1, 1, 0]


def test_ort_signatures_by_year(communes):
    years = P.ort_signatures_by_year(communes)
    assert years["annee"].tolist() == list(range(2018, 2024))
    assert years["signatures"].tolist() == [0, 0, 1, 0, 0, 1]
    assert years["cumul"].tolist() == [0, 0, 1, 1, 1, 2]
    assert P.ort_signed_without_date(communes) == 1
    early = communes.assign(ort_date_signature=pd.to_datetime(
        communes["ort_date_signature"].where(communes["nom"] != "AMI", "2016-05-01")))
    assert P.ort_signatures_by_year(early)["signatures"].sum() == 1  # 2016 is before 2018


def test_acv_communes_without_phase(communes):
    acv = P.acv_communes(communes)
    assert acv["nom"].tolist() == ["Deux programmes", "ACV phase 2"]  # no date last
    assert "acv_phase" not in acv.columns


@pytest.mark.parametrize(("value", "expected"), [
    (None, 0), ("", 0), ("0", 0), ("10000", 10000), (10000, 10000), (10000.0, 10000),
    ("3 500", 3500), ("3\u202f500", 3500), (["5000", "x"], 5000),
])
def test_check_seuil_accepts_whole_numbers(value, expected):
    assert P.check_seuil(value) == P.SeuilLookup(expected)


@pytest.mark.parametrize("value", ["abc", "-5", "3500.5", "1e12", "nan", "inf", True,
                                   "<b>9</b>"])
def test_check_seuil_refuses_with_french_message(value):
    lookup = P.check_seuil(value)
    assert lookup.value == P.DEFAULT_SEUIL == 0
    assert lookup.error.endswith("Aucun seuil de population n'est appliqué : tous les pôles "
                                 "sont listés.")
    assert "entre 0 et 200\u202f000" in lookup.error


STRUCTURANT = "Centre structurant d'équipements et de services"
INTERMEDIAIRE = "Centre intermédiaire d'équipements et de services"


@pytest.fixture
def poles() -> pd.DataFrame:
    """Pôles by the build's column `pole_hors_programme`, with their levels."""
    return make_communes([
        {"nom": "Petit centre", "population": 900, "centralite": INTERMEDIAIRE,
         "pole_hors_programme": True, "ort_statut": "Signée"},
        {"nom": "Grand intermédiaire", "population": 12000, "centralite": INTERMEDIAIRE,
         "pole_hors_programme": True, "sru_soumise": True, "sru_deficitaire": True,
         "sru_carencee": True, "logements_sociaux": 100, "residences_principales": 1000.0},
        {"nom": "Structurant", "population": 8000, "centralite": STRUCTURANT,
         "pole_hors_programme": True, "sru_soumise": True},
        {"departement": "26", "departement_nom": "Drôme", "epci_siren": "200000009",
         "epci_nom": "Métropole test", "epci_type": "METRO", "nom": "Drômois",
         "population": 5000, "centralite": STRUCTURANT, "pole_hors_programme": True},
        # Not pôles hors programme: a PVD centre, a big commune that is not a centre.
        {"nom": "Centre PVD", "population": 7000, "centralite": STRUCTURANT, "pvd": True},
        {"nom": "Grande ville", "population": 90000, "centralite": None},
    ])


def test_hors_programme_follows_the_typology_and_sorts_by_level(poles):
    hors = P.hors_programme(poles)
    # Level first (structurant before intermédiaire), then population: a small centre
    # is listed, a large commune that is not a pôle is not.
    assert hors["nom"].tolist() == ["Structurant", "Drômois", "Grand intermédiaire",
                                    "Petit centre"]
    assert hors["niveau"].tolist() == ["Centre structurant"] * 2 + ["Centre intermédiaire"] * 2
    status = dict(zip(hors["nom"], hors["sru_statut"], strict=True))
    assert status == {"Structurant": "Soumise, non déficitaire", "Drômois": "Non soumise",
                      "Grand intermédiaire": "Déficitaire et carencée",
                      "Petit centre": "Non soumise"}
    assert dict(zip(hors["nom"], hors["ort_statut"], strict=True))["Petit centre"] == "Signée"
    assert hors.loc[hors["nom"] == "Drômois", "ort_statut"].item() == P.NO_ORT
    assert hors.loc[hors["nom"] == "Grand intermédiaire", "taux_logements_sociaux"].item() == 10.0
    assert hors.loc[hors["nom"] == "Drômois", "type"].item() == "Métropole"
    # The minimum population is an optional, secondary filter.
    assert P.hors_programme(poles, 8000)["nom"].tolist() == ["Structurant",
                                                             "Grand intermédiaire"]
    assert P.hors_programme(poles, 0, "26")["nom"].tolist() == ["Drômois"]
    assert P.hors_programme(poles, 100_000).empty


def test_hors_programme_counts_and_summary(poles):
    hors = P.hors_programme(poles)
    by_dep = P.hors_programme_counts(hors, poles)
    assert by_dep.to_dict("list") == {"code": ["07", "26"], "nom": ["Ardèche", "Drôme"],
                                      "communes": [3, 1], "population": [20900, 5000]}
    none = P.hors_programme_counts(hors.iloc[0:0], poles)
    assert none["communes"].tolist() == [0, 0]  # every department, zeros kept
    by_epci = P.hors_programme_counts(P.hors_programme(poles, 0, "26"), poles, "26")
    assert by_epci["nom"].tolist() == ["Métropole test"]
    assert P.hors_programme_summary(hors) == {
        "communes": 4, "population": 25900, "structurants": 2, "intermediaires": 2,
        "sru": 2, "ort_signee": 1}


def test_sru_status_reads_the_official_flags():
    df = make_communes([{}, {"sru_soumise": True}, {"sru_soumise": True, "sru_deficitaire": True},
                        {"sru_soumise": True, "sru_exemptee": True}])
    assert P.sru_status(df).tolist() == ["Non soumise", "Soumise, non déficitaire",
                                         "Déficitaire", "Exemptée"]
