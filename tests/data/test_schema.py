"""Each contract violation gives one readable French line (column, rows, what)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard import config
from dashboard.data import store
from dashboard.data.atomic import served_dir
from dashboard.data.cli import main
from dashboard.data.schema import TableError, check_frame, commune_contract, read_table

REAL = served_dir(config.ROOT / "data") / "communes.parquet"


@pytest.fixture(scope="module")
def good() -> pd.DataFrame:
    return pd.read_parquet(REAL)


@pytest.fixture(scope="module")
def contract():
    return commune_contract(store.epci_reference(config.ROOT / "data" / "raw"))


def problems(df: pd.DataFrame, contract) -> list[str]:
    return check_frame(df, contract)


def only(lines: list[str]) -> str:
    assert len(lines) == 1, lines
    return lines[0]


def test_committed_table_is_valid(good, contract):
    assert problems(good, contract) == []
    assert len(good) == 4025


def test_missing_column(good, contract):
    line = only(problems(good.drop(columns="population"), contract))
    assert line == "colonne « population » absente"


def test_misnamed_column_suggests_the_right_name(good, contract):
    lines = problems(good.rename(columns={"logements_sociaux": "logement_sociaux"}), contract)
    assert "colonne « logements_sociaux » absente ; une colonne « logement_sociaux » est " \
           "présente : mal nommée ?" in lines
    assert "colonne « logement_sociaux » inconnue (voulait-on dire « logements_sociaux » ?)" \
           in lines


def test_wrong_type(good, contract):
    df = good.copy()
    df["population"] = df["population"].astype("float64") + 0.5
    line = only(problems(df, contract))
    assert "colonne « population »" in line and "type incorrect" in line and "entier" in line


def test_duplicated_codes(good, contract):
    df = pd.concat([good, good.iloc[[3]]], ignore_index=True)
    line = only(problems(df, contract))
    assert line.startswith("colonne « code_insee », lignes 4, 4026 : valeur en double")


def test_insee_code_that_lost_its_leading_zero(good, contract):
    df = good.copy()
    df.loc[3, "code_insee"] = "1004"
    line = only(problems(df, contract))
    assert line.startswith("colonne « code_insee », ligne 4 : code INSEE mal formé")
    assert "zéro initial" in line and "'1004'" in line
    assert "« 1004 » doit s'écrire « 01004 »" in line
    df.loc[3, "code_insee"] = "3185"
    assert "« 3185 » doit s'écrire « 03185 »" in only(problems(df, contract))


def test_integer_codes_in_parquet_are_refused(good, contract, tmp_path: Path):
    df = good.copy()
    df["code_insee"] = df["code_insee"].astype(int)
    path = tmp_path / "t.parquet"
    df.to_parquet(path)
    _, lines = read_table(path, contract)
    assert any("colonne « code_insee » : type incorrect, attendu texte" in ln for ln in lines)
    assert any("zéro initial" in ln for ln in lines)


@pytest.mark.parametrize(("column", "rows", "values", "expected", "also"), [
    ("logements_sociaux", [0, 9], [-3, -1],
     "colonne « logements_sociaux », lignes 1, 10 : valeur négative (ex. : -3, -1)", ""),
    ("taux_logements_sociaux", [5], [130.0],
     "colonne « taux_logements_sociaux », ligne 6 : valeur hors de l'intervalle 0–100 %", ""),
    ("epci_siren", [7], ["299999999"],
     "colonne « epci_siren », ligne 8 : code absent de la liste des EPCI 2026 "
     "(ex. : '299999999')", ""),
    ("nom", [3], ["AmbÃ©rieu-en-Bugey"], "colonne « nom », ligne 4 : texte mal encodé", ""),
    ("ort_statut", [0], ["Signé"], "colonne « ort_statut », ligne 1 : valeur hors liste",
     "Signée"),
], ids=["negative", "outside-0-100", "unknown-epci", "mis-encoded", "closed-list"])
def test_one_kind_of_bad_value_gives_one_line(good, contract, column, rows, values, expected,
                                              also):
    df = good.copy()
    df.loc[rows, column] = values
    line = only(problems(df, contract))
    assert line.startswith(expected) and also in line


def test_csv_rows_are_file_lines_and_bad_values_are_named(good, contract, tmp_path: Path):
    path = tmp_path / "t.csv"
    df = good.head(5).copy()
    df.to_csv(path, index=False)
    text = path.read_text("utf-8").splitlines()
    cells = text[2].split(",")
    cells[good.columns.get_loc("population")] = "beaucoup"
    text[2] = ",".join(cells)
    path.write_text("\n".join(text) + "\n", "utf-8")
    frame, lines = read_table(path, contract)
    assert frame is None
    assert only(lines) == ("colonne « population », ligne 3 : type incorrect, attendu un nombre "
                           "entier (ex. : 'beaucoup')")


def test_csv_good_table_round_trips(good, contract, tmp_path: Path):
    path = tmp_path / "t.csv"
    good.to_csv(path, index=False)
    frame, lines = read_table(path, contract)
    assert lines == []
    pd.testing.assert_frame_equal(frame, good, check_dtype=False)


def test_unreadable_and_missing_files(tmp_path: Path, contract):
    _, lines = read_table(tmp_path / "absent.parquet", contract)
    assert lines == [f"fichier introuvable : {tmp_path / 'absent.parquet'}"]
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not a parquet file")
    _, lines = read_table(bad, contract)
    assert only(lines).startswith("bad.parquet : lecture impossible")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("code_insee,nom\n01004,Ambérieu\n".encode("latin-1"))
    _, lines = read_table(latin, contract)
    assert "UTF-8" in only(lines)


def test_table_error_message_lists_every_problem():
    err = TableError("x.parquet", ["a", "b"])
    assert err.message() == "Le fichier x.parquet n'est pas valide (2 problèmes) :\n- a\n- b"
    assert TableError("x.csv", ["a"]).message() == (
        "Le fichier x.csv n'est pas valide (1 problème) :\n- a")


def test_validate_cli_exit_codes(good, tmp_path: Path, capsys):
    assert main(["validate", str(REAL)]) == 0
    assert "table valide" in capsys.readouterr().out
    df = good.copy()
    df.loc[0, "logements_sociaux"] = -1
    df.loc[1, "code_insee"] = "1004"
    bad = tmp_path / "bad.parquet"
    df.to_parquet(bad)
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "- colonne « logements_sociaux », ligne 1 : valeur négative" in err
    assert "- colonne « code_insee », ligne 2 : code INSEE mal formé" in err
    assert main(["validate", str(tmp_path / "nope.csv")]) == 1
    assert "fichier introuvable" in capsys.readouterr().err
