"""Build the commune indicator table (and the map layers) from `data/raw/`.

The method is the one of `docs/design.md` ("Indicator definitions"); every
step is a small pure function so it can be tested on hand-made tables.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import geo, official, precomputed
from .atomic import publish_version
from .build_steps import (  # noqa: F401  (re-exported: tests and other modules use them)
    ORT_RANK,
    SRU_MIN_BIG_COMMUNE,
    SRU_MIN_COMMUNE,
    SRU_MIN_EPCI,
    ZONE_RANK,
    acv_table,
    aggregate_rpls,
    impute_main_residences,
    ort_table,
    share,
    sru_flag,
    zonage_table,
)
from .cog import CodeMapper, MappingReport, remap
from .columns import COMMUNE_COLUMN_NAMES
from .official.table import official_columns, ort_milestone, poles_hors_programme
from .sources import RAW_FILES, SourceError, raw_path, read_csv

REGION_DEFAULT = "84"
COMMUNES_FILE = "communes.parquet"
OUTSIDE_FILE = "communes_hors_region.parquet"
"""Out-of-region communes of the region's cross-border EPCI (`build_tables`)."""
BUILD_INFO_FILE = "build_info.json"
GEO_DIR = "geo"
GEO_EPCI_FILE = "epci.geojson"
GEO_COMMUNES_FILE = "communes.geojson"



@dataclass
class BuildLog:
    """What the build did, printed at the end and saved in build_info.json."""

    lines: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, line: str) -> None:
        self.lines.append(line)

    def add_report(self, report: MappingReport) -> None:
        self.lines.extend(report.lines())


# --- official facts (issue 9) --------------------------------------------------------------

OFFICIAL_TEXT = ("recensement_statut", "recensement_ancienne_commune", "pvd_jalon_ort",
                 "qpv_2024_codes", "centralite", "niveau_densite")
OFFICIAL_FLOAT = ("sru_taux", "sru_prelevement_2025", "evolution_annuelle_ls_2019_2023")


