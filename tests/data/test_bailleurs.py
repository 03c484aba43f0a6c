"""Landlord engagement table: contract, files, demo, indicators and CLI."""

from __future__ import annotations

import datetime as dt
import io
import math
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard import config, registry
from dashboard.data import bailleurs as b
from dashboard.data import docs, store
from dashboard.data.aggregate import UnknownCode
from dashboard.data.atomic import served_dir
from dashboard.data.cli import main
from dashboard.data.schema import TableError

REAL_COMMUNES = served_dir(config.ROOT / "data") / "communes.parquet"
HEADER = ",".join(b.ENGAGEMENT_COLUMN_NAMES)

L1 = ("Bailleur fictif A – OPH démo", "000000101", "OPH")
L2 = ("Bailleur fictif B – ESH démo", "000000102", "ESH")
L3 = ("Bailleur fictif C – SEM démo", "000000103", "SEM")


def communes_frame() -> pd.DataFrame:
    """Seven communes: EPCI A (3, two in programmes), B (2, both), C (1, none), one without EPCI."""
    rows = [
        # code, nom, dep, epci, epci_nom, acv, pvd, ami, ort
        ("01001", "Alpha", "01", "200000001", "CC A", True, False, False, None),
        ("01002", "Bravo", "01", "200000001", "CC A", False, True, False, "Non signée"),
        ("01003", "Charlie", "01", "200000001", "CC A", False, False, False, "Non signée"),
        ("02001", "Delta", "03", "200000002", "CA B", False, False, False, "Signée"),
        ("02002", "Echo", "03", "200000002", "CA B", False, False, True, None),
        ("03001", "Foxtrot", "07", "200000003", "CC C", False, False, False, None),
        ("04001", "Golf", "15", None, None, False, True, False, None),
    ]
    df = pd.DataFrame(rows, columns=["code_insee", "nom", "departement", "epci_siren",
                                     "epci_nom", "acv", "pvd", "ami_centres_bourgs",
                                     "ort_statut"])
    df["pvd_2024"] = df["pvd"]  # the registry's PVD is the January 2024 list
    df["villages_avenir"] = False
    return df


def engagements_frame(demo: bool = False) -> pd.DataFrame:
    rows = [
        (*L1, "01001", "ACV", "opération engagée", 10),
        (*L1, "01002", "PVD", "sollicité", 0),
        (*L2, "01001", "ACV", "partenaire de la convention", 5),
        (*L2, "01001", "ORT", "opération livrée", 20),  # 01001 has no signed ORT: warning
        (*L3, "02001", "ORT", "non sollicité", 0),
        (*L3, "02002", "AMI centres-bourgs", "opération livrée", 30),
        (*L2, "03001", "PVD", "opération livrée", 7),  # not a programme commune: warning
    ]
    df = pd.DataFrame(rows, columns=list(b.ENGAGEMENT_COLUMN_NAMES[:7]))
    df["date_information"] = pd.Timestamp("2024-05-01")
    df["donnees_demonstration"] = demo
    return df


@pytest.fixture
def communes() -> pd.DataFrame:
    return communes_frame()


@pytest.fixture
def eng() -> pd.DataFrame:
    return engagements_frame()


def only(lines: list[str]) -> str:
    assert len(lines) == 1, lines
    return lines[0]


# --- constants ---------------------------------------------------------------------------

def test_scale_and_threshold():
    assert b.ENGAGEMENT_LEVELS == ("non sollicité", "sollicité", "partenaire de la convention",
                                   "opération engagée", "opération livrée")
    assert b.ENGAGED_FROM == "partenaire de la convention"
    assert b.ENGAGED_RANK == 2
    assert b.KEY_COLUMN == "bailleur_siren"
    ranks = b.level_rank(pd.Series(["sollicité", "opération livrée", "inconnu"]))
    assert ranks.tolist()[:2] == [1, 4] and pd.isna(ranks.iloc[2])


# --- indicators --------------------------------------------------------------------------

def test_engaged(eng):
    out = b.engaged(eng)
    assert out.index.tolist() == [0, 2, 3, 5, 6]
    assert set(out["niveau_engagement"]) == {"opération engagée", "partenaire de la convention",
                                             "opération livrée"}


def test_engagement_by_epci(eng, communes):
    out = b.engagement_by_epci(eng, communes).set_index("epci_siren")
    assert list(out.index) == ["200000001", "200000002", "200000003"]  # no EPCI: left out
    a, bb, c = out.loc["200000001"], out.loc["200000002"], out.loc["200000003"]
    assert (a["epci_nom"], a["communes_programme"], a["communes_engagees"],
            a["bailleurs_engages"]) == ("CC A", 2, 1, 2)
    assert a["taux_engagement"] == pytest.approx(50.0)
    assert (bb["communes_programme"], bb["communes_engagees"], bb["bailleurs_engages"]) == (2, 1, 1)
    assert bb["taux_engagement"] == pytest.approx(50.0)
    # C has no programme commune: the row of 03001 is not counted, the rate is NaN
    assert (c["communes_programme"], c["communes_engagees"], c["bailleurs_engages"]) == (0, 0, 0)
    assert math.isnan(c["taux_engagement"])


