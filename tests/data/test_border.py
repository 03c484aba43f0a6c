"""EPCI that cross the regional border (issue 9): their figures cover all their communes,
the region's and the departments' only the region's.

Known answers on the hand-made raw folder of `rawfixture`, where Paris (75056, region 11,
50 000 inhabitants, 500 social dwellings, 30 000 census households) is moved into the
region's EPCI 200000002 (Delta, Epsilon and Lyon).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data import aggregate, build, regional, store, territoire
from dashboard.data.atomic import served_dir
from dashboard.data.cli import main
from dashboard.data.territoire_officiel import epci_facts
from dashboard.formatting import fmt_int

from .conftest import validator
from .rawfixture import write_raw

EPCI = "200000002"
# Epsilon (01006, 3 000 inhabitants) has no census row: its main residences are imputed
# with the ratio of its whole EPCI, Paris included (computed France-wide).
EPSILON_RP = 3000 * (450 + 5500 + 30000) / (1000 + 10000 + 50000)
WHOLE_RP = 450 + 5500 + 30000 + EPSILON_RP


@pytest.fixture
def border_raw(tmp_path: Path) -> Path:
    raw = write_raw(tmp_path / "raw")
    path = raw / "ref_communes_cog2026.csv"
    text = path.read_text("utf-8").replace(
        "75056,Paris,75,Paris,11,Île-de-France,200054781,EPCI 200054781,METRO",
        f"75056,Paris,75,Paris,11,Île-de-France,{EPCI},EPCI {EPCI},CC")
    assert text != path.read_text("utf-8")
    path.write_text(text, "utf-8")
    return raw


@pytest.fixture
def tables(border_raw: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return build.build_tables(border_raw, "84", build.BuildLog())


def test_the_build_puts_the_out_of_region_commune_apart(tables):
    table, outside = tables
    assert "75056" not in set(table["code_insee"])
    assert outside["code_insee"].tolist() == ["75056"]
    paris = outside.iloc[0]
    # Same build steps as the region's communes: RPLS arrondissements, census households.
    assert paris["logements_sociaux"] == 500
    assert paris["residences_principales"] == 30000
    assert paris["region"] == "11" and paris["epci_siren"] == EPCI
    assert list(outside.columns) == list(table.columns)
    epsilon = table.set_index("code_insee").loc["01006"]
    assert epsilon["residences_principales"] == pytest.approx(EPSILON_RP)


def test_epci_totals_cover_all_its_communes(tables):
    table, outside = tables
    s = aggregate.summary_epci(table, EPCI, outside)
    assert (s["nb_communes"], s["population"], s["logements_sociaux"]) == (4, 64000, 4620)
    assert s["residences_principales"] == pytest.approx(WHOLE_RP)
    assert s["taux_logements_sociaux"] == pytest.approx(100 * 4620 / WHOLE_RP)
    assert aggregate.outside_counts(outside, EPCI) == {"nb_communes_hors_region": 1,
                                                       "population_hors_region": 50000}
    assert aggregate.outside_counts(outside, "200000001") == {
        "nb_communes_hors_region": 0, "population_hors_region": 0}
    # Without the out-of-region table: the region's part only (3 communes).
    assert aggregate.summary_epci(table, EPCI)["nb_communes"] == 3


def test_region_and_department_totals_exclude_it(tables):
    table, outside = tables
    region = aggregate.summary_region(table, "84")
    assert (region["nb_communes"], region["population"]) == (6, 68000)
    assert region["logements_sociaux"] == 2150 + 4120
    assert aggregate.summary_departement(table, "01")["nb_communes"] == 5
    p = territoire.epci_profile(table, EPCI, outside)
    assert p["epci"]["population"] == 64000 and p["epci"]["nb_communes"] == 4
    assert p["region_totals"]["population"] == 68000
    # Compared with the Rhône outside the Métropole: Lyon only (EPCI of type CC here).
    assert p["departement"] == "69D" and p["departement_totals"]["nb_communes"] == 1
    assert p["departements"] == territoire.epci_profile(table, EPCI)["departements"]
    assert (p["nb_communes_hors_region"], p["population_hors_region"]) == (1, 50000)
    assert p["regions_hors_region"] == ["Île-de-France"]


def test_profile_sentence_and_chart_note(tables):
    table, outside = tables
    p = territoire.epci_profile(table, EPCI, outside)
    assert territoire.outside_sentence(p) == (
        f"Cette intercommunalité compte aussi 1 commune et {fmt_int(50000)} habitants hors "
        "de la région (Île-de-France) : ses chiffres portent sur l'ensemble de ses communes, "
        "les graphiques et la carte par commune sur ses communes de la région seulement.")
    assert territoire.outside_chart_note(p) == (
        "La part de l'ensemble de l'intercommunalité compte aussi sa commune hors de la "
        "région, absente de ce graphique.")
    inside = territoire.epci_profile(table, "200000001", outside)
    assert territoire.outside_sentence(inside) is None
    assert territoire.outside_chart_note(inside) is None
    # The commune chart stays on the region's communes.
    assert set(territoire.commune_shares(table, EPCI)["code_insee"]) == {"01005", "01006",
                                                                        "69123"}


def test_official_facts_and_comparison_cover_the_whole_epci(tables):
    table, outside = tables
    assert epci_facts(table, EPCI, outside)["population_2021"] == 1000 + 10000 + 50000
    assert epci_facts(table, EPCI)["population_2021"] == 1000 + 10000
    t = territoire.comparison_table(table, [EPCI, "200000001"], outside=outside)
    assert t["nb_communes"].tolist() == [4, 3, 6]  # the region row: region 84 only


def test_regional_grid_flags_it_and_keeps_region_figures(tables):
    table, outside = tables
    epci = regional.epci_frame(table, None, outside).set_index("epci_siren")
    assert epci.loc[EPCI, "nb_communes"] == 4 and bool(epci.loc[EPCI, "hors_region"])
    assert epci.loc[EPCI, "hors_region_texte"] == f"1 commune, {fmt_int(50000)} habitants"
    assert epci.loc[EPCI, "departements"] == "01, 69, 75"
    assert not epci.loc["200000001", "hors_region"]
    assert epci.loc["200000001", "hors_region_texte"] == ""
    kpis = regional.region_kpis(table, epci.reset_index())
    assert kpis["nb_communes"] == 6
    assert kpis["communes_programme"] == aggregate.totals(table)["communes_programme"]


def test_build_writes_the_table_and_the_cli_reads_it(border_raw: Path, tmp_path: Path,
                                                     capsys, monkeypatch):
    monkeypatch.setenv("AURA_RAW_DIR", str(border_raw))  # the EPCI reference of the fixture
    out = tmp_path / "out"
    build.build(border_raw, out, region="84", validate=validator(border_raw),
                echo=lambda s: None)
    served = served_dir(out)
    outside = store.load_communes(served / build.OUTSIDE_FILE)
    assert outside["code_insee"].tolist() == ["75056"]
    info = json.loads((served / build.BUILD_INFO_FILE).read_text("utf-8"))
    assert info["counts"]["communes_hors_region"] == 1
    assert main(["summary", "--epci", EPCI, "--table", str(served / "communes.parquet")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["nb_communes"], data["population"]) == (4, 64000)
    assert (data["nb_communes_hors_region"], data["population_hors_region"]) == (1, 50000)
    assert main(["summary", "--region", "--table", str(served / "communes.parquet")]) == 0
    assert json.loads(capsys.readouterr().out)["population"] == 68000


def test_a_region_without_cross_border_epci_writes_no_table(built: Path, raw_dir: Path,
                                                            monkeypatch):
    monkeypatch.setenv("AURA_RAW_DIR", str(raw_dir))
    served = served_dir(built)
    assert not (served / build.OUTSIDE_FILE).exists()
    df = store.load_communes(served / build.COMMUNES_FILE)
    assert store.load_outside(served / build.OUTSIDE_FILE, df).empty
