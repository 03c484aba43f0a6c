"""Regional view data: EPCI table, KPIs, indicator check, exports (hand-made frames)."""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd
import pytest

from dashboard.data import regional as R
from dashboard.data.columns import ExportColumn
from dashboard.export import tables as T

DEFAULTS = {
    "departement": "07", "departement_nom": "Ardèche", "region": "84",
    "region_nom": "Auvergne-Rhône-Alpes", "epci_siren": "200000001", "epci_nom": "CC Alpha",
    "epci_type": "CC", "population": 1000, "logements_sociaux": 0,
    "residences_principales": 400.0, "residences_principales_estimees": False,
    "taux_logements_sociaux": 0.0, "taux_vacance_ls": math.nan, "taux_mobilite_ls": math.nan,
    "zonage_abc": "C", "zone_tendue": False, "sru_seuil_applicable": False, "acv": False,
    "acv_id": None, "acv_phase": pd.NA, "acv_date_signature": pd.NaT,
    "acv_actions_en_cours": pd.NA, "acv_actions_livrees": pd.NA, "pvd": False,
    "ami_centres_bourgs": False, "ort_statut": None, "ort_date_signature": pd.NaT,
    "villages_avenir": False, "sru_soumise": False, "sru_deficitaire": False,
    "sru_carencee": False, "sru_exemptee": False, "sru_taux": math.nan,
    "sru_taux_cible": pd.NA, "sru_prelevement_2025": math.nan, "qpv_2024": 0,
    "qpv_2024_codes": None, "centralite": None, "pole_hors_programme": False,
}


def make_communes(rows: list[dict]) -> pd.DataFrame:
    """A commune table with the app's columns: each dict overrides DEFAULTS."""
    records = []
    for i, row in enumerate(rows):
        rec = {"code_insee": f"07{i + 1:03d}", "nom": f"Commune {i + 1}", **DEFAULTS, **row}
        rec.setdefault("pvd_2024", rec["pvd"])  # the registry's PVD is the 2024 list
        if "taux_logements_sociaux" not in row and rec["residences_principales"]:
            rec["taux_logements_sociaux"] = (100 * rec["logements_sociaux"]
                                             / rec["residences_principales"])
        records.append(rec)
    df = pd.DataFrame(records)
    df["acv_phase"] = df["acv_phase"].astype("Int64")
    for col in ("acv_date_signature", "ort_date_signature"):
        df[col] = pd.to_datetime(df[col])
    return df


