"""Readers of the official files of issue 9: known answers on data/raw/, quirks on tiny files.

The real-file answers come from data/SOURCES.md and the text of issue 9
(288 SRU communes, 226 PVD, 82 QPV communes / 145 QPV, 315 Villages d'avenir,
604 470 social dwellings / census main residences = 16,43 %).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.data import build, official
from dashboard.data.official import parse_euros_fr, parse_percent_fr
from dashboard.data.sources import SourceError

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
AURA = "84"


# --- real files: each read once per module ---------------------------------------------------

@pytest.fixture(scope="module")
def ref() -> official.Reference:
    return official.reference(RAW)


@pytest.fixture(scope="module")
def region(ref: official.Reference) -> set[str]:
    codes = ref.region_codes(AURA)
    assert len(codes) == 4025
    return codes


@pytest.fixture(scope="module")
def census(ref: official.Reference) -> official.MainResidences:
    return official.main_residences(RAW, ref)


@pytest.fixture(scope="module")
def sru(ref: official.Reference) -> official.OfficialTable:
    return official.sru_inventory(RAW, ref)


def test_census_lyon_is_the_sum_of_its_arrondissements(census: official.MainResidences):
    lyon = census.communes.loc["69123"]
    assert lyon["menages_2021"] == 270_970
    assert lyon["codes_recensement"] == ",".join(f"6938{i}" for i in range(1, 10))
    # a merged commune: Solore-en-Forez sums its delegated communes
    assert census.communes.loc["42084", "codes_recensement"] == "42084,42109,42252"


def test_census_split_commune_is_kept_whole(census: official.MainResidences,
                                            region: set[str]):
    splits = census.splits
    assert splits["ancienne_commune"].tolist() == ["15141"]
    row = splits.iloc[0]
    assert row["nom_ancienne_commune"] == "Neussargues en Pinatelle"
    assert row["communes"] == "15141,15031,15035,15047,15171"
    assert row["menages_2021"] == 822 and row["epci_siren"] == "200066637"
    pieces = census.communes.loc[row["communes"].split(",")]
    assert pieces["menages_2021"].isna().all()
    assert (pieces["ancienne_commune"] == "15141").all()
    assert not pieces["recensement_absent"].any()
    assert any("Neussargues en Pinatelle (15141) scindée" in p for p in census.problems())


def test_census_splits_agree_with_the_map_layer_split_list(census: official.MainResidences):
    """The build derives the split communes from the census and COG files
    (`split_pieces`); the hand transcription of INSEE's list of changes it replaced is
    kept here as a check: both name the same former communes, pieces and names."""
    listed = pd.read_csv(Path(__file__).parent / "ref_communes_scindees_cog2026.csv",
                         dtype=str)
    derived = official.split_pieces(census.splits, official.reference(RAW).communes)
    columns = ["code_insee", "nom", "commune_avant", "nom_avant"]
    assert derived.equals(listed[columns].sort_values("code_insee").reset_index(drop=True))


def test_census_region_total_and_unattributed_rows(census: official.MainResidences,
                                                   region: set[str]):
    in_region = census.communes[census.communes.index.isin(region)]
    assert not in_region["recensement_absent"].any()
    total = int(in_region["menages_2021"].sum()) + int(census.splits["menages_2021"].sum())
    assert total == 3_679_121
    lost = census.unmapped[census.unmapped["insee_reg"] == AURA]
    assert lost["insee_com"].tolist() == ["26371", "42072"]
    # SOURCES.md's 3 679 176 counts every census row of region 84
    assert total + int(lost["menages_2021"].sum()) == 3_679_176
    assert in_region["population_2015"].notna().sum() == 4025 - 5


def test_region_share_uses_census_main_residences(census: official.MainResidences,
                                                  region: set[str]):
    log = build.BuildLog()
    rpls = build.read_sources(RAW, log, {"01"})[1]
    social = build.aggregate_rpls(rpls)
    numerator = int(social.loc[social.index.isin(region), "logements_sociaux"].sum())
    assert numerator == 604_470
    in_region = census.communes[census.communes.index.isin(region)]
    denominator = int(in_region["menages_2021"].sum()) + int(census.splits["menages_2021"].sum())
    assert round(100 * numerator / denominator, 2) == 16.43


def test_sru_known_answers(sru: official.OfficialTable, region: set[str]):
    table = sru.table
    assert len(table) == 2196 and table.index.is_unique
    aura = table[table.index.isin(region)]
    assert len(aura) == 288 and aura["sru_soumise"].all()
    assert int(aura["sru_deficitaire"].sum()) == 155
    assert int(aura["sru_carencee"].sum()) == 55
    assert int(aura["sru_exemptee"].sum()) == 10
    assert aura["sru_taux_cible"].value_counts().to_dict() == {20: 154, 25: 134}
    assert float(aura["sru_prelevement_2025"].sum()) == pytest.approx(11_958_596.5)
    assert int((aura["sru_prelevement_2025"] > 0).sum()) == 86
    assert sorted(aura.index[aura["sru_taux_libelle"] == "Pas d'inventaire"]) == [
        "01004", "01202", "01244", "01450", "07010"]
    # 69159 Porte des Pierres Dorées is mapped like the RPLS file does
    assert "69159" not in table.index and table.loc["69114", "sru_taux"] == 6.3
    assert table.loc["01427", "sru_taux"] == 26.1
    assert table.loc["01322", "sru_prelevement_2025"] == pytest.approx(46_559.19)


def test_sru_impossible_rate_is_a_french_problem_and_null(sru: official.OfficialTable):
    assert pd.isna(sru.table.loc["05061", "sru_taux"])
    assert sru.table.loc["05061", "sru_taux_libelle"] == "2126,00%"
    gap = [p for p in sru.problems if "(05061)" in p]
    assert gap == ["SRU : taux impossible pour GAP (05061) : « 2126,00% » (hors de 0 à 100 %) ; "
                   "valeur laissée vide"]
    assert sru.table["sru_taux"].dropna().between(0, 100).all()


def test_pvd_2024_known_answers(ref: official.Reference, region: set[str]):
    read = official.pvd_2024(RAW, ref)
    table = read.table[read.table.index.isin(region)]
    members = table[table["pvd"]]
    assert len(members) == 226 and members["pvd_date_adhesion"].notna().all()
    years = members["pvd_date_adhesion"].dt.year.value_counts().to_dict()
    assert years == {2021: 216, 2022: 9, 2023: 1}
    assert table.index[table["pvd_sortie"]].tolist() == ["01093"]
    assert not table.loc["01093", "pvd"]


def test_qpv_2024_known_answers(ref: official.Reference, region: set[str]):
    table = official.qpv_2024(RAW, ref).table
    aura = table[table.index.isin(region)]
    assert len(aura) == 82
    assert int(aura["qpv_2024"].sum()) == 160
    assert official.distinct_qpv(table, region) == 145


def test_villages_avenir_known_answer(ref: official.Reference, region: set[str]):
    table = official.villages_avenir(RAW, ref).table
    assert int(table.index.isin(region).sum()) == 315


def test_typologies_known_answers(region: set[str]):
    levels = official.centralities(RAW)
    counts = levels[levels.index.isin(region)].value_counts().to_dict()
    assert counts == {
        "Centre majeur d'équipements et de services": 15,
        "Centre structurant d'équipements et de services": 90,
        "Centre intermédiaire d'équipements et de services": 403,
        "Centre local d'équipements et de services": 1074,
        "Communes non centre": 2443,
    }
    assert int(levels.isna().sum()) == 129
    grid = official.density(RAW)
    assert grid[grid.index.isin(region)].notna().sum() == 4025
    assert set(grid.dropna()) == set(official.DENSITY_LEVELS)


def test_rpls_growth_known_answers(ref: official.Reference):
    growth = official.rpls_growth_epci(RAW)
    epci = set(ref.communes.loc[ref.communes["region"] == AURA, "epci_siren"].dropna())
    aura = growth[growth.index.isin(epci)]
    assert len(epci) == 172 and aura.notna().sum() == 172
    assert aura.min() == -2.8 and aura.max() == 8.5 and int((aura == 0).sum()) == 18
    assert growth.loc["200046977"] == 0.9
    assert sorted(growth.index[growth.isna()]) == ["200059871", "200060473"]


# --- quirks on hand-made files ---------------------------------------------------------------

COMMUNES_HEADER = "code_insee,nom,departement,region,epci_siren,population"


def write(raw: Path, name: str, text: str) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    (raw / name).write_text(text, "utf-8")


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """COG 2026: Lyon (two arrondissements), a merged commune, a split one, an orphan."""
    raw = tmp_path / "raw"
    write(raw, "ref_communes_cog2026.csv", "\n".join([
        COMMUNES_HEADER,
        "69123,Lyon,69,84,200046977,1000",
        "01002,Bêta,01,84,200000001,400",
        "01010,Pièce-Une,01,84,200000002,300",
        "01011,Pièce-Deux,01,84,200000002,200",
        "01020,Seule,01,84,200000003,50",
        "01030,Autre,01,84,200000003,60",
    ]) + "\n")
    write(raw, "ref_communes_deleguees_associees_cog2026.csv",
          "code_insee,nom,type,commune_parent\n"
          "69381,Lyon 1er,arrondissement-municipal,69123\n"
          "69382,Lyon 2e,arrondissement-municipal,69123\n"
          "01003,Ancienne,commune-deleguee,01002\n")
    write(raw, "rp_menages_2021_communes_insee.csv", "\n".join([
        "insee_com,insee_reg,insee_dep,commune,commune_type,insee_parente,population_2015,"
        "population_2021,menages_2021",
        "69381,84,69,Lyon 1er Arrondissement,ARM,69123,220,210,100",
        "69382,84,69,Lyon 2e Arrondissement,ARM,69123,110,105,50",
        "01002,84,01,Bêta,COM,,90,95,40",
        "01003,84,01,Ancienne,COM,,25,22,10",
        "01010,84,01,Ancienne Grande,COM,,540,520,230",
        "01030,84,01,Autre,COM,,61,60,25",
        "01099,84,01,Disparue,COM,,15,14,7",
    ]) + "\n")
    return raw


def test_lyon_merged_split_and_missing_communes(tiny: Path):
    result = official.main_residences(tiny)
    table = result.communes
    assert table.loc["69123", "menages_2021"] == 150
    assert table.loc["69123", "population_2021"] == 315
    assert table.loc["01002", "menages_2021"] == 50
    assert table.loc["01002", "codes_recensement"] == "01002,01003"
    # the split commune is kept whole, never divided among its pieces
    assert result.splits.to_dict("records") == [{
        "ancienne_commune": "01010", "nom_ancienne_commune": "Ancienne Grande",
        "communes": "01010,01011", "epci_siren": "200000002", "population_2015": 540,
        "population_2021": 520, "menages_2021": 230}]
    assert table.loc[["01010", "01011"], "menages_2021"].isna().all()
    assert table.loc[["01010", "01011"], "ancienne_commune"].tolist() == ["01010", "01010"]
    # EPCI totals stay exact: commune rows + split rows = every census household mapped
    assert int(table["menages_2021"].sum()) + 230 == 100 + 50 + 40 + 10 + 230 + 25
    # an orphan with no renamed candidate in its EPCI is not guessed
    assert bool(table.loc["01020", "recensement_absent"])
    assert result.unmapped["insee_com"].tolist() == ["01099"]
    problems = result.problems()
    assert any("Disparue (01099)" in p and "7 ménages" in p for p in problems)
    assert any("aucun chiffre pour 1 commune du" in p and "01020" in p for p in problems)


def test_split_not_guessed_when_two_renamed_candidates(tiny: Path):
    path = tiny / "rp_menages_2021_communes_insee.csv"
    path.write_text(path.read_text("utf-8").replace(
        "01030,84,01,Autre,COM,,61,60,25", "01030,84,01,Autre Nom,COM,,61,80,25")
        + "01040,84,01,Encore,COM,,9,90,4\n", "utf-8")
    refs = tiny / "ref_communes_cog2026.csv"
    refs.write_text(refs.read_text("utf-8") + "01040,Encore Autre,01,84,200000003,10\n", "utf-8")
    result = official.main_residences(tiny)
    assert result.splits["ancienne_commune"].tolist() == ["01010"]
    assert bool(result.communes.loc["01020", "recensement_absent"])
    assert result.communes.loc["01030", "menages_2021"] == 25


def test_census_missing_number_is_a_french_error(tiny: Path):
    path = tiny / "rp_menages_2021_communes_insee.csv"
    path.write_text(path.read_text("utf-8").replace(",60,25", ",60,"), "utf-8")
    with pytest.raises(SourceError, match="chiffre manquant pour Autre"):
        official.main_residences(tiny)


@pytest.mark.parametrize("text, value", [
    ("12,5 %", 12.5), ("26,10%", 26.1), ("0,00%", 0.0), ("100%", 100.0), ("2126,00%", 2126.0),
    ("Pas d'inventaire", None), (">25%", None), ("38;62%", None), ("", None),
])
def test_parse_percent_fr(text: str, value: float | None):
    assert parse_percent_fr(text) == value


@pytest.mark.parametrize("text, value", [
    ("1 234 567 €", 1_234_567.0), ("46 559,19 €", 46_559.19), ("0,00 €", 0.0),
    ("1\u202f234,5 €", 1234.5), ("1\u00a0234 €", 1234.0), ("-12,30 €", -12.3),
    ("12 34 €", None), ("douze €", None), ("1 234", None),
])
def test_parse_euros_fr(text: str, value: float | None):
    assert parse_euros_fr(text) == value


SRU_HEADER = ("hexagone_drom;Region;Departement;Code_Departement;Code_INSEE_commune;Nom_commune;"
              "Population_municipale_01_01_2025;Code_SIREN_EPCI;Nom_EPCI;EPCI_SRU;"
              "Code_unité_urbaine;Nom_unité_urbaine;UU_SRU;Commune_isolée_article_L_302_5_CCH;"
              "Commune_sru_au_01_01_2025;Commune_sru_au_01_01_2024;"
              "Nombre_lls_ Inventaire_au_01_01_2024;Taux_SRU_au_01_01_2024;commune_deficitaire;"
              "Commune_carencée;Commune_exemptée_2023_2025;Taux_cible_commune_2023_2025;"
              "Prélèvement_net_2025_dont_majoration")


def sru_row(code: str, name: str, stock: str, rate: str, flags: str, target: str,
            levy: str) -> str:
    deficit, carence, exempt = flags
    return (f"Hexagone;ARA;Ain;01;{code};{name};5000;200000001;CC X;0;00760;Lyon;1;0;1;1;"
            f"{stock};{rate};{deficit};{carence};{exempt};{target};{levy}")


@pytest.fixture
def sru_raw(tiny: Path) -> Path:
    write(tiny, "sru_inventaire_2025_communes.csv", "\n".join([
        SRU_HEADER,
        sru_row("01002", "BÊTA", "804", "26,10%", "000", "25%", "0,00 €"),
        sru_row("01030", "AUTRE", "1200", "12,5 %", "110", "20%", "1 234 567 €"),
        sru_row("01020", "SEULE", "Pas d'inventaire", "Pas d'inventaire", "000", "20%",
                "0,00 €"),
        sru_row("69381", "LYON", "4281", "2126,00%", "000", "25%", "0,00 €"),
        sru_row("01011", "DEUX", "NC", '"38;62%"', "001", "25%", "0,00 €"),
        sru_row("01010", "UNE", "10", ">25%", "000", "25%", "0,00 €"),
        sru_row("01999", "NULLE PART", "10", "30,00%", "000", "25%", "0,00 €"),
    ]) + "\n")
    return tiny


def test_sru_quirks(sru_raw: Path):
    read = official.sru_inventory(sru_raw)
    t = read.table
    assert list(t.index) == ["01002", "01010", "01011", "01020", "01030", "69123"]
    assert t.loc["01030", "sru_taux"] == 12.5
    assert t.loc["01030", "sru_prelevement_2025"] == 1_234_567.0
    assert bool(t.loc["01030", "sru_deficitaire"]) and bool(t.loc["01030", "sru_carencee"])
    assert t.loc["01030", "sru_taux_cible"] == 20 and t.loc["01002", "sru_taux_cible"] == 25
    assert t.loc["01002", "sru_logements_sociaux_inventaire"] == 804
    assert pd.isna(t.loc["01020", "sru_taux"]) and pd.isna(
        t.loc["01020", "sru_logements_sociaux_inventaire"])
    assert t.loc["01020", "sru_taux_libelle"] == "Pas d'inventaire"
    assert pd.isna(t.loc["69123", "sru_taux"]) and t.loc["69123", "sru_taux_libelle"] == "2126,00%"
    assert t.loc["01010", "sru_taux_libelle"] == ">25%"
    assert bool(t.loc["01011", "sru_exemptee"])
    assert pd.isna(t.loc["01011", "sru_logements_sociaux_inventaire"])
    assert str(t["sru_taux"].dtype) == "Float64"
    assert read.problems == [
        "SRU : NULLE PART (01999) ne correspond à aucune commune du COG 2026 ; ligne ignorée",
        "SRU : taux impossible pour LYON (69381) : « 2126,00% » (hors de 0 à 100 %) ; "
        "valeur laissée vide",
        "SRU : taux illisible pour DEUX (01011) : « 38;62% » ; valeur laissée vide",
    ]


@pytest.mark.parametrize("old, new, message", [
    ("26,10%;0;0;0;25%", "26,10%;0;0;0;30%", "taux cible inattendu '30%'"),
    ("26,10%;0;0;0;25%", "26,10%;0;2;0;25%", "Commune_carencée : valeur inattendue '2'"),
    ("1 234 567 €", "beaucoup", "montant de prélèvement illisible 'beaucoup'"),
    (";1200;", ";mille;", "logements de l'inventaire illisible 'mille'"),
])
def test_sru_broken_file_is_a_french_error(sru_raw: Path, old: str, new: str, message: str):
    path = sru_raw / "sru_inventaire_2025_communes.csv"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(SourceError, match=message):
        official.sru_inventory(sru_raw)


def test_sru_two_rows_for_one_commune_is_refused(sru_raw: Path):
    path = sru_raw / "sru_inventaire_2025_communes.csv"
    path.write_text(path.read_text("utf-8") + sru_row(
        "01003", "ANCIENNE", "1", "1,00%", "000", "20%", "0,00 €") + "\n", "utf-8")
    with pytest.raises(SourceError, match="plusieurs lignes pour la commune 01002"):
        official.sru_inventory(sru_raw)


def test_pvd_exit_and_dates(tiny: Path):
    write(tiny, "prog_pvd_communes_anct_2024-01.csv",
          "insee_com,lib_com,id_pvd,date_signature\n"
          "01003,Ancienne,pvd-84-01-1,2021-03-15\n"
          "01030,Autre,pvd-84-01-2,\n")
    write(tiny, "prog_anct_programmes_communes_cog2023.csv",
          "insee_com,lib_com,id_pvd,id_va\n"
          "01002,Bêta,pvd-84-01-1,\n"
          "01020,Seule,pvd-84-01-3,va-1\n"
          "01030,Autre,pvd-84-01-2,\n")
    t = official.pvd_2024(tiny).table
    assert list(t.index) == ["01002", "01020", "01030"]
    assert t.loc["01002", "pvd_date_adhesion"] == pd.Timestamp("2021-03-15")
    assert pd.isna(t.loc["01030", "pvd_date_adhesion"]) and bool(t.loc["01030", "pvd"])
    assert bool(t.loc["01020", "pvd_sortie"]) and not t.loc["01020", "pvd"]
    assert t["pvd_sortie"].sum() == 1
    va = official.villages_avenir(tiny).table
    assert va.index.tolist() == ["01020"] and va.loc["01020", "va_id"] == "va-1"


def test_pvd_bad_date_is_a_french_error(tiny: Path):
    write(tiny, "prog_pvd_communes_anct_2024-01.csv",
          "insee_com,lib_com,id_pvd,date_signature\n01002,Bêta,pvd-84-01-1,15/03/2021\n")
    with pytest.raises(SourceError, match="date d'adhésion illisible"):
        official.pvd_2024(tiny)


def test_qpv_shared_by_two_communes_counts_once(tiny: Path):
    write(tiny, "prog_qpv_2024_communes.csv",
          'insee_com,lib_com,code_qp,lib_qp\n'
          '01002,Bêta,"QN00102A, QN00101B","Le Haut, Le Bas"\n'
          '01030,Autre,QN00101B,Le Bas\n'
          '69123,Lyon,"QN06901A, QN06901A",Centre\n')
    read = official.qpv_2024(tiny)
    t = read.table
    assert t["qpv_2024"].to_dict() == {"01002": 2, "01030": 1, "69123": 1}
    assert t.loc["01002", "qpv_codes"] == "QN00101B,QN00102A"
    assert official.distinct_qpv(t, {"01002", "01030"}) == 2
    assert official.distinct_qpv(t, {"01002", "01030", "69123"}) == 3
    assert official.distinct_qpv(t, {"01020"}) == 0


def test_typology_levels_are_checked(tmp_path: Path):
    raw = tmp_path / "raw"
    write(raw, "typo_centralites_communes.csv",
          "insee_com,lib_com,niveau_centralite\n"
          "01001,A,Centre structurant d'équipements et de services\n"
          "97101,B, - undefined\n")
    levels = official.centralities(raw)
    assert levels.loc["01001"] == "Centre structurant d'équipements et de services"
    assert pd.isna(levels.loc["97101"])
    write(raw, "typo_densite_communes.csv",
          "insee_com,lib_com,niveau_densite\n01001,A,Petites villes\n01002,B,Mégapole\n")
    with pytest.raises(SourceError, match="niveau inconnu 'Mégapole' \\(commune 01002\\)"):
        official.density(raw)


def test_rpls_growth_empty_is_null_and_text_is_refused(tmp_path: Path):
    raw = tmp_path / "raw"
    write(raw, "rpls_evolution_2019_2023_epci_odt.csv",
          'epci_siren,epci_nom,taux_evolution_annuel_ls_2019_2023\n'
          '200000001,"CC A, B",1.5\n200000002,CC C,\n200000003,CC D,-1\n')
    growth = official.rpls_growth_epci(raw)
    assert growth.index.tolist() == ["200000001", "200000002", "200000003"]
    assert growth.loc["200000001"] == 1.5 and growth.loc["200000003"] == -1.0
    assert pd.isna(growth.loc["200000002"]) and str(growth.dtype) == "Float64"
    write(raw, "rpls_evolution_2019_2023_epci_odt.csv",
          "epci_siren,epci_nom,taux_evolution_annuel_ls_2019_2023\n"
          "200000001,CC A,N/A - division par 0\n")
    with pytest.raises(SourceError, match="non numérique"):
        official.rpls_growth_epci(raw)


def test_missing_file_is_a_french_error(tmp_path: Path):
    with pytest.raises(SourceError, match="fichier source manquant"):
        official.density(tmp_path)


# --- rules of the table: the 18-month ORT milestone, the pôle hors programme ----------------

def test_ort_milestone_boundaries():
    from dashboard.data.official.table import ort_milestone

    adhesion = pd.Series(pd.to_datetime(["2021-01-31", "2021-01-31", "2021-03-15",
                                         "2021-03-15", "2021-03-15", None]))
    status = pd.Series(["Signée", "Signée", "Signée", "En cours", "Signée", "Signée"])
    signed = pd.Series(pd.to_datetime(["2022-07-31", "2022-08-01", None, None, "2022-09-15",
                                       "2020-01-01"]))
    assert ort_milestone(adhesion, status, signed).tolist() == [
        "ORT signée dans les 18 mois",  # last day of the 18th month
        "ORT signée après 18 mois",  # the day after
        "ORT signée, date inconnue", "ORT pas encore signée",
        "ORT signée dans les 18 mois", pd.NA]


def test_pole_hors_programme_rule():
    from dashboard.data.official.table import poles_hors_programme

    levels = official.CENTRALITY_LEVELS
    df = pd.DataFrame({
        "centralite": [levels[0], levels[1], levels[2], levels[3], levels[1], levels[2], None],
        "acv": [False, False, False, False, True, False, False],
        "pvd_2024": [False] * 7,
        "ami_centres_bourgs": [False] * 7,
        "villages_avenir": [False, False, False, False, False, True, False],
    })
    # majeur, local and no level are no pôle; a programme member is not "hors programme"
    assert poles_hors_programme(df).tolist() == [False, True, True, False, False, False, False]


def test_official_columns_on_the_real_files(ref: official.Reference, region: set[str]):
    from dashboard.data.official.table import FORMER_COMMUNE_ONLY, official_columns

    lines: list[str] = []
    t = official_columns(RAW, lines.append, ref)
    aura = t[t.index.isin(region)]
    assert int(aura["sru_soumise"].sum()) == 288
    assert int(aura["pvd_2024"].sum()) == 226
    assert aura.loc["01093", "pvd_sortie"] and not aura.loc["01093", "pvd_2024"]
    assert int(aura["villages_avenir"].sum()) == 315
    assert int((aura["qpv_2024"] > 0).sum()) == 82
    pieces = aura.index[aura["recensement_statut"] == FORMER_COMMUNE_ONLY]
    assert sorted(pieces) == ["15031", "15035", "15047", "15141", "15171"]
    assert aura["sru_taux"].dropna().between(0, 100).all()
    assert any("2126,00%" in line for line in lines)
