"""Indicators of any set of communes: always ratios of sums, never means of rates."""

from __future__ import annotations

import math

import pandas as pd

from ..registry import ANY, PROGRAMMES, programme_flags
from .official.summary import distinct_qpv
from .values import clean


def _with_flags(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with one count column per programme (`Programme.total`), `programme`,
    `population_programme`, the legal SRU flags, `sru_prelevement` (0 when not subject)
    and `avec_qpv` (the commune has a QPV 2024)."""
    flags = programme_flags(df)
    out = df.assign(**{p.total: flags[p.key] for p in PROGRAMMES})
    out[ANY] = flags[ANY]
    out["population_programme"] = out["population"].where(out[ANY], 0)
    subject = out["sru_soumise"].fillna(False).astype(bool)
    out["sru_soumise"] = subject
    out["sru_deficitaire"] = out["sru_deficitaire"].fillna(False).astype(bool)
    out["sru_carencee"] = out["sru_carencee"].fillna(False).astype(bool)
    out["sru_prelevement"] = out["sru_prelevement_2025"].where(subject, 0).fillna(0)
    out["avec_qpv"] = out["qpv_2024"].fillna(0) > 0
    return out


def rate(numerator: float, denominator: float) -> float:
    """100 * numerator / denominator, NaN when the denominator is 0 or missing."""
    if denominator is None or pd.isna(denominator) or denominator == 0:
        return math.nan
    return 100.0 * float(numerator) / float(denominator)


def totals(df: pd.DataFrame) -> dict[str, float | int]:
    """Indicators of one set of communes (EPCI, department, region, selection)."""
    flagged = _with_flags(df)
    population = int(flagged["population"].sum())
    out: dict[str, float | int] = {
        "nb_communes": len(flagged),
        "population": population,
        "logements_sociaux": int(flagged["logements_sociaux"].sum()),
        "residences_principales": float(flagged["residences_principales"].sum()),
    }
    out["taux_logements_sociaux"] = rate(out["logements_sociaux"], out["residences_principales"])
    for p in PROGRAMMES:
        out[p.total] = int(flagged[p.total].sum())
    out["communes_programme"] = int(flagged["programme"].sum())
    out["part_population_programme"] = rate(flagged["population_programme"].sum(), population)
    out.update(_official(flagged))
    out["qpv_2024"] = distinct_qpv(flagged)
    return out


def _official(flagged: pd.DataFrame) -> dict[str, int | float]:
    """The legal SRU counts, the 2025 levy and the communes with a QPV 2024."""
    return {
        "communes_sru_soumises": int(flagged["sru_soumise"].sum()),
        "communes_sru_deficitaires": int(flagged["sru_deficitaire"].sum()),
        "communes_sru_carencees": int(flagged["sru_carencee"].sum()),
        "sru_prelevement_2025": round(float(flagged["sru_prelevement"].sum()), 2),
        "communes_avec_qpv": int(flagged["avec_qpv"].sum()),
    }


def by_group(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """`totals` for each group of `keys` (e.g. ["epci_siren", "epci_nom"]), vectorised."""
    flagged = _with_flags(df)
    g = flagged.groupby(keys, sort=True, dropna=True)
    out = g.agg(
        nb_communes=("code_insee", "size"),
        population=("population", "sum"),
        logements_sociaux=("logements_sociaux", "sum"),
        residences_principales=("residences_principales", "sum"),
        **{p.total: (p.total, "sum") for p in PROGRAMMES},
        communes_programme=("programme", "sum"),
        population_programme=("population_programme", "sum"),
        communes_sru_soumises=("sru_soumise", "sum"),
        communes_sru_deficitaires=("sru_deficitaire", "sum"),
        communes_sru_carencees=("sru_carencee", "sum"),
        sru_prelevement_2025=("sru_prelevement", "sum"),
        communes_avec_qpv=("avec_qpv", "sum"),
    )
    rp = out["residences_principales"].where(out["residences_principales"] > 0)
    out["taux_logements_sociaux"] = 100 * out["logements_sociaux"] / rp
    pop = out["population"].where(out["population"] > 0)
    out["part_population_programme"] = 100 * out["population_programme"] / pop
    return out.drop(columns="population_programme").reset_index()


def with_outside(df: pd.DataFrame, outside: pd.DataFrame | None) -> pd.DataFrame:
    """The communes of `df` and the out-of-region communes of their EPCI (`outside`, the
    build's `communes_hors_region` table): what an EPCI's totals are computed over."""
    if outside is None or outside.empty:
        return df
    extra = outside[outside["epci_siren"].isin(set(df["epci_siren"].dropna()))]
    return pd.concat([df, extra], ignore_index=True) if len(extra) else df


def outside_counts(outside: pd.DataFrame | None, siren: str) -> dict[str, int]:
    """`nb_communes_hors_region` and `population_hors_region` of one EPCI."""
    rows = (outside[outside["epci_siren"] == siren] if outside is not None
            else pd.DataFrame({"population": []}))
    return {"nb_communes_hors_region": len(rows),
            "population_hors_region": int(rows["population"].sum())}


def epci_table(df: pd.DataFrame, outside: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per EPCI of `df` with its indicators and department(s), computed over all
    its communes: those of `df` and its out-of-region ones in `outside`.

    Also `nb_communes_hors_region`, `population_hors_region` and `hors_region` (True
    for an EPCI that crosses the regional border).
    """
    whole = with_outside(df, outside)
    out = by_group(whole, ["epci_siren", "epci_nom", "epci_type"])
    deps = (whole.dropna(subset=["epci_siren"]).groupby("epci_siren")["departement"]
            .agg(lambda s: ", ".join(sorted(set(s)))))
    out["departements"] = out["epci_siren"].map(deps)
    inside = df.dropna(subset=["epci_siren"]).groupby("epci_siren").agg(
        nb=("code_insee", "size"), pop=("population", "sum"))
    out["nb_communes_hors_region"] = (out["nb_communes"]
                                      - out["epci_siren"].map(inside["nb"])).astype("int64")
    out["population_hors_region"] = (out["population"]
                                     - out["epci_siren"].map(inside["pop"])).astype("int64")
    out["hors_region"] = out["nb_communes_hors_region"] > 0
    return out


SUMMARY_KEYS = ("nb_communes", "population", "logements_sociaux", "residences_principales",
                "taux_logements_sociaux", *(p.total for p in PROGRAMMES))


class UnknownCode(LookupError):
    """A territory code that is not in the table (message in French)."""


def epci_whole(df: pd.DataFrame, siren: str, outside: pd.DataFrame | None = None
               ) -> pd.DataFrame:
    """All the communes of an EPCI: its rows of `df` (the region's table) and its
    out-of-region communes of `outside`; UnknownCode when `df` has none."""
    rows = df[df["epci_siren"] == siren]
    if rows.empty:
        raise UnknownCode(f"EPCI inconnu : {siren!r} (aucune commune de la table)")
    return with_outside(rows, outside)


def summary_epci(df: pd.DataFrame, siren: str, outside: pd.DataFrame | None = None) -> dict:
    """Indicators of an EPCI over all its communes (`outside`: out-of-region ones)."""
    rows = epci_whole(df, siren, outside)
    t = totals(rows)
    out = {"epci_siren": siren, "epci_nom": rows["epci_nom"].iloc[0]}
    out.update({k: t[k] for k in SUMMARY_KEYS})
    return {k: clean(v) for k, v in out.items()}


def summary_departement(df: pd.DataFrame, code: str) -> dict:
    rows = df[df["departement"] == code]
    if rows.empty:
        raise UnknownCode(f"département inconnu : {code!r}")
    t = totals(rows)
    out = {"departement": code, "departement_nom": rows["departement_nom"].iloc[0]}
    out.update({k: t[k] for k in SUMMARY_KEYS})
    return {k: clean(v) for k, v in out.items()}


def summary_region(df: pd.DataFrame, code: str | None = None) -> dict:
    rows = df if code is None else df[df["region"] == code]
    if rows.empty:
        raise UnknownCode(f"région inconnue : {code!r}")
    t = totals(rows)
    regions = sorted(rows["region"].unique())
    out = {"region": regions[0] if len(regions) == 1 else "all",
           "region_nom": rows["region_nom"].iloc[0] if len(regions) == 1 else "France"}
    out.update({k: t[k] for k in SUMMARY_KEYS})
    return {k: clean(v) for k, v in out.items()}


COMMUNE_SUMMARY_KEYS = ("code_insee", "nom", "departement", "epci_siren", "epci_nom",
                        "population", "logements_sociaux", "residences_principales",
                        "residences_principales_estimees", "taux_logements_sociaux", "acv",
                        "pvd", "ami_centres_bourgs", "ort_statut")
"""No ACV phase (no source documents one) and no population rule of SRU: the official
SRU status comes with the commune's official facts."""


def summary_commune(df: pd.DataFrame, code: str) -> dict:
    rows = df[df["code_insee"] == code]
    if rows.empty:
        raise UnknownCode(f"commune inconnue : {code!r}")
    row = rows.iloc[0]
    out = {k: clean(row[k]) for k in COMMUNE_SUMMARY_KEYS}
    out["pvd"] = clean(row["pvd_2024"])  # the registry's PVD: the January 2024 list
    return out
