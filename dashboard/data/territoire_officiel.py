"""The official facts of one EPCI and of one commune for the territory profile:
legal SRU status, dated PVD adhesions and their ORT milestone, trends of the
social stock and of the population, split communes, density and centrality
(pure pandas, known-answer tests in tests/data/test_territoire_officiel.py).

Kept apart from `territoire.py` because the build precomputes that module's
slices; these facts are read live from the commune table (one EPCI's rows).
"""

from __future__ import annotations

import math

import pandas as pd

from .. import registry
from .aggregate import epci_whole
from .territoire import epci_rows

PVD = registry.BY_KEY["PVD"]
EVENT_PVD = f"Adhésion à {PVD.label}"
SPLIT_STATUS = "données disponibles pour l'ancienne commune seulement"
"""`recensement_statut` of a commune split after the census (SCHEMA.md)."""
ORT_MILESTONES = ("ORT signée dans les 18 mois", "ORT signée après 18 mois",
                  "ORT pas encore signée", "ORT signée, date inconnue")
"""Values of `pvd_jalon_ort` (SCHEMA.md), in the order they are counted."""
CENSUS_YEARS = (2015, 2021)


def annual_growth(start: float | None, end: float | None, years: int) -> float:
    """Average annual growth in percent, compounded ((end/start)^(1/years) − 1);
    NaN when a value is missing or `start` is not positive."""
    if start is None or end is None or pd.isna(start) or pd.isna(end) or start <= 0:
        return math.nan
    return 100 * ((float(end) / float(start)) ** (1 / years) - 1)


def _population_trend(rows: pd.DataFrame) -> dict:
    """Sums of population_2015/2021 over the communes that have both, and the growth."""
    known = rows[rows["population_2015"].notna() & rows["population_2021"].notna()]
    p15 = int(known["population_2015"].sum())
    p21 = int(known["population_2021"].sum())
    years = CENSUS_YEARS[1] - CENSUS_YEARS[0]
    return {"population_2015": p15, "population_2021": p21,
            "communes_sans_serie": int(len(rows) - len(known)),
            "evolution_population": annual_growth(p15, p21, years) if len(known) else math.nan}


def epci_facts(df: pd.DataFrame, siren: str, outside: pd.DataFrame | None = None) -> dict:
    """Official facts of an EPCI: all its communes, those of the table and its
    out-of-region ones in `outside` (the build's `communes_hors_region`).

    Keys: communes_sru_soumises, communes_sru_deficitaires, communes_sru_carencees,
    communes_sru_exemptees, sru_prelevement_2025 (euros, sum), sru_cibles (targets
    present, sorted), evolution_annuelle_ls_2019_2023 (as published, NaN when
    absent), population_2015, population_2021, communes_sans_serie,
    evolution_population (% per year), jalons_ort ({milestone: communes}),
    pvd_sorties (names of the communes that left PVD), communes_ancienne_commune
    (communes split after the census: figures of the former commune only).
    """
    rows = epci_whole(df, siren, outside)
    sru = rows[rows["sru_soumise"].astype(bool)]
    growth = rows["evolution_annuelle_ls_2019_2023"].dropna()
    jalons = rows["pvd_jalon_ort"].value_counts()
    return {
        "communes_sru_soumises": int(len(sru)),
        "communes_sru_deficitaires": int(rows["sru_deficitaire"].astype(bool).sum()),
        "communes_sru_carencees": int(rows["sru_carencee"].astype(bool).sum()),
        "communes_sru_exemptees": int(rows["sru_exemptee"].astype(bool).sum()),
        "sru_prelevement_2025": float(rows["sru_prelevement_2025"].fillna(0).sum()),
        "sru_cibles": sorted(int(t) for t in sru["sru_taux_cible"].dropna().unique()),
        "evolution_annuelle_ls_2019_2023": float(growth.iloc[0]) if len(growth) else math.nan,
        **_population_trend(rows),
        "jalons_ort": {m: int(jalons.get(m, 0)) for m in ORT_MILESTONES},
        "pvd_sorties": sorted(rows.loc[rows["pvd_sortie"].astype(bool), "nom"].astype(str)),
        "communes_ancienne_commune": int(rows["recensement_statut"].eq(SPLIT_STATUS).sum()),
    }


def commune_facts(df: pd.DataFrame, siren: str) -> pd.DataFrame:
    """Per commune of the EPCI: code_insee, sru_soumise, sru_taux_cible (float, NaN
    outside SRU), ancienne_commune (code of the former commune for a split commune,
    else None), pvd_sortie, pvd_jalon_ort."""
    rows = epci_rows(df, siren)
    split = rows["recensement_statut"].eq(SPLIT_STATUS).fillna(False)
    return pd.DataFrame({
        "code_insee": rows["code_insee"].astype(str).to_numpy(),
        "sru_soumise": rows["sru_soumise"].astype(bool).to_numpy(),
        "sru_taux_cible": rows["sru_taux_cible"].astype("Float64").astype("float64").to_numpy(),
        "ancienne_commune": [str(old) if is_split else None for old, is_split in
                             zip(rows["recensement_ancienne_commune"], split, strict=True)],
        "pvd_sortie": rows["pvd_sortie"].astype(bool).to_numpy(),
        "pvd_jalon_ort": [None if pd.isna(v) else str(v) for v in rows["pvd_jalon_ort"]],
    })


