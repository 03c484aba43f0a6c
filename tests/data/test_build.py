"""The build on a hand-made raw folder: every number below is computed by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data import aggregate, build
from dashboard.data.atomic import served_dir
from dashboard.data.cog import CodeMapper, remap
from dashboard.data.sources import SourceError

from .conftest import validator


def table(out: Path) -> pd.DataFrame:
    return pd.read_parquet(served_dir(out) / build.COMMUNES_FILE).set_index("code_insee")


def test_code_mapper_maps_delegated_arrondissements_and_unknown():
    communes = pd.DataFrame({"code_insee": ["01002", "69123", "01015"]})
    others = pd.DataFrame({"code_insee": ["01003", "69381", "01015", "99999"],
                           "commune_parent": ["01002", "69123", "01015", "00000"]})
    m = CodeMapper.from_frames(communes, others)
    assert m.map_code("01002") == "01002"
    assert m.map_code("01003") == "01002"
    assert m.map_code("69381") == "69123"
    assert m.map_code("01015") == "01015"  # a delegated commune carrying its parent's code
    assert m.map_code("99999") is None  # parent unknown: not mapped
    assert m.map_code("1002") is None
    df, report = remap(pd.DataFrame({"c": ["01003", "01002", "12345"]}), "c", m, "src")
    assert df["code_cog2026"].tolist()[:2] == ["01002", "01002"]
    assert pd.isna(df["code_cog2026"].iloc[2])
    assert report.remapped == {"01003": "01002"}
    assert report.unmapped == ["12345"]
    assert "12345" in "\n".join(report.lines())


def test_region_table_known_values(built: Path):
    t = table(built)
    assert list(t.index) == ["01001", "01002", "01004", "01005", "01006", "69123"]
    # main residences = census households
    assert t.loc["01001", "residences_principales"] == pytest.approx(10000)
    assert t.loc["01001", "taux_logements_sociaux"] == pytest.approx(20.0)
    assert not t.loc["01001", "residences_principales_estimees"]
    # merged commune: its own row + its delegated commune 01003 (RPLS and census)
    assert t.loc["01002", "logements_sociaux"] == 150
    assert t.loc["01002", "residences_principales"] == pytest.approx(1500 + 200)
    assert t.loc["01002", "taux_logements_sociaux"] == pytest.approx(100 * 150 / 1700)
    assert t.loc["01002", "taux_vacance_ls"] == pytest.approx((1 * 100 + 4 * 50) / 150)
    assert t.loc["01002", "taux_mobilite_ls"] == pytest.approx((5 * 100 + 8 * 50) / 150)
    # absent from RPLS: 0 social dwellings, main residences still measured
    assert t.loc["01004", "logements_sociaux"] == 0
    assert t.loc["01004", "residences_principales"] == pytest.approx(14000)
    assert not t.loc["01004", "residences_principales_estimees"]
    assert t.loc["01004", "taux_logements_sociaux"] == 0
    assert pd.isna(t.loc["01004", "taux_vacance_ls"])
    # RPLS density 0 no longer matters: the census measures 01005
    assert t.loc["01005", "residences_principales"] == pytest.approx(450)
    assert not t.loc["01005", "residences_principales_estimees"]
    # no census row (01006): imputed with the ratio of its EPCI's measured communes
    r_epci2 = (450 + 5500) / (1000 + 10000)
    assert t.loc["01006", "residences_principales"] == pytest.approx(3000 * r_epci2)
    assert t.loc["01006", "residences_principales_estimees"]
    assert t["residences_principales_estimees"].sum() == 1
    # Lyon = sum of its arrondissements (RPLS and census)
    assert t.loc["69123", "logements_sociaux"] == 4000
    assert t.loc["69123", "residences_principales"] == pytest.approx(3000 + 2500)
    assert t.loc["69123", "taux_vacance_ls"] == pytest.approx(2.5)
    assert t.loc["69123", "taux_mobilite_ls"] == pytest.approx(6.5)


def test_department_ratio_when_epci_has_no_measure(raw_dir: Path, tmp_path: Path):
    census = raw_dir / "rp_menages_2021_communes_insee.csv"
    lines = [ln for ln in census.read_text("utf-8").splitlines()
             if not ln.startswith(("01005,", "6938"))]
    census.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "o"
    build.build(raw_dir, out, region="84", validate=validator(raw_dir), echo=lambda s: None)
    t = table(out)
    # EPCI 200000002 has no measured commune left: department 01's ratio applies
    r_dep01 = (10000 + 1700 + 14000) / (20000 + 4000 + 30000)
    assert t.loc["01006", "residences_principales"] == pytest.approx(3000 * r_dep01)
    assert t.loc["01006", "residences_principales_estimees"]
    # nor has department 69: the region's ratio (same measured communes here)
    assert t.loc["69123", "residences_principales"] == pytest.approx(10000 * r_dep01)
    assert t.loc["69123", "residences_principales_estimees"]


def test_split_commune_keeps_the_epci_total_exact(raw_dir: Path, tmp_path: Path):
    """01004 "Gamma" was split: 01007 "Zêta" got its own code back after the census.

    The census and RPLS rows of the former commune stay on 01004 (which kept the
    code); 01007 gets 0, so the EPCI counts the former commune once; both are flagged.
    """
    ref = raw_dir / "ref_communes_cog2026.csv"
    text = ref.read_text("utf-8").replace(
        "01004,Gamma,01,Ain,84,Auvergne-Rhône-Alpes,200000001,EPCI 200000001,CA,30000.0,"
        "201004000,01004,metro\n",
        "01004,Gamma-le-Haut,01,Ain,84,Auvergne-Rhône-Alpes,200000001,EPCI 200000001,CA,"
        "20000.0,201004000,01004,metro\n"
        "01007,Zêta,01,Ain,84,Auvergne-Rhône-Alpes,200000001,EPCI 200000001,CA,10000.0,"
        "201007000,01007,metro\n")
    ref.write_text(text, "utf-8")
    rpls = raw_dir / "rpls_2024_communes_sdes.csv"
    rpls.write_text(rpls.read_text("utf-8") + "84,01,01004,Gamma,10.0,700,1.0,1.0\n", "utf-8")
    log = build.BuildLog()
    t = build.build_commune_table(raw_dir, "84", log).set_index("code_insee")
    former = "données disponibles pour l'ancienne commune seulement"
    assert t.loc[["01004", "01007"], "recensement_statut"].tolist() == [former, former]
    assert t.loc["01007", "rp_recensement_ancienne_commune"] == 14000
    assert t.loc["01004", "residences_principales"] == pytest.approx(14000)
    assert t.loc["01007", "residences_principales"] == 0
    assert t.loc["01004", "taux_logements_sociaux"] == pytest.approx(5.0)
    assert pd.isna(t.loc["01007", "taux_logements_sociaux"])
    epci = aggregate.totals(t[t["epci_siren"] == "200000001"])
    assert epci["residences_principales"] == pytest.approx(10000 + 1700 + 14000)
    assert epci["logements_sociaux"] == 2000 + 150 + 700
    assert any("Gamma (01004) scindée en 01004,01007" in line for line in log.lines)


def test_programmes_zoning_and_sru(built: Path):
    t = table(built)
    assert t.loc["01001", "acv"] and t.loc["01001", "acv_phase"] == 1
    assert t.loc["01001", "acv_date_signature"] == pd.Timestamp("2019-09-24")
    assert t.loc["01001", "acv_actions_en_cours"] == 2
    assert t.loc["01001", "acv_actions_livrees"] == 16
    assert t.loc["01004", "acv_phase"] == 2  # entered 2023-2024 (acv-223 onwards)
    assert pd.isna(t.loc["01004", "acv_date_signature"])
    assert t.loc["69123", "acv_phase"] == 2  # flagged phase 2 by ANCT
    assert not t.loc["01002", "acv"] and pd.isna(t.loc["01002", "acv_phase"])
    assert t.loc["01002", "pvd"]  # through its delegated commune 01003 (COG 2023 code)
    assert t.loc["01006", "pvd"] and not t.loc["01001", "pvd"]
    assert t.loc["01005", "ami_centres_bourgs"] and t["ami_centres_bourgs"].sum() == 1
    assert t.loc["01001", "ort_statut"] == "Signée"
    assert t.loc["01001", "ort_date_signature"] == pd.Timestamp("2019-12-13")
    assert t.loc["01002", "ort_statut"] == "En cours"  # best of Non signée / En cours
    assert t.loc["01006", "ort_statut"] == "Non renseigné"
    assert pd.isna(t.loc["01004", "ort_statut"])
    assert t.loc["01002", "zonage_abc"] == "C"  # its own row wins over the delegated one
    assert t.loc["69123", "zonage_abc"] == "Abis"  # most tense of the arrondissements
    assert pd.isna(t.loc["01004", "zonage_abc"])
    assert t.loc["69123", "zone_tendue"] and t.loc["01001", "zone_tendue"]
    assert not t.loc["01002", "zone_tendue"]
    # EPCI 1: 54 000 inhabitants with a commune of 30 000 -> communes >= 3 500 flagged
    assert t.loc[["01001", "01002", "01004"], "sru_seuil_applicable"].all()
    assert not t.loc[["01005", "01006", "69123"], "sru_seuil_applicable"].any()
    # names come from the COG, not from the mis-encoded ACV file
    assert t.loc["01001", "nom"] == "Alpha"


def test_epci_share_is_a_ratio_of_sums_not_a_mean(built: Path):
    df = table(built).reset_index()
    epci1 = df[df["epci_siren"] == "200000001"]
    t = aggregate.totals(epci1)
    rp = 10000 + 1700 + 14000
    assert t["taux_logements_sociaux"] == pytest.approx(100 * 2150 / rp)
    assert t["taux_logements_sociaux"] != pytest.approx(epci1["taux_logements_sociaux"].mean())
    by = aggregate.epci_table(df).set_index("epci_siren")
    assert by.loc["200000001", "taux_logements_sociaux"] == pytest.approx(100 * 2150 / rp)
    assert by.loc["200000001", "communes_acv"] == 2
    assert by.loc["200000001", "ort_signees"] == 1
    # population in a programme commune: 01001 (ACV, ORT), 01004 (ACV); 01002 (4 000
    # inhabitants) is in the 2021 PVD list but left the programme (not in the 2024 list)
    assert by.loc["200000001", "communes_pvd"] == 1  # 01001 (PVD 2024)
    assert by.loc["200000001", "part_population_programme"] == pytest.approx(
        100 * 50000 / 54000)
    assert by.loc["200000002", "part_population_programme"] == pytest.approx(
        100 * (1000 + 3000 + 10000) / 14000)


def test_france_build_keeps_region_values_and_drops_com(raw_dir: Path, tmp_path: Path,
                                                        built: Path):
    out = tmp_path / "france"
    build.build(raw_dir, out, region=None, validate=validator(raw_dir), echo=lambda s: None)
    fr = table(out)
    assert "75056" in fr.index and "97501" not in fr.index
    assert fr.loc["75056", "logements_sociaux"] == 500
    assert not (served_dir(out) / build.GEO_DIR).exists()
    region = table(built)
    pd.testing.assert_frame_equal(fr.loc[region.index], region)


def test_build_is_deterministic(raw_dir: Path, tmp_path: Path, built: Path):
    again = tmp_path / "again"
    build.build(raw_dir, again, region="84", validate=validator(raw_dir), echo=lambda s: None)
    for name in (build.COMMUNES_FILE, build.BUILD_INFO_FILE, "geo/epci.geojson",
                 "geo/communes.geojson"):
        assert (served_dir(again) / name).read_bytes() == (served_dir(built) / name).read_bytes()
    assert (again / "current").read_text() == (built / "current").read_text()  # content hash


def test_build_reports_unmapped_codes(raw_dir: Path, tmp_path: Path):
    lines: list[str] = []
    build.build(raw_dir, tmp_path / "o", region="84", echo=lines.append)
    text = "\n".join(lines)
    assert "01999" in text  # RPLS row that maps to no COG 2026 commune
    assert "01998" in text  # PVD row that maps to no COG 2026 commune
    assert "imputed for 1 (no census row)" in text
    info = json.loads((served_dir(tmp_path / "o") / build.BUILD_INFO_FILE).read_text("utf-8"))
    assert info["counts"]["residences_principales_estimees"] == 1
    assert set(info["inputs"]) >= {"rpls_2024_communes_sdes.csv", "geo_epci_aura.geojson"}


def test_map_layers_are_keyed_by_code(built: Path):
    epci = json.loads((served_dir(built) / "geo/epci.geojson").read_text("utf-8"))
    assert [f["id"] for f in epci["features"]] == ["200000001", "200000002"]
    com = json.loads((served_dir(built) / "geo/communes.geojson").read_text("utf-8"))
    ids = [f["id"] for f in com["features"]]
    assert ids == ["01001", "01002", "01004", "01005", "01006", "69123"]
    # Lyon has no polygon of its own in the raw layer: drawn as the union of its parts
    # (arrondissements 69381 and 69382, two halves of the square x = 5..6).
    assert com["features"][-1]["geometry"]["type"] == "Polygon"
    xs = [x for x, _ in com["features"][-1]["geometry"]["coordinates"][0]]
    assert (min(xs), max(xs)) == (5, 6)
    assert com["features"][0]["properties"] == {"code_insee": "01001", "nom": "Alpha"}


def test_failed_build_leaves_previous_tables_untouched(raw_dir: Path, built: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    before = {p: p.read_bytes() for p in built.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while simplifying")

    monkeypatch.setattr(build.geo, "simplify_layer", broken)
    with pytest.raises(RuntimeError):
        build.build(raw_dir, built, region="84", echo=lambda s: None)
    after = {p: p.read_bytes() for p in built.rglob("*") if p.is_file()}
    assert after == before  # same files, same bytes, no temporary file left


def test_failure_while_writing_removes_temporaries(raw_dir: Path, built: Path,
                                                   monkeypatch: pytest.MonkeyPatch):
    from dashboard.data import atomic

    before = {p: p.read_bytes() for p in built.rglob("*") if p.is_file()}
    calls = {"n": 0}
    real = pd.DataFrame.to_parquet

    def fail_after_first_write(self, path, *args, **kwargs):
        real(self, path, *args, **kwargs)  # the temporary file is written...
        calls["n"] += 1
        raise OSError(28, "No space left on device")  # ...then the write fails

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail_after_first_write)
    with pytest.raises(OSError):
        build.build(raw_dir, built, region="84", echo=lambda s: None)
    assert calls["n"] == 1
    after = {p: p.read_bytes() for p in built.rglob("*") if p.is_file()}
    assert after == before
    assert atomic  # module used by build


def test_invalid_built_table_is_not_written(raw_dir: Path, built: Path):
    before = (served_dir(built) / build.COMMUNES_FILE).read_bytes()
    with pytest.raises(SourceError, match="contrat"):
        build.build(raw_dir, built, region="84", validate=lambda df: ["colonne « x » : faux"],
                    echo=lambda s: None)
    assert (served_dir(built) / build.COMMUNES_FILE).read_bytes() == before


def test_broken_raw_file_is_a_french_error(raw_dir: Path, tmp_path: Path):
    path = raw_dir / "rpls_2024_communes_sdes.csv"
    path.write_text(path.read_text("utf-8").replace("nb_ls", "nbls"), "utf-8")
    with pytest.raises(SourceError, match="colonne.*absente.*nb_ls"):
        build.build(raw_dir, tmp_path / "o", region="84", echo=lambda s: None)
    assert not (tmp_path / "o").exists()


def test_unknown_region_is_refused(raw_dir: Path, tmp_path: Path):
    with pytest.raises(SourceError, match="région inconnue"):
        build.build(raw_dir, tmp_path / "o", region="99", echo=lambda s: None)


def test_share_helper():
    assert build.share(5, 20) == 25
    assert math.isnan(build.share(5, 0))


def test_official_columns_known_values(built: Path):
    t = table(built)
    # census: 01002 = its row + delegated 01003; Lyon = its 2 arrondissements; 01006 absent
    assert t.loc["01002", "rp_recensement_2021"] == 1500 + 200
    assert t.loc["01002", "population_2015"] == 3000 + 600
    assert t.loc["69123", "rp_recensement_2021"] == 3000 + 2500
    assert t.loc["69123", "population_2021"] == 5200 + 4800
    assert t.loc["01001", "recensement_statut"] == "mesuré"
    assert t.loc["01006", "recensement_statut"] == "absent du recensement"
    assert pd.isna(t.loc["01006", "rp_recensement_2021"])
    # SRU: the official list, not the population rule
    assert t["sru_soumise"].to_dict() == {c: c in ("01001", "01004") for c in t.index}
    assert t.loc["01001", ["sru_deficitaire", "sru_carencee", "sru_exemptee"]].tolist() == [
        True, False, False]
    assert t.loc["01001", "sru_taux"] == pytest.approx(18.5)
    assert t.loc["01001", "sru_taux_cible"] == 25
    assert t.loc["01001", "sru_logements_sociaux_inventaire"] == 1850
    assert t.loc["01001", "sru_prelevement_2025"] == pytest.approx(12345.6)
    assert pd.isna(t.loc["01004", "sru_taux"])  # "Pas d'inventaire"
    assert pd.isna(t.loc["01004", "sru_logements_sociaux_inventaire"])
    assert pd.isna(t.loc["01005", "sru_taux_cible"]) and pd.isna(
        t.loc["01005", "sru_prelevement_2025"])
    # PVD 2024: 01002 (PVD in the 2023 table through 01003) has left; 01001's ORT was
    # signed on the last day of its 18 months
    assert t["pvd_2024"].to_dict() == {c: c in ("01001", "01006") for c in t.index}
    assert t["pvd_sortie"].to_dict() == {c: c == "01002" for c in t.index}
    assert t.loc["01001", "pvd_date_adhesion"] == pd.Timestamp("2018-06-13")
    assert t.loc["01001", "pvd_jalon_ort"] == "ORT signée dans les 18 mois"
    assert t.loc["01006", "pvd_jalon_ort"] == "ORT pas encore signée"
    assert t["pvd_jalon_ort"].isna().sum() == 4
    # Villages d'avenir, QPV 2024, typologies, EPCI growth, pôles hors programme
    assert t["villages_avenir"].to_dict() == {c: c == "01005" for c in t.index}
    assert t["qpv_2024"].to_dict() == {"01001": 2, "01002": 0, "01004": 0, "01005": 0,
                                       "01006": 0, "69123": 1}
    assert t.loc["69123", "qpv_2024_codes"] == "QN003"
    assert t.loc["01004", "niveau_densite"] == "Petites villes"
    assert t["evolution_annuelle_ls_2019_2023"].to_dict() == {
        "01001": 1.5, "01002": 1.5, "01004": 1.5, "01005": -0.4, "01006": -0.4, "69123": -0.4}
    assert t["pole_hors_programme"].to_dict() == {c: c == "01002" for c in t.index}


def test_build_log_names_communes_without_census(built: Path):
    info = json.loads((served_dir(built) / build.BUILD_INFO_FILE).read_text("utf-8"))
    assert "census households, absent du recensement: Epsilon (01006)" in info["log"]
    assert info["counts"]["recensement_absent"] == 1
    assert (info["counts"]["sru_soumises"], info["counts"]["pvd_2024"],
            info["counts"]["pvd_sorties"], info["counts"]["poles_hors_programme"]) == (
        2, 2, 1, 1)
    assert "rp_menages_2021_communes_insee.csv" in info["inputs"]


def test_sru_rate_outside_0_100_is_refused_and_logged(built: Path):
    info = json.loads((served_dir(built) / build.BUILD_INFO_FILE).read_text("utf-8"))
    assert ("SRU : taux impossible pour PARIS (75056) : « 2126,00% » (hors de 0 à 100 %) ; "
            "valeur laissée vide") in info["log"]