def census_main_residences(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with `rp_mesurees`: the census main residences of each commune.

    A commune split after the census: the piece that kept the former commune's
    code (and its RPLS row) carries the whole former commune, the other pieces
    0, so EPCI totals stay exact (`recensement_statut` flags all the pieces).
    NA for a commune with no census row: `impute_main_residences` estimates it.
    """
    out = df.copy()
    rp = out["rp_recensement_2021"].astype("Float64")
    former = out["recensement_ancienne_commune"]
    holder = (former.notna() & (out["code_insee"] == former)).to_numpy(dtype=bool)
    other = (former.notna().to_numpy(dtype=bool)) & ~holder
    rp[holder] = out.loc[holder, "rp_recensement_ancienne_commune"].astype("Float64")
    rp[other] = 0
    out["rp_mesurees"] = rp.astype("float64")
    return out


def add_official_rules(df: pd.DataFrame) -> pd.DataFrame:
    """`df` (with the official, ACV, AMI and ORT columns) plus the PVD ORT milestone
    and the pôle-hors-programme flag."""
    out = df.copy()
    out["pvd_jalon_ort"] = ort_milestone(out["pvd_date_adhesion"], out["ort_statut"],
                                         out["ort_date_signature"])
    out["pole_hors_programme"] = poles_hors_programme(out)
    return out


def log_census_scope(df: pd.DataFrame, log: BuildLog) -> None:
    """Name the built communes whose census figure is missing or only their former commune's."""
    status = df["recensement_statut"]
    for label in (official.table.NOT_IN_CENSUS, official.table.FORMER_COMMUNE_ONLY):
        rows = df[status == label]
        if len(rows):
            names = ", ".join(f"{n} ({c})" for c, n in zip(rows["code_insee"], rows["nom"],
                                                           strict=True))
            log.add(f"census households, {label}: {names}")


# --- assembling --------------------------------------------------------------------------

def read_sources(raw_dir: Path, log: BuildLog, scope_deps: set[str] | None):
    """Read and remap every raw source. `scope_deps` limits what is reported."""
    communes = read_csv(raw_dir, "communes",
                        ["code_insee", "nom", "departement", "departement_nom", "region",
                         "region_nom", "epci_siren", "epci_nom", "epci_type", "population", "zone"],
                        numeric=("population",))
    others = read_csv(raw_dir, "deleguees", ["code_insee", "nom", "type", "commune_parent"])
    mapper = CodeMapper.from_frames(communes, others)

    def in_scope(codes: pd.Series) -> pd.Series | None:
        if scope_deps is None:
            return None
        return codes.str[:2].isin({d[:2] for d in scope_deps})

    def load(key, cols, code_col, numeric=(), sep=","):
        df = read_csv(raw_dir, key, cols, numeric=numeric, sep=sep)
        df, report = remap(df, code_col, mapper, RAW_FILES[key], keep=in_scope(df[code_col]))
        log.add_report(report)
        return df

    rpls = load("rpls", ["DEPCOM_ARM", "densite", "nb_ls", "tx_vac", "tx_mob"], "DEPCOM_ARM",
                numeric=("densite", "nb_ls", "tx_vac", "tx_mob"))
    acv = load("acv", ["insee_com", "id_acv", "date_signature", "actions_en_cours",
                       "actions_livrees", "acv2_ngeo2023"], "insee_com")
    anct = load("anct", ["insee_com", "id_pvd"], "insee_com")
    ami = load("ami", ["code_insee", "id_amicb"], "code_insee")
    ort = load("ort", ["code_insee", "ort_signee", "date_signature"], "code_insee")
    zonage = load("zonage", ["CODGEO", "Zone en vigueur depuis le 5 juillet 2024"], "CODGEO",
                  sep=";").rename(columns={"Zone en vigueur depuis le 5 juillet 2024": "zone"})
    tendue = load("zone_tendue", ["code_insee"], "code_insee")
    return communes, rpls, acv, anct, ami, ort, zonage, tendue


def _scope_departements(raw_dir: Path, region: str) -> set[str]:
    """Departments whose mapping problems the build reports: the region's, and those of
    the out-of-region communes of its cross-border EPCI (`communes_hors_region`)."""
    ref = read_csv(raw_dir, "communes", ["departement", "region", "epci_siren"])
    inside = ref["region"] == region
    deps = set(ref.loc[inside, "departement"])
    if not deps:
        raise SourceError(f"région inconnue : {region}")
    epci = set(ref.loc[inside, "epci_siren"].dropna())
    return deps | set(ref.loc[~inside & ref["epci_siren"].isin(epci), "departement"])


def _france_table(raw_dir: Path, scope_deps: set[str] | None, log: BuildLog) -> pd.DataFrame:
    """Every commune of France (without the COM) with every built column."""
    communes, rpls, acv, anct, ami, ort, zonage, tendue = read_sources(raw_dir, log, scope_deps)

    com = communes["zone"] == "com"
    log.add(f"France-wide base: {len(communes)} communes; {int(com.sum())} communes of the "
            "overseas collectivities (COM) left out: outside RPLS")
    df = communes.loc[~com].drop(columns="zone").copy()
    df["population"] = df["population"].round().astype("int64")

    social = aggregate_rpls(rpls).drop(columns="rp_mesurees")
    df = df.join(social, on="code_insee")
    df["logements_sociaux"] = df["logements_sociaux"].fillna(0).astype("int64")
    df = df.join(official_columns(raw_dir, log.add), on="code_insee")
    df = impute_main_residences(census_main_residences(df))
    df["taux_logements_sociaux"] = share(df["logements_sociaux"], df["residences_principales"])
    df["sru_seuil_applicable"] = sru_flag(df)

    zones = zonage_table(zonage)
    df["zonage_abc"] = df["code_insee"].map(zones)
    df["zone_tendue"] = df["code_insee"].isin(set(tendue["code_cog2026"].dropna()))

    df = df.join(acv_table(acv), on="code_insee")
    df["acv"] = df["acv"].astype("boolean").fillna(False).astype(bool)
    df["pvd"] = df["code_insee"].isin(set(anct.loc[anct["id_pvd"].notna(), "code_cog2026"]))
    df["ami_centres_bourgs"] = df["code_insee"].isin(set(ami["code_cog2026"].dropna()))
    df = df.join(ort_table(ort), on="code_insee")
    return add_official_rules(df)


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    """The rows in code order, with the contract's columns and types."""
    df = df.sort_values("code_insee").reset_index(drop=True)
    for col in ("acv_date_signature", "ort_date_signature", "pvd_date_adhesion"):
        df[col] = df[col].astype("datetime64[ns]")
    for col in ("code_insee", "nom", "departement", "departement_nom", "region", "region_nom",
                "epci_siren", "epci_nom", "epci_type", "acv_id", "zonage_abc", "ort_statut",
                *OFFICIAL_TEXT):
        df[col] = df[col].astype("str").where(df[col].notna(), None).astype("str")
    for col in OFFICIAL_FLOAT:
        df[col] = df[col].astype("Float64").astype("float64")
    return df[list(COMMUNE_COLUMN_NAMES)]


def split_region(df: pd.DataFrame, region: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the communes of `region`, the out-of-region communes of its EPCI).

    An EPCI that crosses the regional border keeps its figures whole: its other
    communes go to the separate table `communes_hors_region`, which only EPCI
    totals read (never the region's or a department's).
    """
    inside = (df["region"] == region).to_numpy(dtype=bool)
    epci = set(df.loc[inside, "epci_siren"].dropna())
    outside = ~inside & df["epci_siren"].isin(epci).to_numpy(dtype=bool)
    return df[inside], df[outside]


def build_tables(raw_dir: Path, region: str | None, log: BuildLog
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The commune indicator table for `region` (None: France without the COM) and the
    out-of-region communes of its cross-border EPCI (empty for France).

    Everything is computed France-wide first (imputation ratios and SRU EPCI
    populations need whole EPCI), then split, so a region build and a France
    build agree on every commune, inside the region or not.
    """
    scope_deps = None if region is None else _scope_departements(raw_dir, region)
    df = _france_table(raw_dir, scope_deps, log)
    if region is None:
        outside = df.iloc[0:0]
    else:
        df, outside = split_region(df, region)
    df, outside = _finish(df), _finish(outside)
    log_census_scope(df, log)
    _count(df, log)
    n_epci = outside["epci_siren"].nunique()
    log.counts.update({"communes_hors_region": len(outside), "epci_hors_region": int(n_epci)})
    if len(outside):
        log.add(f"{len(outside)} communes outside the region in {n_epci} cross-border EPCI "
                f"({int(outside['population'].sum())} inhabitants): written to "
                f"{OUTSIDE_FILE}, counted in their EPCI's totals only")
    return df, outside


def build_commune_table(raw_dir: Path, region: str | None, log: BuildLog) -> pd.DataFrame:
    """The commune indicator table for `region` (None: France without the COM)."""
    return build_tables(raw_dir, region, log)[0]


def _count(df: pd.DataFrame, log: BuildLog) -> None:
    """The build's counts (build_info.json) and its summary line."""
    estimated = int(df["residences_principales_estimees"].sum())
    no_ratio = int(df["residences_principales"].isna().sum())
    log.counts.update({
        "communes": len(df), "residences_principales_estimees": estimated,
        "residences_principales_sans_estimation": no_ratio,
        "communes_avec_logements_sociaux": int((df["logements_sociaux"] > 0).sum()),
        "acv": int(df["acv"].sum()), "pvd": int(df["pvd"].sum()),
        "ami_centres_bourgs": int(df["ami_centres_bourgs"].sum()),
        "ort_signees": int((df["ort_statut"] == "Signée").sum()),
        "sru_seuil_applicable": int(df["sru_seuil_applicable"].sum()),
        "sru_soumises": int(df["sru_soumise"].sum()),
        "sru_deficitaires": int(df["sru_deficitaire"].sum()),
        "sru_carencees": int(df["sru_carencee"].sum()),
        "pvd_2024": int(df["pvd_2024"].sum()), "pvd_sorties": int(df["pvd_sortie"].sum()),
        "villages_avenir": int(df["villages_avenir"].sum()),
        "communes_avec_qpv_2024": int((df["qpv_2024"] > 0).sum()),
        "poles_hors_programme": int(df["pole_hors_programme"].sum()),
        "recensement_absent": int((df["recensement_statut"] == official.table.NOT_IN_CENSUS)
                                  .sum()),
    })
    log.add(f"{len(df)} communes; main residences from the census 2021 households, imputed "
            f"for {estimated} (no census row), {no_ratio} left without an estimate")


def map_layers(raw_dir: Path, table: pd.DataFrame) -> tuple[str, geo.CommuneLayer]:
    """The EPCI and commune map layers of the table's territories (`geo` module).

    Every commune of the table gets a feature (a commune nouvelle missing from
    the raw layer is rebuilt, split communes share their former commune's
    feature: the split communes are those the census reader detects, see
    `official.census.detect_splits`) or the build fails with a French message.
    """
    deleguees = read_csv(raw_dir, "deleguees", ["code_insee", "nom", "commune_parent"])
    ref = official.reference(raw_dir)
    splits = official.split_pieces(official.main_residences(raw_dir, ref).splits, ref.communes)
    communes = geo.commune_layer(raw_path(raw_dir, "geo_communes"),
                                 table[["code_insee", "nom", "epci_siren"]], deleguees, splits)
    epci_of = dict(zip(table["code_insee"], table["epci_siren"], strict=True))
    extra: dict[str, list] = {}
    for code, polygon in communes.rebuilt.items():
        extra.setdefault(epci_of[code], []).append(polygon)
    epci = geo.simplify_layer(raw_path(raw_dir, "geo_epci"), "epci_siren",
                              set(table["epci_siren"].dropna()), geo.EPCI_TOLERANCE,
                              extra=extra)
    problems = geo.check_epci_layer(json.loads(epci), set(table["epci_siren"].dropna()))
    if problems:
        raise SourceError("carte des EPCI incomplète :\n" + "\n".join(problems))
    return epci, communes


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(raw_dir: Path, out_dir: Path, region: str | None = REGION_DEFAULT,
          validate: Callable[[pd.DataFrame], list[str]] | None = None,
          echo: Callable[[str], None] = print) -> BuildLog:
    """Build every table as one new version of `out_dir`, switched atomically.

    The outputs (a mapping name -> writer) are published by
    `atomic.publish_version`: `out_dir/tables/<version>/` and the
    pointer `out_dir/current`. Nothing served changes unless every output was
    produced and the commune table passed `validate` (which returns problem lines).
    """
    log = BuildLog()
    table, outside = build_tables(raw_dir, region, log)
    if validate is not None:
        for frame, name in ((table, "la table construite"),
                            (outside, "la table des communes hors région")):
            problems = validate(frame) if len(frame) else []
            if problems:
                raise SourceError(f"{name} ne respecte pas son contrat :\n"
                                  + "\n".join(problems))

    outputs: dict[str, Callable[[Path], None]] = {
        COMMUNES_FILE: lambda p: table.to_parquet(p, index=False, compression="zstd"),
    }
    if len(outside):  # none for France, or a region without cross-border EPCI
        outputs[OUTSIDE_FILE] = lambda p: outside.to_parquet(p, index=False,
                                                             compression="zstd")
    used = ["communes", "deleguees", "rpls", "acv", "anct", "ami", "ort", "zonage",
            "zone_tendue", "menages", "sru", "pvd_2024", "qpv_2024", "centralites", "densite",
            "rpls_evolution"]
    if region is not None:
        layers = map_layers(raw_dir, table)
        geo_epci, geo_com = layers
        outputs[f"{GEO_DIR}/{GEO_EPCI_FILE}"] = lambda p: p.write_text(geo_epci, "utf-8")
        outputs[f"{GEO_DIR}/{GEO_COMMUNES_FILE}"] = lambda p: p.write_text(geo_com.text, "utf-8")
        used += ["geo_epci", "geo_communes"]
        for line in geo_com.log:
            log.add(line)
        log.add(f"map layers: EPCI {len(geo_epci) // 1024} KB, communes "
                f"{len(geo_com.text) // 1024} KB")
    # Per-EPCI slices for the app's first views (precomputed/, see precomputed.py).
    outputs.update(precomputed.writers(
        table, table.to_parquet(None, index=False, compression="zstd"),
        geo_com.text if region is not None else None, outside))
    info = {
        "region": region or "all",
        "counts": log.counts,
        "inputs": {RAW_FILES[k]: file_digest(raw_path(raw_dir, k)) for k in used},
        "log": log.lines,
    }
    outputs[BUILD_INFO_FILE] = lambda p: p.write_text(
        json.dumps(info, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8")
    version = publish_version(out_dir, outputs)
    for line in log.lines:
        echo(line)
    echo(f"written to {version} (served through {out_dir / 'current'}): "
         f"{', '.join(sorted(outputs))}")
    return log