def test_engagement_by_epci_without_rows(communes):
    out = b.engagement_by_epci(engagements_frame().iloc[0:0], communes)
    assert out["communes_engagees"].tolist() == [0, 0, 0]
    assert out["taux_engagement"].iloc[0] == 0.0


def test_matrix_epci(eng, communes):
    m = b.matrix(eng, communes, "200000001")
    assert list(m.columns) == ["bailleur_siren", "bailleur_nom", "bailleur_type", "code_insee",
                               "commune_nom", "niveau", "niveau_libelle"]
    got = {(r.bailleur_siren, r.code_insee): (None if pd.isna(r.niveau) else int(r.niveau),
                                              None if pd.isna(r.niveau_libelle)
                                              else r.niveau_libelle)
           for r in m.itertuples()}
    assert got == {
        ("000000101", "01001"): (3, "opération engagée"),
        ("000000101", "01002"): (1, "sollicité"),
        ("000000102", "01001"): (4, "opération livrée"),  # highest of ACV / ORT rows
        ("000000102", "01002"): (None, None),
    }
    wide = m.pivot(index="bailleur_nom", columns="commune_nom", values="niveau")
    assert wide.shape == (2, 2)


def test_matrix_region(eng, communes):
    m = b.matrix(eng, communes)
    assert m["bailleur_siren"].nunique() == 3
    assert sorted(m["code_insee"].unique()) == ["01001", "01002", "02001", "02002", "04001"]
    assert len(m) == 15
    assert "03001" not in set(m["code_insee"])


def test_matrix_empty_and_unknown(communes):
    m = b.matrix(engagements_frame(), communes, "200000003")
    assert m.empty and "niveau" in m.columns
    with pytest.raises(UnknownCode):
        b.matrix(engagements_frame(), communes, "999999999")


def test_counts_by_type(eng, communes):
    out = b.counts_by_type(eng, communes).set_index("bailleur_type")
    assert list(out.index) == ["OPH", "ESH", "Coopérative", "SEM"]
    assert out.loc["OPH"].tolist() == [1, 1, 1]
    assert out.loc["ESH"].tolist() == [1, 1, 2]  # row on 03001 (no programme) not counted
    assert out.loc["Coopérative"].tolist() == [0, 0, 0]
    assert out.loc["SEM"].tolist() == [1, 1, 1]
    b_only = b.counts_by_type(eng, communes, "200000002").set_index("bailleur_type")
    assert b_only["bailleurs"].tolist() == [0, 0, 0, 1]
    assert b_only["lignes_engagees"].tolist() == [0, 0, 0, 1]


def test_summary_epci(eng, communes):
    s = b.summary_epci(eng, communes, "200000001")
    assert s == {"epci_siren": "200000001", "epci_nom": "CC A", "communes_programme": 2,
                 "communes_engagees": 1, "taux_engagement": 50.0, "bailleurs": 2,
                 "bailleurs_engages": 2, "logements_engages": 35,
                 "donnees_demonstration": False}
    c = b.summary_epci(eng, communes, "200000003")
    assert c["communes_programme"] == 0 and c["taux_engagement"] is None
    assert b.summary_epci(engagements_frame(demo=True), communes,
                          "200000002")["donnees_demonstration"] is True
    with pytest.raises(UnknownCode):
        b.summary_epci(eng, communes, "123456789")


REAL_SIREN = "732829320"  # passes the check digit of every real SIREN


def test_is_demonstration(eng):
    assert not b.is_demonstration(eng)
    demo = eng.assign(donnees_demonstration=True)  # all flagged, fictitious SIREN
    assert b.is_demonstration(demo)
    assert not b.is_demonstration(eng.iloc[0:0])
    assert not b.is_demonstration(demo.iloc[0:0])


def test_one_stray_demo_cell_does_not_label_a_real_file(eng):
    mixed = eng.copy()
    mixed.loc[2, "donnees_demonstration"] = True
    assert not b.is_demonstration(mixed)
    # Every row flagged, but the landlords are real (valid SIREN): still real data.
    real = eng.assign(donnees_demonstration=True, bailleur_siren=REAL_SIREN)
    assert not b.is_demonstration(real)
    one_real = eng.assign(donnees_demonstration=True)
    one_real.loc[0, "bailleur_siren"] = REAL_SIREN
    assert not b.is_demonstration(one_real)
    # One False cell in the demonstration table makes it no longer all-demo.
    demo = eng.assign(donnees_demonstration=True)
    demo.loc[0, "donnees_demonstration"] = False
    assert not b.is_demonstration(demo)