def former_commune(df: pd.DataFrame, code: str) -> dict | None:
    """The former commune of a split commune: code, its census main residences, its
    social housing (all its pieces), share, and the names of its pieces; None for a
    commune that is not split."""
    row = df[df["code_insee"] == code]
    if row.empty or row["recensement_statut"].iloc[0] != SPLIT_STATUS:
        return None
    old = row["recensement_ancienne_commune"].iloc[0]
    pieces = df[df["recensement_ancienne_commune"] == old]
    rp = pieces["rp_recensement_ancienne_commune"].dropna()
    rp_value = float(rp.iloc[0]) if len(rp) else math.nan
    ls = int(pieces["logements_sociaux"].sum())
    return {"code": str(old), "residences_principales": rp_value, "logements_sociaux": ls,
            "taux_logements_sociaux": 100 * ls / rp_value if rp_value > 0 else math.nan,
            "communes": sorted(pieces["nom"].astype(str))}


def _value(row: pd.Series, key: str) -> object:
    value = row[key]
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def commune_context(df: pd.DataFrame, code: str) -> dict:
    """The selected commune's official facts: nom, taux_logements_sociaux (RPLS share),
    sru_soumise, sru_deficitaire, sru_carencee, sru_exemptee, sru_taux, sru_taux_cible,
    population_2015, population_2021, evolution_population, niveau_densite, centralite,
    ancienne_commune (`former_commune`, None when not split)."""
    row = df[df["code_insee"] == code].iloc[0]
    out = {k: _value(row, k) for k in (
        "nom", "taux_logements_sociaux", "sru_taux", "sru_taux_cible", "population_2015",
        "population_2021", "niveau_densite", "centralite")}
    for key in ("sru_soumise", "sru_deficitaire", "sru_carencee", "sru_exemptee"):
        out[key] = bool(row[key])
    out["evolution_population"] = annual_growth(
        out["population_2015"], out["population_2021"], CENSUS_YEARS[1] - CENSUS_YEARS[0])
    out["ancienne_commune"] = former_commune(df, code)
    return out


def pvd_milestones(df: pd.DataFrame, siren: str) -> pd.DataFrame:
    """PVD adhesions (`pvd_date_adhesion`) of the EPCI's PVD communes, in the columns
    of `territoire.milestones` (date, annee_seule, code_insee, commune, programme,
    evenement)."""
    rows = epci_rows(df, siren)
    rows = rows[PVD.flag(rows) & rows["pvd_date_adhesion"].notna()]
    return pd.DataFrame({
        "date": rows["pvd_date_adhesion"].astype("datetime64[ns]"), "annee_seule": False,
        "code_insee": rows["code_insee"].astype(str), "commune": rows["nom"].astype(str),
        "programme": PVD.key, "evenement": EVENT_PVD}).reset_index(drop=True)


def with_pvd(events: pd.DataFrame, pvd: pd.DataFrame) -> pd.DataFrame:
    """`territoire.milestones` and `pvd_milestones` in one table, oldest first."""
    out = pd.concat([e for e in (events, pvd) if not e.empty] or [events], ignore_index=True)
    out = out.astype({"annee_seule": bool, "code_insee": "str", "commune": "str",
                      "programme": "str", "evenement": "str"})
    return out.sort_values(["date", "commune", "evenement"], kind="stable").reset_index(drop=True)


def pvd_columns(df: pd.DataFrame, siren: str) -> pd.DataFrame:
    """The EPCI's PVD communes and the communes that left PVD: code_insee, nom,
    population, pvd_date_adhesion, pvd_sortie, pvd_jalon_ort, ort_statut,
    ort_date_signature."""
    rows = epci_rows(df, siren)
    rows = rows[PVD.flag(rows) | rows["pvd_sortie"].astype(bool)]
    return pd.DataFrame({
        "code_insee": rows["code_insee"].astype(str), "nom": rows["nom"].astype(str),
        "population": rows["population"].astype("int64"),
        "pvd_date_adhesion": rows["pvd_date_adhesion"].astype("datetime64[ns]"),
        "pvd_sortie": rows["pvd_sortie"].astype(bool),
        "pvd_jalon_ort": [None if pd.isna(v) else str(v) for v in rows["pvd_jalon_ort"]],
        "ort_statut": rows["ort_statut"].to_numpy(),
        "ort_date_signature": rows["ort_date_signature"].to_numpy(),
    }).reset_index(drop=True)


def with_pvd_columns(table: pd.DataFrame, pvd: pd.DataFrame) -> pd.DataFrame:
    """`territoire.programme_communes` with the PVD columns of `pvd_columns`; a commune
    that left PVD and is in no programme any more is added at the end."""
    extra = pvd.drop(columns=["nom", "population", "ort_statut", "ort_date_signature"])
    out = table.merge(extra, on="code_insee", how="left")
    out["pvd_sortie"] = out["pvd_sortie"].fillna(False).astype(bool)
    gone = pvd[pvd["pvd_sortie"] & ~pvd["code_insee"].isin(table["code_insee"])]
    if not gone.empty:
        out = pd.concat([out, gone.assign(programmes="", acv=False, pvd=False)],
                        ignore_index=True)
    return out
