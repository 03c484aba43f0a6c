"""Per-source steps of the build: RPLS sums, estimated main residences, the old
population rule of SRU, ACV, ORT and zoning tables.

Small pure functions on hand-made tables (tested in tests/data/test_build.py);
`build.py` chains them and re-exports their names.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .columns import ORT_STATUTS, ZONAGES_ABC
from .sources import SourceError

SRU_MIN_COMMUNE = 3500
SRU_MIN_EPCI = 50000
SRU_MIN_BIG_COMMUNE = 15000


# --- social housing (RPLS) ---------------------------------------------------------------

def aggregate_rpls(rpls: pd.DataFrame) -> pd.DataFrame:
    """Sum RPLS rows per COG 2026 commune (`code_cog2026`).

    Returns one row per commune with `logements_sociaux`, `rp_mesurees`
    (sum of nb_ls * 100 / densite over rows with densite > 0; NA when no row
    has one) and the stock-weighted vacancy and turnover rates.
    """
    df = rpls.dropna(subset=["code_cog2026"]).copy()
    measured = df["densite"] > 0
    df["rp"] = np.where(measured, df["nb_ls"] * 100 / df["densite"].where(measured, 1), 0.0)
    df["measured"] = measured
    df["w_vac"] = df["tx_vac"] * df["nb_ls"]
    df["w_mob"] = df["tx_mob"] * df["nb_ls"]
    g = df.groupby("code_cog2026", sort=True).agg(
        logements_sociaux=("nb_ls", "sum"), rp=("rp", "sum"), measured=("measured", "any"),
        w_vac=("w_vac", "sum"), w_mob=("w_mob", "sum"))
    out = pd.DataFrame(index=g.index)
    out["logements_sociaux"] = g["logements_sociaux"].astype("int64")
    out["rp_mesurees"] = g["rp"].where(g["measured"])
    stock = g["logements_sociaux"].where(g["logements_sociaux"] > 0)
    out["taux_vacance_ls"] = g["w_vac"] / stock
    out["taux_mobilite_ls"] = g["w_mob"] / stock
    out.index.name = "code_insee"
    return out


def impute_main_residences(df: pd.DataFrame) -> pd.DataFrame:
    """Fill `residences_principales` from `rp_mesurees` (the census), imputing the rest.

    Only a commune with no census row is imputed (none in region 84).

    Needs columns code_insee, epci_siren, departement, population, rp_mesurees.
    Imputed value = population * R, with R = sum(rp) / sum(population) over the
    measured communes of the same EPCI, or of the department when the EPCI has
    none (or the commune has no EPCI). A last fallback, the region's ratio,
    never triggers on the real data (every department has measured communes)
    but keeps a partial input from leaving holes.
    """
    out = df.copy()
    measured = out["rp_mesurees"].notna()
    m = out[measured]
    r_epci = m.groupby("epci_siren")["rp_mesurees"].sum() / m.groupby("epci_siren")[
        "population"].sum()
    r_dep = m.groupby("departement")["rp_mesurees"].sum() / m.groupby("departement")[
        "population"].sum()
    r_reg = m.groupby("region")["rp_mesurees"].sum() / m.groupby("region")["population"].sum()
    ratio = out["epci_siren"].map(r_epci)
    ratio = ratio.fillna(out["departement"].map(r_dep)).fillna(out["region"].map(r_reg))
    out["residences_principales"] = out["rp_mesurees"].where(measured,
                                                             out["population"] * ratio)
    out["residences_principales_estimees"] = ~measured
    return out


def share(numerator: pd.Series | float, denominator: pd.Series | float):
    """100 * numerator / denominator, NA where the denominator is 0."""
    if isinstance(denominator, pd.Series):
        return 100 * numerator / denominator.where(denominator > 0)
    return 100 * numerator / denominator if denominator else float("nan")


def sru_flag(df: pd.DataFrame) -> pd.Series:
    """Communes where the SRU threshold may apply (indication, not the inventory).

    3 500 inhabitants or more, in an EPCI of more than 50 000 inhabitants that
    contains a commune of more than 15 000. `df` must hold every commune of
    each EPCI (EPCI populations are computed from it).
    """
    by_epci = df.groupby("epci_siren")["population"]
    epci_pop = df["epci_siren"].map(by_epci.sum())
    epci_max = df["epci_siren"].map(by_epci.max())
    return ((df["population"] >= SRU_MIN_COMMUNE) & (epci_pop > SRU_MIN_EPCI)
            & (epci_max > SRU_MIN_BIG_COMMUNE)).fillna(False).astype(bool)


# --- programmes --------------------------------------------------------------------------

def acv_table(acv: pd.DataFrame) -> pd.DataFrame:
    """One row per ACV commune: id, phase, signature date, action counts."""
    df = acv.dropna(subset=["code_cog2026"]).sort_values(["code_cog2026", "id_acv"])
    df = df.drop_duplicates("code_cog2026")
    number = df["id_acv"].str.extract(r"^acv-(\d{3})$")[0].astype(float)
    phase2 = (df["acv2_ngeo2023"].str.lower() == "true") | (number > 222)
    out = pd.DataFrame({
        "acv": True,
        "acv_id": df["id_acv"].to_numpy(),
        "acv_phase": np.where(phase2, 2, 1),
        "acv_date_signature": pd.to_datetime(df["date_signature"], format="%d/%m/%Y").to_numpy(),
        "acv_actions_en_cours": df["actions_en_cours"].to_numpy(),
        "acv_actions_livrees": df["actions_livrees"].to_numpy(),
    }, index=pd.Index(df["code_cog2026"].to_numpy(), name="code_insee"))
    out["acv_phase"] = out["acv_phase"].astype("Int64")
    for col in ("acv_actions_en_cours", "acv_actions_livrees"):
        out[col] = pd.to_numeric(out[col]).astype("Int64")
    return out


ORT_RANK = {status: rank for rank, status in enumerate(ORT_STATUTS)}


def ort_table(ort: pd.DataFrame) -> pd.DataFrame:
    """One row per commune of the ORT tracking list: best status, its date.

    When several old communes map onto one COG 2026 commune, the most advanced
    status wins (Signée > En cours > Non signée > Non renseigné) with the
    earliest signature date among the rows carrying it.
    """
    df = ort.dropna(subset=["code_cog2026"]).copy()
    df["ort_statut"] = df["ort_signee"].fillna("Non renseigné")
    unknown = ~df["ort_statut"].isin(ORT_STATUTS)
    if unknown.any():
        raise SourceError("prog_ort_communes_dgaln.csv : statut ORT inconnu "
                          f"{df.loc[unknown, 'ort_statut'].iloc[0]!r}")
    df["rank"] = df["ort_statut"].map(ORT_RANK)
    df["ort_date_signature"] = pd.to_datetime(df["date_signature"], format="%Y-%m-%d")
    df = df.sort_values(["code_cog2026", "rank", "ort_date_signature"], na_position="last")
    df = df.drop_duplicates("code_cog2026")
    return pd.DataFrame({
        "ort_statut": df["ort_statut"].to_numpy(),
        "ort_date_signature": df["ort_date_signature"].to_numpy(),
    }, index=pd.Index(df["code_cog2026"].to_numpy(), name="code_insee"))


ZONE_RANK = {zone: rank for rank, zone in enumerate(ZONAGES_ABC)}


def zonage_table(zonage: pd.DataFrame) -> pd.Series:
    """Zone ABC per COG 2026 commune: the commune's own row if present, else the
    most tense zone among the old communes mapped onto it."""
    df = zonage.dropna(subset=["code_cog2026"]).copy()
    df["own"] = df["CODGEO"] == df["code_cog2026"]
    df["rank"] = df["zone"].map(ZONE_RANK)
    if df["rank"].isna().any():
        bad = df.loc[df["rank"].isna(), "zone"].iloc[0]
        raise SourceError(f"zonage_abc_2024_communes.csv : zone inconnue {bad!r}")
    df = df.sort_values(["code_cog2026", "own", "rank"], ascending=[True, False, True])
    df = df.drop_duplicates("code_cog2026")
    return pd.Series(df["zone"].to_numpy(), index=pd.Index(df["code_cog2026"].to_numpy(),
                                                           name="code_insee"))