def test_committed_demo_file_is_demonstration_and_real_rows_are_not(communes):
    demo = pd.read_csv(b.demo_path(), dtype=str)
    demo["donnees_demonstration"] = demo["donnees_demonstration"] == "True"
    assert b.is_demonstration(demo)
    assert not b.is_demonstration(demo.assign(bailleur_siren=REAL_SIREN))


def test_stray_demo_flag_is_a_warning_in_validate(tmp_path, communes):
    rows = replace("donnees_demonstration", "True", row=1)
    frame, problems, warnings = check(write_csv(tmp_path / "e.csv", rows), communes)
    assert problems == [] and not b.is_demonstration(frame)
    assert warnings == [
        "colonne « donnees_demonstration », ligne 3 : True dans un fichier qui n'est pas le "
        "fichier de démonstration (toutes les lignes n'ont pas True ou des SIREN sont réels) : "
        "ignoré, le fichier est traité comme des données réelles ; mettre False"]


def test_programme_warnings(eng, communes):
    lines = b.programme_warnings(eng, communes)
    assert len(lines) == 2
    pvd = next(w for w in lines if "« PVD »" in w)
    ort = next(w for w in lines if "« ORT »" in w)
    assert pvd.startswith("colonne « programme », ligne 8 : programme « PVD »")
    assert "'03001'" in pvd
    assert ort.startswith("colonne « programme », ligne 5 : programme « ORT »")
    assert "ORT signée" in ort


def test_every_registered_programme_is_an_allowed_contract_value():
    spec = next(c for c in b.ENGAGEMENT_COLUMNS if c.name == "programme")
    assert registry.KEYS  # the loop below checks something
    for programme in registry.PROGRAMMES:
        assert programme.key in spec.allowed, programme.key
    assert tuple(spec.allowed) == registry.KEYS  # and nothing the registry does not know
    assert b.PROGRAMMES == registry.KEYS  # the template's drop-down list


def test_programme_rule_is_the_registry_one(communes):
    assert b.programme_mask is registry.programme_mask
    expected = registry.programme_mask(communes)
    names = b.programme_commune_names(communes)
    assert names == sorted(communes.loc[expected, "nom"])


# --- files and validation ----------------------------------------------------------------

GOOD_ROWS = [
    "Bailleur fictif A – OPH démo,000000101,OPH,01001,ACV,opération engagée,10,2024-05-01,False",
    "Bailleur fictif B – ESH démo,000000102,ESH,02001,ORT,sollicité,0,2023-12-31,False",
]


def write_csv(path: Path, rows: list[str], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def check(path: Path, communes: pd.DataFrame) -> b.EngagementCheck:
    return b.check_engagements(path, communes)


def test_good_csv(tmp_path, communes):
    frame, problems, warnings = check(write_csv(tmp_path / "e.csv", GOOD_ROWS), communes)
    assert problems == [] and warnings == []
    assert list(frame.columns) == list(b.ENGAGEMENT_COLUMN_NAMES)
    assert frame["logements_concernes"].tolist() == [10, 0]
    assert frame["date_information"].iloc[0] == pd.Timestamp("2024-05-01")
    assert frame["donnees_demonstration"].dtype == bool
    assert frame["code_insee"].tolist() == ["01001", "02001"]


def test_semicolon_and_bom_csv(tmp_path, communes):
    rows = [r.replace(",", ";") for r in GOOD_ROWS]
    path = tmp_path / "e.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join([HEADER.replace(",", ";"), *rows]) + "\n")
                     .encode("utf-8"))
    assert check(path, communes).problems == []


