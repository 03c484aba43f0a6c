"""Page "Méthode et sources": content generated from the contracts and data files,
the parsing of SOURCES.md, and the template downloads."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from dashboard import config
from dashboard.data import bailleurs
from dashboard.data import provenance as m
from dashboard.data.atomic import served_dir
from dashboard.data.columns import COMMUNE_COLUMNS
from dashboard.data.sources import RAW_FILES
from dashboard.formatting import fmt_int
from tests.layout_tools import by_id, components, serialized

BUILD_INFO = served_dir(config.ROOT / "data") / "build_info.json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def page(app_module):
    from dashboard.pages import methode

    return methode


@pytest.fixture(scope="module")
def layout(page):
    return page.layout()


# --- the page ----------------------------------------------------------------------------

def test_every_commune_column_is_defined(layout):
    dl = by_id(layout, "colonnes-communes")
    text = serialized(dl)
    for spec in COMMUNE_COLUMNS:
        assert by_id(dl, f"colonnes-communes-{spec.name}") is not None, spec.name
        assert json.dumps(spec.definition, ensure_ascii=False)[1:-1] in text
        assert spec.vintage in text
    assert len([c for c in components(dl) if type(c).__name__ == "Dt"]) == len(COMMUNE_COLUMNS)


def test_every_engagement_column_and_level_is_defined(layout):
    text = serialized(by_id(layout, "colonnes-bailleurs"))
    for name in bailleurs.ENGAGEMENT_COLUMN_NAMES:
        assert f"colonnes-bailleurs-{name}" in text
    page_text = serialized(layout)
    for level in bailleurs.ENGAGEMENT_LEVELS:
        assert bailleurs.LEVEL_DEFINITIONS[level] in page_text
    assert f"« {bailleurs.ENGAGED_FROM} » (rang {bailleurs.ENGAGED_RANK})" in page_text
    assert "python -m dashboard.data validate CHEMIN" in page_text
    assert "data/engagements_bailleurs.csv ou data/engagements_bailleurs.xlsx" in page_text
    assert "données de démonstration" in serialized(by_id(layout, "methode-etat-bailleurs"))


def test_imputed_count_is_read_from_build_info(layout):
    counts = json.loads(BUILD_INFO.read_text("utf-8"))["counts"]
    text = serialized(by_id(layout, "methode-imputation"))
    assert counts["residences_principales_estimees"] == 0  # every commune has a census row
    assert (f"les résidences principales des {fmt_int(counts['communes'])} communes viennent "
            "du recensement 2021 (ménages) : aucune n'a été estimée.") in text


def test_ratio_sru_and_rebuild_sections(layout):
    text = serialized(layout)
    assert "100 × somme des logements sociaux / somme des résidences principales" in text
    assert "moyenne simple des taux" in serialized(by_id(layout, "methode-illustration"))
    assert "Statut SRU : l'inventaire officiel" in text
    counts = json.loads(BUILD_INFO.read_text("utf-8"))["counts"]
    assert (counts["sru_soumises"], counts["sru_deficitaires"], counts["sru_carencees"]) == (
        288, 155, 55)  # SOURCES.md: 288 in region 84, 155 déficitaires, 55 carencées
    assert "288 communes sont soumises à la loi, dont 155 déficitaires et 55 carencées" in text
    assert "Le taux légal SRU n'est pas la part de logements sociaux" in text
    assert "make data" in text and "python -m dashboard.data build" in text


def test_one_source_entry_per_raw_file_used(layout):
    sources = by_id(layout, "methode-sources")
    for name in RAW_FILES.values():
        assert by_id(sources, f"source-{name}") is not None, name
    assert len(sources.children) == len(RAW_FILES)
    assert "Licence Ouverte" in serialized(sources)


def test_download_links_point_to_the_route(layout, page):
    link = by_id(layout, "telecharger-engagements_bailleurs_modele-xlsx")
    assert link.href == "/telechargements/engagements_bailleurs_modele.xlsx"
    assert link.download == "engagements_bailleurs_modele.xlsx"


# --- downloads ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, mimetype, path", [
    (bailleurs.TEMPLATE_XLSX, XLSX, f"templates/{bailleurs.TEMPLATE_XLSX}"),
    (bailleurs.TEMPLATE_CSV, "text/csv", f"templates/{bailleurs.TEMPLATE_CSV}"),
    ("SCHEMA.md", "text/markdown", "SCHEMA.md"),
])
def test_templates_are_served(client, name, mimetype, path):
    resp = client.get(f"/telechargements/{name}")
    assert resp.status_code == 200
    assert resp.mimetype == mimetype
    assert resp.headers["Content-Disposition"] == f"attachment; filename={name}"
    assert resp.data == (config.ROOT / "data" / path).read_bytes()


@pytest.mark.parametrize("path", [
    "/telechargements/communes.parquet",
    "/telechargements/build_info.json",
    "/telechargements/../app.py",
    "/telechargements/..%2f..%2fapp.py",
    "/telechargements/templates/engagements_bailleurs_modele.xlsx",
    "/telechargements/engagements_bailleurs_modele.xlsx/..%2f..%2fSOURCES.md",
])
def test_other_files_are_refused(client, path):
    resp = client.get(path)
    assert resp.status_code == 404
    assert b"PK" not in resp.data[:2]


def test_download_path_only_knows_fixed_names():
    assert m.download_path("engagements_bailleurs_modele.xlsx").is_file()
    for name in ("../SOURCES.md", "/etc/passwd", "communes.parquet", "", "SCHEMA.MD"):
        assert m.download_path(name) is None


# --- data helpers of the page ------------------------------------------------------------

SAMPLE = """# Sources