def make_engagements(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """(bailleur_siren, code_insee, programme, niveau) -> an engagement table."""
    return pd.DataFrame([
        {"bailleur_nom": f"Bailleur {s}", "bailleur_siren": s, "bailleur_type": "OPH",
         "code_insee": c, "programme": p, "niveau_engagement": n, "logements_concernes": 10,
         "date_information": pd.Timestamp("2025-01-01"), "donnees_demonstration": True}
        for s, c, p, n in rows
    ])


A, B, C = "200000001", "200000002", "200000003"


@pytest.fixture
def communes() -> pd.DataFrame:
    return make_communes([
        # EPCI A: 50 % and 2,5 % -> 60 / 500 = 12 % (the mean of the rates would be 26,25 %)
        {"epci_siren": A, "logements_sociaux": 50, "residences_principales": 100.0,
         "population": 300, "acv": True, "pvd": True},  # two programmes: counted once
        {"epci_siren": A, "logements_sociaux": 10, "residences_principales": 400.0,
         "population": 700, "ort_statut": "Signée"},
        # EPCI B (Métropole de Lyon): no programme commune
        {"epci_siren": B, "epci_nom": "Métropole de Lyon", "epci_type": "MET69",
         "departement": "69", "logements_sociaux": 300, "residences_principales": 1000.0,
         "population": 2000, "ort_statut": "En cours"},
        # EPCI C: one programme commune, one without
        {"epci_siren": C, "epci_nom": "CA Gamma", "epci_type": "CA",
         "logements_sociaux": 20, "residences_principales": 100.0, "population": 500,
         "ami_centres_bourgs": True},
        {"epci_siren": C, "epci_nom": "CA Gamma", "epci_type": "CA",
         "logements_sociaux": 0, "residences_principales": 100.0, "population": 500},
    ])


@pytest.fixture
def engagements() -> pd.DataFrame:
    return make_engagements([
        ("000000101", "07001", "ACV", "opération engagée"),  # engaged on A's 1st commune
        ("000000102", "07002", "ORT", "sollicité"),  # not engaged (below the threshold)
        ("000000101", "07004", "AMI centres-bourgs", "non sollicité"),
    ])


# --- indicator from the URL --------------------------------------------------------------

def test_check_indicator_accepts_known_keys_and_defaults_silently():
    assert R.check_indicator("communes-programme") == R.IndicatorLookup("communes-programme")
    assert R.check_indicator(None) == R.IndicatorLookup(R.DEFAULT_INDICATOR)
    assert R.check_indicator("  ") == R.IndicatorLookup(R.DEFAULT_INDICATOR)
    assert R.check_indicator(["engagement-bailleurs", "x"]).key == "engagement-bailleurs"


def test_check_indicator_refuses_unknown_value_in_french():
    lookup = R.check_indicator("<script>" + "x" * 200)
    assert lookup.key == "logement-social"
    assert "n'est pas un indicateur de la carte" in lookup.error
    assert "part de logements sociaux" in lookup.error
    assert len(lookup.error) < 400  # the untrusted value is cut, not echoed whole


# --- EPCI table and KPIs -------------------------------------------------------------------

def test_epci_frame_uses_ratio_of_sums_and_counts_each_commune_once(communes, engagements):
    epci = R.epci_frame(communes, engagements).set_index("epci_siren")
    assert list(epci.index) == [A, B, C]
    assert epci.loc[A, "taux_logements_sociaux"] == pytest.approx(12.0)
    assert epci.loc[A, "communes_programme"] == 2  # ACV+PVD commune counted once, + ORT
    assert epci.loc[A, "communes_acv"] == 1 and epci.loc[A, "communes_pvd"] == 1
    assert epci.loc[A, "part_population_programme"] == pytest.approx(100.0)
    assert epci.loc[C, "part_population_programme"] == pytest.approx(50.0)
    assert epci.loc[B, "type"] == "Métropole"
    assert epci.loc[C, "type"] == "CA"


def test_epci_frame_engagement_rate(communes, engagements):
    epci = R.epci_frame(communes, engagements).set_index("epci_siren")
    assert epci.loc[A, "communes_engagees"] == 1
    assert epci.loc[A, "taux_engagement"] == pytest.approx(50.0)
    assert math.isnan(epci.loc[B, "taux_engagement"])  # no programme commune
    assert epci.loc[C, "taux_engagement"] == pytest.approx(0.0)


def test_epci_frame_without_engagement_table(communes):
    epci = R.epci_frame(communes, None)
    assert epci["taux_engagement"].isna().all()
    kpis = R.region_kpis(communes, epci)
    assert kpis["communes_engagees"] is None
    assert math.isnan(kpis["taux_engagement"])


def test_region_kpis(communes, engagements):
    kpis = R.region_kpis(communes, R.epci_frame(communes, engagements))
    assert kpis["logements_sociaux"] == 380
    assert kpis["taux_logements_sociaux"] == pytest.approx(100 * 380 / 1700)
    assert kpis["communes_programme"] == 3
    assert kpis["communes_engagees"] == 1
    assert kpis["taux_engagement"] == pytest.approx(100 / 3)


def test_extremes_reports_ties_and_ignores_missing(communes, engagements):
    epci = R.epci_frame(communes, engagements)
    low_high = R.extremes(epci, "taux_logements_sociaux")
    assert low_high.low == pytest.approx(10.0) and low_high.low_names == ("CA Gamma",)
    assert low_high.high == pytest.approx(30.0)
    assert low_high.high_names == ("Métropole de Lyon",)
    eng = R.extremes(epci, "taux_engagement")
    assert eng.count == 2 and eng.low == 0.0 and eng.high == 50.0
    assert R.extremes(epci.assign(x=math.nan), "x") is None


# --- exports -------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "kind", "expected"), [
    (16.3912, "pct", "16,4"),
    (137046, "int", "137046"),
    (2.6, "int", "3"),
    (True, "bool", "Oui"),
    (False, "bool", "Non"),
    (None, "pct", ""),
    (math.nan, "int", ""),
    ("CC de l'Ouest", "text", "CC de l'Ouest"),
])
def test_csv_value_for_french_spreadsheets(value, kind, expected):
    assert T.csv_value(value, kind) == expected