def replace(field: str, value: str, row: int = 0) -> list[str]:
    rows = [r.split(",") for r in GOOD_ROWS]
    rows[row][b.ENGAGEMENT_COLUMN_NAMES.index(field)] = value
    return [",".join(r) for r in rows]


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("bailleur_siren", "12345",
     "colonne « bailleur_siren », ligne 2 : format incorrect pour bailleur_siren "
     "(ex. : '12345')"),
    ("bailleur_type", "SA HLM",
     "colonne « bailleur_type », ligne 2 : valeur hors liste (valeurs permises : OPH, ESH, "
     "Coopérative, SEM) (ex. : 'SA HLM')"),
    ("niveau_engagement", "engagé",
     "colonne « niveau_engagement », ligne 2 : valeur hors liste (valeurs permises : "
     "non sollicité, sollicité, partenaire de la convention, opération engagée, "
     "opération livrée) (ex. : 'engagé')"),
    ("programme", "NPNRU",
     "colonne « programme », ligne 2 : valeur hors liste (valeurs permises : ACV, PVD, "
     "AMI centres-bourgs, VA, ORT) (ex. : 'NPNRU')"),
    ("date_information", "15/03/2024",
     "colonne « date_information », ligne 2 : type incorrect, attendu une date AAAA-MM-JJ "
     "(ex. : '15/03/2024')"),
    ("logements_concernes", "-3",
     "colonne « logements_concernes », ligne 2 : valeur négative (ex. : -3)"),
    ("logements_concernes", "douze",
     "colonne « logements_concernes », ligne 2 : type incorrect, attendu un nombre entier "
     "(ex. : 'douze')"),
    ("code_insee", "99999",
     "colonne « code_insee », ligne 2 : code absent de la table des communes (ex. : '99999')"),
    ("donnees_demonstration", "peut-être",
     "colonne « donnees_demonstration », ligne 2 : type incorrect, attendu True ou False "
     "(ex. : 'peut-être')"),
    ("bailleur_siren", "",
     "colonne « bailleur_siren », ligne 2 : valeur manquante"),
])
def test_each_error_gives_one_french_line(tmp_path, communes, field, value, expected):
    path = write_csv(tmp_path / "e.csv", replace(field, value))
    frame, problems, _ = check(path, communes)
    assert frame is None
    assert only(problems) == expected


def test_mis_encoded_text(tmp_path, communes):
    path = write_csv(tmp_path / "e.csv", replace("bailleur_nom", "Office public de lâ€™Ain Ã©"))
    line = only(check(path, communes).problems)
    assert line.startswith("colonne « bailleur_nom », ligne 2 : texte mal encodé")
    assert "UTF-8" in line


def test_missing_column(tmp_path, communes):
    header = HEADER.replace("bailleur_type,", "")
    rows = [",".join(p for i, p in enumerate(r.split(",")) if i != 2) for r in GOOD_ROWS]
    problems = check(write_csv(tmp_path / "e.csv", rows, header), communes).problems
    assert only(problems) == "colonne « bailleur_type » absente"


def test_misnamed_column(tmp_path, communes):
    header = HEADER.replace("bailleur_type", "bailleur_typ")
    problems = check(write_csv(tmp_path / "e.csv", GOOD_ROWS, header), communes).problems
    assert problems[0].startswith("colonne « bailleur_type » absente ; une colonne "
                                  "« bailleur_typ » est présente")


def test_duplicate_key(tmp_path, communes):
    rows = [*GOOD_ROWS, GOOD_ROWS[0].replace("opération engagée", "sollicité")]
    line = only(check(write_csv(tmp_path / "e.csv", rows), communes).problems)
    assert line == ("clé (bailleur_siren, code_insee, programme), lignes 2, 4 : combinaison en "
                    "double, chaque combinaison doit être unique "
                    "(ex. : '000000101 / 01001 / ACV')")
    # same landlord and commune in another programme is fine
    other = GOOD_ROWS[0].replace(",ACV,", ",PVD,").replace("01001", "01002")
    assert check(write_csv(tmp_path / "f.csv", [*GOOD_ROWS, other]), communes).problems == []


def test_warning_is_not_an_error(tmp_path, communes):
    rows = [*GOOD_ROWS, GOOD_ROWS[0].replace(",ACV,", ",PVD,")]  # 01001 is not PVD
    frame, problems, warnings = check(write_csv(tmp_path / "e.csv", rows), communes)
    assert problems == [] and frame is not None and len(frame) == 3
    assert only(warnings).startswith("colonne « programme », ligne 4 : programme « PVD »")


def test_not_utf8_and_missing_file(tmp_path, communes):
    path = tmp_path / "e.csv"
    path.write_bytes(("\n".join([HEADER, GOOD_ROWS[0]]) + "\n").encode("latin-1",
                                                                        errors="replace"))
    assert "n'est pas encodé en UTF-8" in only(check(path, communes).problems)
    assert only(check(tmp_path / "absent.csv", communes).problems).startswith(
        "fichier introuvable")


# --- template ----------------------------------------------------------------------------

@pytest.fixture
def templates(tmp_path) -> Path:
    out = tmp_path / "templates"
    b.write_templates(out)
    return out


def test_template_files(templates):
    assert (templates / b.TEMPLATE_CSV).read_text("utf-8") == HEADER + "\n"
    wb = openpyxl.load_workbook(templates / b.TEMPLATE_XLSX)
    assert wb.sheetnames == ["Données", "Instructions"]
    assert [c.value for c in wb["Données"][1]] == list(b.ENGAGEMENT_COLUMN_NAMES)
    lists = {str(dv.sqref).split(":")[0][0]: dv.formula1
             for dv in wb["Données"].data_validations.dataValidation if dv.type == "list"}
    assert lists == {"C": '"OPH,ESH,Coopérative,SEM"', "E": '"ACV,PVD,AMI centres-bourgs,VA,ORT"',
                     "F": '"' + ",".join(b.ENGAGEMENT_LEVELS) + '"', "I": '"True,False"'}
    text = " ".join(str(v) for row in wb["Instructions"].iter_rows(values_only=True)
                    for v in row if v is not None)
    for needle in (*b.ENGAGEMENT_COLUMN_NAMES, *b.ENGAGEMENT_LEVELS,
                   "engagements_bailleurs.xlsx", "data/"):
        assert needle in text