## Reference files

### `a.csv`

- Contents: things.
- Licence: data under Licence Ouverte (Etalab), as stated.
- Rows: 3.

### `b.csv` (Programme B, 2021)

- Origin: a repository. Licence Ouverte (data), as for `a.csv`.
- Caveats:
  - first caveat about `col`;
  - second caveat
    on two lines.

---

## Target 2

### `c.csv`

- Licence: SDES publishes under Licence Ouverte 2.0 (not verified from a stored copy).
- Caveats: only one year.

### `d.geojson`

- Features: 12. Caveat: small holes.
- Origin and licence: as above (derived geometry).

### `e.csv`

- Licence: the repository is under GNU GPL v3 (code only).
"""


def test_parse_sources():
    entries = m.parse_sources(SAMPLE)
    assert [e.file for e in entries] == ["a.csv", "b.csv", "c.csv", "d.geojson", "e.csv"]
    a, b, c, d, e = entries
    assert a.licence == "data under Licence Ouverte (Etalab), as stated."
    assert a.licence_label == "Licence Ouverte" and a.caveats == ()
    assert b.label == "Programme B, 2021"
    assert b.licence == "Licence Ouverte (data), as for `a.csv`."
    assert b.caveats == ("first caveat about `col`;", "second caveat on two lines.")
    assert c.licence_label == "Licence Ouverte 2.0 probable (non vérifiée)"
    assert c.caveats == ("only one year.",)
    assert d.licence_label == c.licence_label  # "as above"
    assert d.caveats == ("small holes.",)
    assert e.licence_label == "licence non précisée par la source"


def test_used_and_unused_sources():
    entries = m.parse_sources(SAMPLE)
    used, missing = m.used_sources(entries, ("c.csv", "a.csv", "z.csv"))
    assert [e.file for e in used] == ["a.csv", "c.csv"]
    assert missing == ["z.csv"]
    assert m.unused_raw_files(entries, ("a.csv", "c.csv")) == ["b.csv", "d.geojson", "e.csv"]


def test_real_sources_document_every_raw_file_read():
    entries = m.read_sources()
    used, missing = m.used_sources(entries)
    assert missing == []
    assert len(used) == len(RAW_FILES)
    labels = {e.file: e.licence_label for e in used}
    assert labels["ref_communes_cog2026.csv"] == "Licence Ouverte"
    assert labels["rpls_2024_communes_sdes.csv"] == "Licence Ouverte 2.0 probable (non vérifiée)"
    assert labels["prog_ort_communes_dgaln.csv"] == "licence non précisée par la source"


def test_column_files_cover_every_commune_column():
    assert m.columns_without_files() == []
    for spec in COMMUNE_COLUMNS:
        keys = m.column_file_keys(spec.name)
        assert keys and set(keys) <= set(RAW_FILES), spec.name
    assert m.column_file_keys("rpls_inconnue") == ()
    assert m.column_files("logements_sociaux") == [RAW_FILES["rpls"], RAW_FILES["deleguees"]]
    entries = m.parse_sources("### `rpls_2024_communes_sdes.csv`\n\n- Licence: Licence Ouverte "
                              "2.0.\n")
    assert m.column_licences("taux_vacance_ls", entries) == ["Licence Ouverte 2.0"]
    assert m.column_licences("acv", entries) == ["voir data/SOURCES.md"]


@pytest.mark.parametrize("text, label", [
    ("Licence Ouverte (Etalab).", "Licence Ouverte"),
    ("Licence Ouverte 2.0 (licence file of the repository).", "Licence Ouverte 2.0"),
    ("normally under Licence Ouverte; not verified.", "Licence Ouverte probable (non vérifiée)"),
    ("not stated in the repository.", "licence non précisée par la source"),
    ("", "licence non précisée par la source"),
])
def test_licence_label(text, label):
    assert m.licence_label(text) == label


def test_build_info_reading(tmp_path):
    assert m.read_build_info(tmp_path / "absent.json") == {}
    bad = tmp_path / "bad.json"
    bad.write_text("{pas du json", "utf-8")
    assert m.read_build_info(bad) == {}
    info = m.read_build_info(BUILD_INFO)
    assert m.build_count(info, "communes") == json.loads(BUILD_INFO.read_text())["counts"][
        "communes"]
    assert m.build_count(info, "absent") is None
    assert m.build_count({}, "communes") is None


def test_rate_illustration_and_imputed_share():
    df = pd.DataFrame({"logements_sociaux": [10, 0, 90],
                       "residences_principales": [100.0, 0.0, 300.0],
                       "population": [200, 50, 750],
                       "residences_principales_estimees": [False, True, True]})
    out = m.rate_illustration(df)
    assert out["ratio"] == pytest.approx(25.0)  # 100 / 400, not the mean of 10 % and 30 %
    assert out["mean_of_rates"] == pytest.approx(20.0)
    assert out["communes"] == 2
    assert m.imputed_population_share(df) == pytest.approx(80.0)
    assert math.isnan(m.imputed_population_share(df.iloc[0:0]))


def test_ids_are_unique(layout):
    ids = [c.id for c in components(layout) if getattr(c, "id", None)]
    assert len(ids) == len(set(ids))


def test_with_code(page):
    parts = page.with_code("read `code_insee` as text")
    assert parts[0] == "read " and parts[2] == " as text"
    assert type(parts[1]).__name__ == "Code" and parts[1].children == "code_insee"


def test_every_raw_file_read_has_a_use():
    from_columns = {RAW_FILES[k] for c in COMMUNE_COLUMNS for k in m.column_file_keys(c.name)}
    for name in RAW_FILES.values():
        assert name in from_columns or name in m.OTHER_USES, name


def test_engagement_columns_do_not_point_to_raw_files(layout):
    dl = by_id(layout, "colonnes-bailleurs")
    assert "Fichier brut" not in serialized(dl) and "Fichiers bruts" not in serialized(dl)
    communes = serialized(by_id(layout, "colonnes-communes"))
    assert "Fichiers bruts : " in communes and "Fichier brut : " in communes
    assert m.ENGAGEMENT_LICENCE in serialized(dl)


# --- glossary first, data maintenance collapsed -------------------------------------------

def test_page_opens_with_the_glossary(layout):
    from dashboard import glossary

    sections = [c for c in components(layout) if type(c).__name__ == "Section"]
    assert sections[0].children[0].id == "glossaire"
    dl = by_id(layout, "methode-glossaire")
    text = serialized(dl)
    for entry in glossary.OFFICIALS:
        assert by_id(dl, f"glossaire-{entry.key}") is not None, entry.key
        assert json.dumps(entry.definition, ensure_ascii=False)[1:-1] in text


def test_data_maintenance_is_one_collapsed_section(layout):
    details = by_id(layout, "methode-maintenance")
    assert type(details).__name__ == "Details"
    assert not getattr(details, "open", None)  # closed until the reader opens it
    summary = details.children[0]
    assert type(summary).__name__ == "Summary"
    assert "Pour la mise à jour des données" in serialized(summary)
    inside = {c.id for c in components(details) if getattr(c, "id", None)}
    assert {"colonnes-communes", "colonnes-bailleurs", "methode-sources", "mise-a-jour",
            "sources", "indicateurs", "bailleurs-format"} <= inside
    # The officials' part stays outside: the engagement scale, the ratio, SRU.
    assert not {"glossaire", "bailleurs", "rapport-des-sommes", "sru"} & inside


def test_engagement_scale_shows_the_charts_colours_and_no_information_apart(layout):
    from dashboard import palette
    from tests.layout_tools import with_class

    swatches = [s.style["backgroundColor"] for s in with_class(layout, "pastille")]
    assert swatches == [*palette.ORDINAL, palette.NO_DATA]  # five levels, then grey
    text = serialized(by_id(layout, "methode-aucune-information"))
    assert "(« non sollicité » est une information)" in text
