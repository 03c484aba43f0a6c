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

EPCI_KEYS = ["epci_siren", "epci_nom", "nb_communes", "population", "logements_sociaux",
             "residences_principales", "taux_logements_sociaux", "communes_acv",
             "communes_pvd", "communes_ami_centres_bourgs", "ort_signees"]


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
    rp = 10000 + 2500 + 30000 * 12500 / 24000
    assert data["epci_nom"] == "EPCI 200000001"
    assert data["nb_communes"] == 3
    assert data["population"] == 54000
    assert data["logements_sociaux"] == 2150
    assert data["residences_principales"] == pytest.approx(rp)
    assert data["taux_logements_sociaux"] == pytest.approx(100 * 2150 / rp)  # not rounded
    assert (data["communes_acv"], data["communes_pvd"], data["communes_ami_centres_bourgs"],
            data["ort_signees"]) == (2, 1, 0, 1)


def test_commune_departement_and_region_summaries(run):
    code, out, _ = run("--commune", "69123")
    data = json.loads(out)
    assert code == 0 and data["code_insee"] == "69123" and data["nom"] == "Lyon"
    assert data["logements_sociaux"] == 4000 and data["taux_logements_sociaux"] == 40.0
    assert data["acv"] is True and data["acv_phase"] == 2
    code, out, _ = run("--departement", "01")
    data = json.loads(out)
    assert code == 0 and data["departement"] == "01" and data["nb_communes"] == 5
    assert list(data)[2:] == EPCI_KEYS[2:]
    code, out, _ = run("--region")
    data = json.loads(out)
    assert code == 0 and data["region"] == "84" and data["nb_communes"] == 6
    assert data["logements_sociaux"] == 2150 + 4120
    assert data["region_nom"] == "Auvergne-Rhône-Alpes"


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
    assert round(data["taux_logements_sociaux"], 1) == 15.4
    proc = subprocess.run([sys.executable, "-m", "dashboard.data", "summary", "--epci", "x"],
                          capture_output=True, text=True, cwd=config.ROOT, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == "erreur : EPCI inconnu : 'x' (aucune commune de la table)"


def test_usage_errors_exit_2_in_french(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["summary"])
    assert exc.value.code == 2
    assert "erreur :" in capsys.readouterr().err