def test_empty_template_has_right_structure(templates, communes):
    # A header-only file has every column: its only problem is that it has no row.
    for name in (b.TEMPLATE_CSV, b.TEMPLATE_XLSX):
        assert check(templates / name, communes).problems == ["la table ne contient aucune ligne"]


def test_template_is_byte_stable(tmp_path, templates):
    again = tmp_path / "again"
    b.write_templates(again)
    for name in (b.TEMPLATE_CSV, b.TEMPLATE_XLSX):
        assert (templates / name).read_bytes() == (again / name).read_bytes()
    with zipfile.ZipFile(templates / b.TEMPLATE_XLSX) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2026-01-01T00:00:00Z</dcterms:modified>" in core


def test_committed_templates_are_current():
    shipped = config.ROOT / "data" / b.TEMPLATE_DIR
    assert (shipped / b.TEMPLATE_CSV).read_text("utf-8") == b.template_csv()
    fresh = zipfile.ZipFile(io.BytesIO(b.template_xlsx()))
    with zipfile.ZipFile(shipped / b.TEMPLATE_XLSX) as z:
        assert z.namelist() == fresh.namelist()
        for name in z.namelist():
            assert z.read(name) == fresh.read(name), name


def test_xlsx_round_trip(templates, tmp_path, communes):
    wb = openpyxl.load_workbook(templates / b.TEMPLATE_XLSX)
    ws = wb["Données"]
    ws.append(["Bailleur fictif A – OPH démo", "000000101", "OPH", "01001", "ACV",
               "opération engagée", 10, dt.datetime(2024, 5, 1), False])  # real Excel date
    ws.append(["Bailleur fictif B – ESH démo", "000000102", "ESH", "02001", "ORT", "sollicité",
               0, "2023-12-31", "False"])
    path = tmp_path / "engagements_bailleurs.xlsx"
    wb.save(path)
    frame, problems, warnings = check(path, communes)
    assert problems == [] and warnings == []
    assert frame["date_information"].tolist() == [pd.Timestamp("2024-05-01"),
                                                  pd.Timestamp("2023-12-31")]
    assert frame["donnees_demonstration"].tolist() == [False, False]


def test_csv_round_trip(templates, communes):
    path = templates / b.TEMPLATE_CSV
    path.write_text(path.read_text("utf-8") + "\n".join(GOOD_ROWS) + "\n", "utf-8")
    frame, problems, _ = check(path, communes)
    assert problems == [] and len(frame) == 2


# --- demonstration file ------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_communes() -> pd.DataFrame:
    return store.load_communes(REAL_COMMUNES)


def test_demo_is_deterministic(tmp_path, real_communes):
    b.write_demo(tmp_path / "a.csv", real_communes, seed=7)
    b.write_demo(tmp_path / "b.csv", real_communes, seed=7)
    b.write_demo(tmp_path / "c.csv", real_communes, seed=8)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()


def test_committed_demo_is_current(real_communes):
    shipped = config.ROOT / "data" / b.DEMO_DIR / b.DEMO_FILE
    assert shipped.read_bytes() == b.demo_csv(b.generate_demo(real_communes)).encode("utf-8")


def test_demo_content(real_communes):
    frame, problems, warnings = b.check_engagements(
        config.ROOT / "data" / b.DEMO_DIR / b.DEMO_FILE, real_communes)
    assert problems == [] and warnings == []  # programmes match the commune table
    programme_codes = set(real_communes.loc[b.programme_mask(real_communes), "code_insee"])
    assert set(frame["code_insee"]) <= programme_codes
    assert frame["donnees_demonstration"].all()
    assert 10 <= frame["bailleur_siren"].nunique() <= 15
    assert frame["bailleur_nom"].str.startswith("Bailleur fictif ").all()
    assert frame["bailleur_nom"].str.endswith(" démo").all()
    assert frame["bailleur_siren"].str.startswith("000000").all()
    assert not any(b.luhn_ok(s) for s in frame["bailleur_siren"].unique())
    per_commune = frame.groupby("code_insee")["bailleur_siren"].nunique()
    assert per_commune.max() <= 4
    assert set(frame["niveau_engagement"]) == set(b.ENGAGEMENT_LEVELS)
    assert set(frame["bailleur_type"]) == set(b.BAILLEUR_TYPES)
    rates = b.engagement_by_epci(frame, real_communes)["taux_engagement"].dropna()
    assert rates.min() == 0 and rates.max() == 100 and 20 < rates.median() < 80
    deps = frame.merge(real_communes[["code_insee", "departement"]], on="code_insee")
    spread = deps.groupby("bailleur_siren")["departement"].nunique()
    assert spread.min() >= 2 and spread.max() <= 4


