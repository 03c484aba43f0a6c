"""`python -m dashboard.data summary`: one JSON object, exact keys, known values."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import config
from dashboard.data.atomic import served_dir
from dashboard.data.cli import main

FACT_KEYS = ["communes_villages_avenir", "communes_pvd_2024", "communes_sru_soumises",
             "communes_sru_deficitaires", "communes_sru_carencees", "sru_prelevement_2025",
             "poles_hors_programme", "communes_avec_qpv", "qpv_2024"]
# One count per registered programme (registry order; PVD is the 2024 list), then the
# official facts (Villages d'avenir, a registered programme, is already among the counts).
EPCI_KEYS = ["epci_siren", "epci_nom", "nb_communes", "population", "logements_sociaux",
             "residences_principales", "taux_logements_sociaux", "communes_acv",
             "communes_pvd", "communes_ami_centres_bourgs", "communes_villages_avenir",
             "ort_signees", *FACT_KEYS[1:], "evolution_annuelle_ls_2019_2023",
             "nb_communes_hors_region", "population_hors_region"]


@pytest.fixture
def run(built: Path, raw_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setenv("AURA_RAW_DIR", str(raw_dir))

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["summary", *args, "--table", str(served_dir(built) / "communes.parquet")])
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


def test_epci_summary_keys_and_values(run):
    code, out, _ = run("--epci", "200000001")
    assert code == 0
    data = json.loads(out)
    assert list(data) == EPCI_KEYS
    rp = 10000 + 1700 + 14000  # census households
    assert data["epci_nom"] == "EPCI 200000001"
    assert data["nb_communes"] == 3
    assert data["population"] == 54000
    assert data["logements_sociaux"] == 2150
    assert data["residences_principales"] == pytest.approx(rp)
    assert data["taux_logements_sociaux"] == pytest.approx(100 * 2150 / rp)  # not rounded
    # PVD 2024: 01001 only (01002 is in the 2021 list only: it left the programme).
    assert (data["communes_acv"], data["communes_pvd"], data["communes_ami_centres_bourgs"],
            data["ort_signees"]) == (2, 1, 0, 1)


def test_commune_departement_and_region_summaries(run):
    code, out, _ = run("--commune", "69123")
    data = json.loads(out)
    assert code == 0 and data["code_insee"] == "69123" and data["nom"] == "Lyon"
    assert data["logements_sociaux"] == 4000
    assert data["taux_logements_sociaux"] == pytest.approx(100 * 4000 / 5500)
    assert data["acv"] is True
    assert "acv_phase" not in data and "sru_seuil_applicable" not in data  # not sourced
    code, out, _ = run("--departement", "01")
    data = json.loads(out)
    assert code == 0 and data["departement"] == "01" and data["nb_communes"] == 5
    assert list(data)[2:] == EPCI_KEYS[2:-3]
    code, out, _ = run("--region")
    data = json.loads(out)
    assert code == 0 and data["region"] == "84" and data["nb_communes"] == 6
    assert data["logements_sociaux"] == 2150 + 4120
    assert data["region_nom"] == "Auvergne-Rhône-Alpes"


def test_official_facts_of_an_epci_and_a_region(run):
    data = json.loads(run("--epci", "200000001")[1])
    # SRU: Alpha (déficitaire, 12 345,60 €) and Gamma (no inventory); Bêta is a pôle
    # (centre structurant) that left PVD; Alpha has 2 QPV; growth as published.
    assert {k: data[k] for k in FACT_KEYS} == {
        "communes_villages_avenir": 0, "communes_pvd_2024": 1, "communes_sru_soumises": 2,
        "communes_sru_deficitaires": 1, "communes_sru_carencees": 0,
        "sru_prelevement_2025": 12345.6, "poles_hors_programme": 1, "communes_avec_qpv": 1,
        "qpv_2024": 2}
    assert data["evolution_annuelle_ls_2019_2023"] == 1.5
    data = json.loads(run("--region")[1])
    # Lyon's two arrondissements share QN003: 3 distinct QPV over 2 communes
    assert (data["communes_avec_qpv"], data["qpv_2024"]) == (2, 3)
    assert (data["communes_villages_avenir"], data["communes_pvd_2024"]) == (1, 2)


def test_official_facts_of_a_commune(run):
    data = json.loads(run("--commune", "01001")[1])
    assert {k: data[k] for k in ("sru_soumise", "sru_deficitaire", "sru_carencee",
                                 "sru_exemptee", "sru_taux", "sru_taux_cible",
                                 "sru_logements_sociaux_inventaire", "sru_prelevement_2025",
                                 "pvd_2024", "pvd_date_adhesion", "pvd_jalon_ort",
                                 "villages_avenir", "qpv_2024", "centralite",
                                 "pole_hors_programme")} == {
        "sru_soumise": True, "sru_deficitaire": True, "sru_carencee": False,
        "sru_exemptee": False, "sru_taux": 18.5, "sru_taux_cible": 25,
        "sru_logements_sociaux_inventaire": 1850, "sru_prelevement_2025": 12345.6,
        "pvd_2024": True, "pvd_date_adhesion": "2018-06-13",
        "pvd_jalon_ort": "ORT signée dans les 18 mois", "villages_avenir": False, "qpv_2024": 2,
        "centralite": "Centre majeur d'équipements et de services",
        "pole_hors_programme": False}
    gamma = json.loads(run("--commune", "01004")[1])  # subject, "Pas d'inventaire"
    assert (gamma["sru_soumise"], gamma["sru_taux"], gamma["sru_taux_cible"],
            gamma["sru_logements_sociaux_inventaire"]) == (True, None, 20, None)
    delta = json.loads(run("--commune", "01005")[1])  # not subject: nulls
    assert (delta["sru_soumise"], delta["sru_taux"], delta["sru_taux_cible"],
            delta["sru_prelevement_2025"], delta["villages_avenir"]) == (
        False, None, None, None, True)
    epsilon = json.loads(run("--commune", "01006")[1])
    assert epsilon["recensement_statut"] == "absent du recensement"
    assert epsilon["rp_recensement_2021"] is None


def test_rhone_halves_69d_and_69m(run):
    # In the fixture, Lyon (69123) sits in a CC: no commune of the Métropole de Lyon.
    code, out, err = run("--departement", "69D")
    data = json.loads(out)
    assert code == 0 and data["departement"] == "69D" and data["nb_communes"] == 1
    assert data["departement_nom"] == "Rhône (hors Métropole de Lyon)"
    code, out, err = run("--departement", "69M")
    assert code == 2 and out == "" and err == "erreur : département inconnu : '69M'\n"


@pytest.mark.parametrize("args", [("--epci", "999999999"), ("--commune", "1004"),
                                  ("--departement", "99"), ("--region", "11")])
def test_unknown_code_exits_2_with_one_line(run, args):
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("erreur : ") and "inconnu" in err


def test_summary_on_the_real_table_through_python_m():
    proc = subprocess.run([sys.executable, "-m", "dashboard.data", "summary", "--epci",
                           "200072015"], capture_output=True, text=True, cwd=config.ROOT,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == EPCI_KEYS
    assert data["epci_nom"] == "CA Annonay Rhône Agglo"
    assert round(data["taux_logements_sociaux"], 1) == 15.5
    assert data["evolution_annuelle_ls_2019_2023"] == 0.7
    for code, name, share, subject in (("69M", "Métropole de Lyon", 24.0, 44),
                                       ("69D", "Rhône (hors Métropole de Lyon)", 13.0, 21)):
        proc = subprocess.run([sys.executable, "-m", "dashboard.data", "summary",
                               "--departement", code], capture_output=True, text=True,
                              cwd=config.ROOT, check=False)
        data = json.loads(proc.stdout)
        assert data["departement_nom"] == name
        assert round(data["taux_logements_sociaux"], 1) == share
        assert data["communes_sru_soumises"] == subject
    proc = subprocess.run([sys.executable, "-m", "dashboard.data", "summary", "--epci", "x"],
                          capture_output=True, text=True, cwd=config.ROOT, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == "erreur : EPCI inconnu : 'x' (aucune commune de la table)"


def test_usage_errors_exit_2_in_french(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["summary"])
    assert exc.value.code == 2
    assert "erreur :" in capsys.readouterr().err
