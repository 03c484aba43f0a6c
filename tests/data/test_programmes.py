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
         "sru_seuil_applicable": True},
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


def test_acv_communes_and_phases(communes):
    acv = P.acv_communes(communes)
    assert acv["nom"].tolist() == ["Deux programmes", "ACV phase 2"]  # no date last
    assert P.acv_phase_counts(acv) == {1: 1, 2: 1}


@pytest.mark.parametrize(("value", "expected"), [
    (None, 3500), ("", 3500), ("10000", 10000), (10000, 10000), (10000.0, 10000),
    ("3 500", 3500), ("3\u202f500", 3500), (["5000", "x"], 5000),
])
def test_check_seuil_accepts_whole_numbers(value, expected):
    assert P.check_seuil(value) == P.SeuilLookup(expected)


@pytest.mark.parametrize("value", ["abc", "-5", "0", "3500.5", "1e12", "nan", "inf", True,
                                   "<b>9</b>"])
def test_check_seuil_refuses_with_french_message(value):
    lookup = P.check_seuil(value)
    assert lookup.value == P.DEFAULT_SEUIL
    assert "Seuil utilisé : 3\u202f500 habitants." in lookup.error
    assert "entre 500 et 200\u202f000" in lookup.error


def test_check_seuil_required_for_an_emptied_box():
    assert P.check_seuil(None).error is None
    assert P.check_seuil(None, required=True).error.startswith("Saisissez un seuil")


def test_hors_programme_respects_threshold_and_every_programme(communes):
    hors = P.hors_programme(communes, 3500)
    # Out: "Petite" (3 499), ACV/PVD, ORT signée, AMI, ACV phase 2. In: ORT en cours.
    assert hors["nom"].tolist() == ["Grande", "ORT en cours", "Au seuil"]
    assert hors.loc[hors["nom"] == "Grande", "type"].item() == "Métropole"
    assert hors.loc[hors["nom"] == "Au seuil", "ort_statut"].item() == P.NO_ORT
    assert hors.loc[hors["nom"] == "Au seuil", "taux_logements_sociaux"].item() == 10.0
    assert P.hors_programme(communes, 3501)["nom"].tolist() == ["Grande", "ORT en cours"]
    assert P.hors_programme(communes, 3500, "26")["nom"].tolist() == ["Grande"]
    assert P.hors_programme(communes, 100_000).empty


def test_hors_programme_counts_and_summary(communes):
    hors = P.hors_programme(communes, 3500)
    by_dep = P.hors_programme_counts(hors, communes)
    assert by_dep.to_dict("list") == {"code": ["07", "26"], "nom": ["Ardèche", "Drôme"],
                                      "communes": [2, 1], "population": [11500, 60000]}
    none = P.hors_programme_counts(hors.iloc[0:0], communes)
    assert none["communes"].tolist() == [0, 0]  # every department, zeros kept
    by_epci = P.hors_programme_counts(P.hors_programme(communes, 3500, "26"), communes, "26")
    assert by_epci["nom"].tolist() == ["Métropole test"]
    assert P.hors_programme_summary(hors) == {"communes": 3, "population": 71500, "sru": 1,
                                              "ort_en_cours": 1}