def test_fictitious_sirens_fail_luhn():
    assert b.luhn_ok("732829320")  # a well-formed SIREN passes the check
    sirens = b.fictitious_sirens(13)
    assert len(set(sirens)) == 13
    assert all(len(s) == 9 and s.isdigit() and not b.luhn_ok(s) for s in sirens)


# --- real file versus demo ---------------------------------------------------------------

@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    (d / "communes.parquet").symlink_to(REAL_COMMUNES)
    monkeypatch.setenv("AURA_DATA_DIR", str(d))  # resets the store (tests/conftest.py)
    return d


def real_rows(real_communes: pd.DataFrame) -> list[str]:
    acv = real_communes[real_communes["acv"]]["code_insee"].iloc[0]
    pvd = real_communes[real_communes["pvd"]]["code_insee"].iloc[0]
    return [f"Office exemple,000000101,OPH,{acv},ACV,opération livrée,12,2025-01-15,False",
            f"Office exemple,000000101,OPH,{pvd},PVD,sollicité,0,2025-01-15,False"]


def test_demo_when_no_real_file(data_dir):
    assert b.engagements_path() == config.ROOT / "data" / b.DEMO_DIR / b.DEMO_FILE
    df = store.engagements_table()
    assert b.is_demonstration(df) and len(df) > 100


def test_real_file_takes_precedence(data_dir, real_communes):
    write_csv(data_dir / "engagements_bailleurs.csv", real_rows(real_communes))
    df = store.engagements_table()
    assert len(df) == 2 and not b.is_demonstration(df)
    assert b.engagements_path() == data_dir / "engagements_bailleurs.csv"


def test_real_xlsx_file(data_dir, real_communes):
    frame = pd.DataFrame([r.split(",") for r in real_rows(real_communes)],
                         columns=list(b.ENGAGEMENT_COLUMN_NAMES))
    frame.to_excel(data_dir / "engagements_bailleurs.xlsx", index=False)
    assert len(store.engagements_table()) == 2


def test_invalid_real_file_raises(data_dir, real_communes):
    rows = real_rows(real_communes)
    write_csv(data_dir / "engagements_bailleurs.csv", [rows[0].replace("OPH", "HLM")])
    with pytest.raises(TableError) as err:
        store.engagements_table()
    assert err.value.problems == [
        "colonne « bailleur_type », ligne 2 : valeur hors liste (valeurs permises : OPH, ESH, "
        "Coopérative, SEM) (ex. : 'HLM')"]


def test_two_real_files_raise(data_dir, real_communes):
    write_csv(data_dir / "engagements_bailleurs.csv", real_rows(real_communes))
    (data_dir / "engagements_bailleurs.xlsx").write_bytes(b"x")
    with pytest.raises(TableError, match="n'en garder qu'un"):
        store.engagements_table()


# --- dates from the future ---------------------------------------------------------------

def test_future_date_is_a_problem(tmp_path, communes):
    rows = replace("date_information", "2099-01-01", row=1)
    frame, problems, _ = b.check_engagements(write_csv(tmp_path / "e.csv", rows), communes,
                                             today=dt.date(2026, 11, 30))
    assert frame is None
    assert problems == [
        "colonne « date_information », ligne 3 : date postérieure à la date du jour "
        "(30/11/2026) : une information ne peut pas être datée du futur (ex. : '2099-01-01')"]


def test_date_of_the_day_is_accepted(tmp_path, communes):
    rows = replace("date_information", "2026-11-30")
    frame, problems, _ = b.check_engagements(write_csv(tmp_path / "e.csv", rows), communes,
                                             today=dt.date(2026, 11, 30))
    assert problems == [] and frame is not None
    frame, problems, _ = b.check_engagements(write_csv(tmp_path / "e.csv", rows), communes,
                                             today=dt.date(2026, 11, 29))
    assert frame is None and "30/11" not in problems[0] and "2026-11-30" in problems[0]


def test_future_date_in_validate_and_never_in_a_source_line(data_dir, real_communes, capsys):
    rows = real_rows(real_communes)
    rows[1] = rows[1].replace("2025-01-15", "2099-06-30")
    path = write_csv(data_dir / "engagements_bailleurs.csv", rows)
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "colonne « date_information », ligne 3 : date postérieure à la date du jour" in err
    with pytest.raises(TableError):
        store.engagements_table()  # the app never reaches the charts' "informations du … au 2099"