def test_csv_fields_and_source_line():
    cols = (ExportColumn("nom", "Nom"), ExportColumn("taux", "Part", "pct"))
    rows = T.with_csv_fields([{"nom": "A", "taux": 12.34}], cols)
    assert rows == [{"nom": "A", "taux": 12.34, "nom_csv": "A", "taux_csv": "12,3"}]
    assert cols[1].csv_header == "Part (%)" and cols[0].csv_header == "Nom"
    assert T.csv_source_line('Source : "x" ; y') == '\n\n"Source : ""x"" ; y"'


def test_rows_in_order_keeps_the_grid_order_and_ignores_junk(communes):
    epci = R.epci_frame(communes, None)
    grid = [{"epci_siren": C}, {"epci_siren": "999999999"}, "junk", {"epci_siren": A},
            {"epci_siren": C}, {"epci_siren": 12}]
    out = T.rows_in_order(epci, "epci_siren", grid)
    assert list(out["epci_siren"]) == [C, A]
    assert T.rows_in_order(epci, "epci_siren", None).empty
    assert T.rows_in_order(epci, "epci_siren", {"epci_siren": A}).empty


def test_xlsx_bytes_numbers_text_and_source():
    from openpyxl import load_workbook

    frame = pd.DataFrame({"nom": ["=1+1", "Bourg"], "pop": [137046, 5000],
                          "taux": [19.6, math.nan], "sru": [True, False]})
    cols = (ExportColumn("nom", "Nom"), ExportColumn("pop", "Population", "int"),
            ExportColumn("taux", "Part de logements sociaux", "pct"),
            ExportColumn("sru", "SRU", "bool"))
    data = T.xlsx_bytes(frame, cols, title="Classement", territory="Région",
                        source="Source : test", notes=["2 lignes"], day=dt.date(2026, 11, 25))
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == ["Nom", "Population", "Part de logements sociaux", "SRU"]
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"  # text, not a formula
    assert ws["B2"].value == 137046 and ws["B2"].number_format == "#,##0"
    assert ws["C2"].value == pytest.approx(0.196) and ws["C2"].number_format == "0.0%"
    assert ws["C3"].value is None
    assert ws["D2"].value == "Oui" and ws["D3"].value == "Non"
    assert ws["A5"].value == "Source : test"
    info = {row[0].value: row[1].value for row in wb["Source"].iter_rows()}
    assert info["Tableau"] == "Classement" and info["Date de l'export"] == "25/11/2026"
    assert info["Source"] == "Source : test" and info["Note"] == "2 lignes"


def test_markdown_links_escape_the_name(communes):
    assert T.markdown_link("CC [test]_x", "/t?epci=1") == r"[CC \[test\]\_x](/t?epci=1)"
    links = T.territory_links(communes.head(2), "nom", "/territoire", epci="epci_siren",
                              commune="code_insee")
    assert links.iloc[0] == f"[Commune 1](/territoire?epci={A}&commune=07001)"


def test_ranking_columns_label_demonstration():
    def engagement(demo: bool) -> str:
        return next(c.header for c in R.ranking_columns(demo) if c.field == "taux_engagement")

    assert engagement(True).endswith("(démonstration)")
    assert not engagement(False).endswith("(démonstration)")
    assert R.ranking_columns(False)[-1].field == "hors_region_texte"  # cross-border flag
    assert [c.field for c in R.ranking_columns(False)][:2] == ["epci_nom", "type"]