# --- a load, failed or not, is read once per version of the file --------------------------

@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """Records every actual read of an engagement file by `store.engagements_table`."""
    seen: list[Path] = []
    original = store.check_engagements

    def counting(path, *args, **kwargs):
        seen.append(Path(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(store, "check_engagements", counting)
    return seen


def test_failed_load_is_cached_until_the_file_changes(data_dir, real_communes, reads):
    rows = real_rows(real_communes)
    path = write_csv(data_dir / "engagements_bailleurs.csv", [rows[0].replace("OPH", "HLM")])
    for _ in range(3):
        with pytest.raises(TableError, match="bailleur_type"):
            store.engagements_table()
    assert len(reads) == 1
    write_csv(path, rows)  # fixed (another size): read again, now valid
    assert len(store.engagements_table()) == 2
    assert len(store.engagements_table()) == 2
    assert len(reads) == 2


def test_touched_file_is_read_again(data_dir, real_communes, reads):
    path = write_csv(data_dir / "engagements_bailleurs.csv", real_rows(real_communes))
    first = store.engagements_table()
    assert store.engagements_table() is first and len(reads) == 1
    st = path.stat()
    import os
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # same size, newer
    assert store.engagements_table() is not first
    assert len(reads) == 2


def test_replacing_the_real_file_by_nothing_goes_back_to_the_demo(data_dir, real_communes,
                                                                  reads):
    path = write_csv(data_dir / "engagements_bailleurs.csv", [real_rows(real_communes)[0]
                                                              .replace("OPH", "HLM")])
    with pytest.raises(TableError):
        store.engagements_table()
    path.unlink()
    assert b.is_demonstration(store.engagements_table())
    assert len(reads) == 2


def test_demonstration_flag_is_checked_once_per_version_of_the_file(data_dir, real_communes,
                                                                    monkeypatch):
    checks: list[bool] = []
    original = store.is_demonstration

    def counting(frame):
        checks.append(original(frame))
        return checks[-1]

    monkeypatch.setattr(store, "is_demonstration", counting)
    assert store.engagements().demo is True and store.engagements().demo is True
    assert checks == [True]  # the shipped demo file, checked once for both calls
    write_csv(data_dir / "engagements_bailleurs.csv", real_rows(real_communes))
    first = store.engagements()
    assert first.demo is False and first.frame is store.engagements().frame
    assert checks == [True, False]
    store.reset()  # forgets the table and its flag together
    assert store.engagements().demo is False and checks == [True, False, False]


# --- command line ------------------------------------------------------------------------

def test_cli_validate_good_csv_and_xlsx(tmp_path, capsys, real_communes):
    rows = real_rows(real_communes)
    path = write_csv(tmp_path / "e.csv", rows)
    assert main(["validate", str(path)]) == 0
    assert "table valide (bailleurs)" in capsys.readouterr().out
    xlsx = tmp_path / "e.xlsx"
    pd.DataFrame([r.split(",") for r in rows],
                 columns=list(b.ENGAGEMENT_COLUMN_NAMES)).to_excel(xlsx, index=False)
    assert main(["validate", str(xlsx)]) == 0
    assert "table valide (bailleurs)" in capsys.readouterr().out


def test_cli_validate_prints_warnings(tmp_path, capsys, real_communes):
    not_acv = real_communes[~real_communes["acv"]]["code_insee"].iloc[0]
    row = f"Office exemple,000000101,OPH,{not_acv},ACV,sollicité,0,2025-01-15,False"
    assert main(["validate", str(write_csv(tmp_path / "e.csv", [row]))]) == 0
    out = capsys.readouterr()
    assert "table valide" in out.out
    assert "avertissement : colonne « programme », ligne 2 : programme « ACV »" in out.err


def test_cli_validate_bad(tmp_path, capsys):
    path = write_csv(tmp_path / "e.csv",
                     [GOOD_ROWS[0].replace("01001", "99999").replace("000000101", "12")])
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("- ")]
    assert lines == [
        "- colonne « bailleur_siren », ligne 2 : format incorrect pour bailleur_siren "
        "(ex. : '12')",
        "- colonne « code_insee », ligne 2 : code absent de la table des communes "
        "(ex. : '99999')"]
    xlsx = tmp_path / "e.xlsx"
    pd.DataFrame([GOOD_ROWS[0].replace("OPH", "HLM").split(",")],
                 columns=list(b.ENGAGEMENT_COLUMN_NAMES)).to_excel(xlsx, index=False)
    assert main(["validate", str(xlsx)]) == 1
    assert "valeur hors liste" in capsys.readouterr().err


def test_cli_validate_template_and_unreadable(capsys, templates, tmp_path):
    assert main(["validate", "--kind", "bailleurs", str(templates / b.TEMPLATE_XLSX)]) == 1
    assert "la table ne contient aucune ligne" in capsys.readouterr().err
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert main(["validate", "--kind", "bailleurs", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "ce n'est pas un classeur Excel .xlsx" in err and "Traceback" not in err


def test_cli_demo_and_template(tmp_path, capsys):
    out = tmp_path / "demo.csv"
    assert main(["demo-bailleurs", "--seed", "3", "--out", str(out),
                 "--communes", str(REAL_COMMUNES)]) == 0
    assert "bailleurs fictifs" in capsys.readouterr().out
    assert out.read_text("utf-8").startswith(HEADER + "\n")
    assert main(["template-bailleurs", "--out", str(tmp_path / "t")]) == 0
    assert (tmp_path / "t" / b.TEMPLATE_XLSX).is_file()
    assert main(["demo-bailleurs", "--communes", str(tmp_path / "absent.parquet"),
                 "--out", str(tmp_path / "x.csv")]) == 1
    assert "fichier introuvable" in capsys.readouterr().err


# --- documentation -----------------------------------------------------------------------

def test_landlord_schema_section():
    lines = docs.landlord_section()
    text = "\n".join(lines)
    assert "| Colonne | Type | Unité | Définition | Source | Millésime |" in lines
    for name in b.ENGAGEMENT_COLUMN_NAMES:
        assert f"| `{name}` |" in text
    assert "partenaire de la convention" in text and "démonstration" in text
    assert text in docs.schema_markdown()


# --- views of the "Bailleurs" page -------------------------------------------------------

def test_in_departement(communes):
    assert b.in_departement(communes, None) is communes
    assert b.in_departement(communes, "03")["code_insee"].tolist() == ["02001", "02002"]


def test_scope_summary(eng, communes):
    region = b.scope_summary(eng, communes)
    # programme communes: 01001, 01002, 02001, 02002, 04001; engaged: 01001, 02002
    assert region == {"communes_programme": 5, "communes_engagees": 2,
                      "taux_engagement": pytest.approx(40.0), "bailleurs": 3,
                      "bailleurs_engages": 3}
    dep = b.scope_summary(eng, b.in_departement(communes, "07"))
    assert dep["communes_programme"] == 0 and dep["taux_engagement"] is None


def test_epci_rates_sorted_and_filtered(eng, communes):
    extra = communes.copy()
    extra.loc[len(extra)] = ["05001", "Hotel", "01", "200000004", "CC D", True, False, False,
                             None, False, False]
    out = b.epci_rates(eng, extra)
    # C has no programme commune: left out. "CC A" and "CA B" tie at 50 %: name order
    # ("CA B" first); "CC D" at 0 %.
    assert out["epci_siren"].tolist() == ["200000002", "200000001", "200000004"]
    assert out["taux_engagement"].tolist() == [50.0, 50.0, 0.0]
    assert b.epci_rates(eng, extra, "03")["epci_siren"].tolist() == ["200000002"]
    assert b.epci_rates(eng, extra, "07").empty


def test_cap_matrix_orders_and_caps(eng, communes):
    grid = b.matrix(eng, communes)
    full = b.cap_matrix(grid)
    assert (full.total_landlords, full.total_communes) == (3, 5)
    # engaged communes: L1 1 (01001), L2 1 (01001), L3 1 (02002); rows: L1 2, L2 1, L3 2
    assert full.landlords == ["000000101", "000000103", "000000102"]
    # landlords with a row: 01001 → 2, others 1; engaged: 02002 → 1, 01002/02001 → 0
    assert full.communes == ["01001", "02002", "01002", "02001", "04001"]
    small = b.cap_matrix(grid, max_landlords=2, max_communes=3)
    assert small.landlords == ["000000101", "000000103"]
    assert small.communes == ["01001", "02002", "01002"]
    assert len(small.frame) == 6 and (small.total_landlords, small.total_communes) == (3, 5)


def test_programme_commune_names_and_dates(eng, communes):
    assert b.programme_commune_names(communes) == ["Alpha", "Bravo", "Delta", "Echo", "Golf"]
    assert b.programme_commune_names(communes[communes["epci_siren"] == "200000003"]) == []
    assert b.information_dates(eng) == (dt.date(2024, 5, 1), dt.date(2024, 5, 1))
    assert b.information_dates(eng.iloc[0:0]) == (None, None)


# --- layering ------------------------------------------------------------------------------

def test_package_imports_neither_store_nor_docs():
    """store and docs import the landlord package: it must not import them back (no cycle)."""
    code = ("import sys, dashboard.data.bailleurs; "
            "print(sorted(m for m in ('dashboard.data.store', 'dashboard.data.docs', "
            "'dashboard.data.bailleurs.cli') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=config.ROOT, check=True, timeout=120)
    assert out.stdout.strip() == "[]"
