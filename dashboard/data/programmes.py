"""Revitalisation programmes across the region (those of `dashboard.registry`)
and the "pôles hors programme": communes that the INRAE-CESAER typology of
centralities (as used by ANCT) ranks as a *Centre structurant* or *Centre
intermédiaire d'équipements et de services* and that are in none of the
registry's `pole_programmes()` (column `pole_hors_programme` of the commune table).

Pure pandas, no Dash. Which communes are "in a programme" is the registry's
`programme_flags` (the one implementation of the rule); a commune in several
programmes counts once in every "communes en programme" total. The page's
assembly is `views.programmes`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .. import registry
from ..formatting import fmt_int
from .aggregate import rate
from .columns import ORT_STATUTS, ExportColumn
from .official.summary import departement_rows
from .official.table import POLE_LEVELS as POLE_CENTRALITY_LEVELS
from .regional import EPCI_TYPE_LABELS
from .territories import excerpt

PROGRAMMES: tuple[str, ...] = registry.KEYS  # flag columns of `flags`, registry order
PROGRAMME_LABELS: dict[str, str] = {p.key: p.label for p in registry.PROGRAMMES}
PROGRAMME_SHORT: dict[str, str] = {p.key: p.short for p in registry.PROGRAMMES}
SOURCE_KEYS: tuple[str, ...] = tuple(dict.fromkeys(p.source for p in registry.PROGRAMMES))
"""Raw files of the programmes (keys of `data.sources`), for source lines."""
EPCI_TYPE_ORDER: tuple[str, ...] = ("CC", "CA", "CU", "Métropole")
EPCI_TYPE_NAMES: dict[str, str] = {
    "CC": "Communautés de communes",
    "CA": "Communautés d'agglomération",
    "CU": "Communautés urbaines",
    "Métropole": "Métropoles",
}
ORT_SINCE = 2018

NO_ORT = "Aucune connue"  # commune absent from the national ORT follow-up
# Optional, secondary filter of the pôles: a minimum population (0: every pôle).
DEFAULT_SEUIL = 0
MIN_SEUIL = 0
MAX_SEUIL = 200_000


flags = registry.programme_flags
"""One boolean column per programme key and `programme` (any counting one)."""


def _counts(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    f = flags(df)
    data = pd.concat([df[keys], f], axis=1)
    data["nb_communes"] = 1
    data["population_programme"] = df["population"].where(f["programme"], 0)
    data["population"] = df["population"]
    out = data.groupby(keys, sort=True).agg(
        nb_communes=("nb_communes", "sum"), population=("population", "sum"),
        population_programme=("population_programme", "sum"),
        **{p: (p, "sum") for p in registry.KEYS}, programme=("programme", "sum"),
    ).reset_index()
    for col in ("nb_communes", "population", "population_programme", *registry.KEYS,
                "programme"):
        out[col] = out[col].astype("int64")
    return out


def counts_by_departement(df: pd.DataFrame) -> pd.DataFrame:
    """Per department (by code): communes, and communes per programme.

    Columns: departement, departement_nom, nb_communes, population,
    population_programme, one per programme key (`registry.KEYS`),
    programme (communes in at least one programme, each counted once).
    """
    return _counts(df, ["departement", "departement_nom"])


def counts_by_epci_type(df: pd.DataFrame) -> pd.DataFrame:
    """Per EPCI type (CC, CA, CU, Métropole = METRO + MET69; types present only)."""
    typed = df.dropna(subset=["epci_type"]).assign(
        type=lambda d: d["epci_type"].map(EPCI_TYPE_LABELS).fillna(d["epci_type"]))
    out = _counts(typed, ["type"])
    order = {t: i for i, t in enumerate(EPCI_TYPE_ORDER)}
    out = out.sort_values("type", key=lambda s: s.map(order).fillna(len(order)))
    out["type_nom"] = out["type"].map(EPCI_TYPE_NAMES).fillna(out["type"])
    return out.reset_index(drop=True)


def totals(df: pd.DataFrame) -> dict[str, int | float]:
    """Communes per programme, communes in any programme and their population share."""
    f = flags(df)
    out: dict[str, int | float] = {p: int(f[p].sum()) for p in registry.KEYS}
    out["programme"] = int(f["programme"].sum())
    out["nb_communes"] = len(df)
    out["part_population_programme"] = rate(df["population"].where(f["programme"], 0).sum(),
                                            df["population"].sum())
    return out


# --- ORT and ACV -------------------------------------------------------------------------

def ort_status_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Communes of the national ORT follow-up per status, in ORT_STATUTS order (zeros kept)."""
    counts = df["ort_statut"].value_counts()
    return pd.DataFrame({"statut": list(ORT_STATUTS),
                         "communes": [int(counts.get(s, 0)) for s in ORT_STATUTS]})


def ort_signatures_by_year(df: pd.DataFrame, since: int = ORT_SINCE) -> pd.DataFrame:
    """Signed ORT per year of `ort_date_signature`, from `since` to the last year (zeros kept).

    Columns: annee, signatures, cumul. Signed ORT without a date are not
    counted here (see `ort_signed_without_date`).
    """
    signed = df[df["ort_statut"].eq("Signée").fillna(False).astype(bool)]
    years = pd.to_datetime(signed["ort_date_signature"]).dt.year.dropna().astype(int)
    last = max([since, *years.tolist()])
    counts = years[years >= since].value_counts()
    out = pd.DataFrame({"annee": list(range(since, last + 1))})
    out["signatures"] = out["annee"].map(counts).fillna(0).astype("int64")
    out["cumul"] = out["signatures"].cumsum()
    return out


def ort_signed_without_date(df: pd.DataFrame) -> int:
    signed = df["ort_statut"].eq("Signée").fillna(False).astype(bool)
    return int((signed & df["ort_date_signature"].isna()).sum())


def acv_communes(df: pd.DataFrame) -> pd.DataFrame:
    """ACV communes with their convention date, by date then name (no date last).

    No phase: the sources do not document a phase 1 / phase 2 split."""
    cols = ["code_insee", "nom", "epci_nom", "departement_nom", "acv_date_signature",
            "acv_actions_en_cours", "acv_actions_livrees"]
    out = df.loc[df["acv"].astype(bool), cols].copy()
    return out.sort_values(["acv_date_signature", "nom"], na_position="last").reset_index(
        drop=True)


# --- communes-pôles hors programme -------------------------------------------------------

@dataclass(frozen=True)
class SeuilLookup:
    """A checked threshold (always usable) and, if the value was refused, why."""

    value: int
    error: str | None = None


def check_seuil(value: object) -> SeuilLookup:
    """The optional minimum population from the URL or the input: a whole number of
    inhabitants between MIN_SEUIL and MAX_SEUIL; missing -> no filter (0); anything
    else -> no filter + French message."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    fallback = "Aucun seuil de population n'est appliqué : tous les pôles sont listés."
    bounds = f"entre {fmt_int(MIN_SEUIL)} et {fmt_int(MAX_SEUIL)}"
    if value is None or (isinstance(value, str) and not value.strip()):
        return SeuilLookup(DEFAULT_SEUIL)
    number: float | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            number = None
    if number is None or math.isnan(number) or math.isinf(number):
        return SeuilLookup(DEFAULT_SEUIL,
                           f"« {excerpt(value)} » n'est pas un nombre d'habitants : la "
                           f"population minimale doit être un nombre entier {bounds}. "
                           + fallback)
    if number != int(number) or not MIN_SEUIL <= number <= MAX_SEUIL:
        return SeuilLookup(DEFAULT_SEUIL,
                           f"La population minimale doit être un nombre entier d'habitants "
                           f"{bounds} (« {excerpt(value)} » ne convient pas). " + fallback)
    return SeuilLookup(int(number))


# Centrality levels of a pôle, in the order of the list (the typology's own order).
POLE_LEVELS: tuple[str, ...] = POLE_CENTRALITY_LEVELS
POLE_LEVEL_SHORT: dict[str, str] = {POLE_LEVELS[0]: "Centre structurant",
                                    POLE_LEVELS[1]: "Centre intermédiaire"}

SRU_NOT_SUBJECT = "Non soumise"


def sru_status(df: pd.DataFrame) -> pd.Series:
    """The legal SRU status of each commune, in French (official inventory 2025)."""
    out = pd.Series(SRU_NOT_SUBJECT, index=df.index, dtype="object")
    subject = df["sru_soumise"].fillna(False).astype(bool)
    out[subject] = "Soumise, non déficitaire"
    out[subject & df["sru_deficitaire"].fillna(False).astype(bool)] = "Déficitaire"
    out[subject & df["sru_carencee"].fillna(False).astype(bool)] = "Déficitaire et carencée"
    out[subject & df["sru_exemptee"].fillna(False).astype(bool)] = "Exemptée"
    return out


HORS_PROGRAMME_COLUMNS = ["code_insee", "nom", "epci_siren", "epci_nom", "type",
                          "departement", "departement_nom", "niveau", "population",
                          "taux_logements_sociaux", "sru_statut", "sru_soumise", "ort_statut"]


def hors_programme(df: pd.DataFrame, seuil: int = DEFAULT_SEUIL,
                   departement: str | None = None) -> pd.DataFrame:
    """The pôles hors programme (column `pole_hors_programme`) of `seuil` inhabitants
    or more (0: all), sorted by level (Centre structurant first), then population
    (largest first), then name; `departement` narrows to one department.

    `ort_statut` says whether the pôle signed an ORT on its own (an ORT does not
    make it a programme commune here).
    """
    scope = df if departement is None else departement_rows(df, departement)
    mask = scope["pole_hors_programme"].fillna(False).astype(bool)
    out = scope[mask & (scope["population"] >= seuil)].copy()
    out["type"] = out["epci_type"].map(EPCI_TYPE_LABELS)
    out["ort_statut"] = out["ort_statut"].fillna(NO_ORT)
    out["niveau"] = out["centralite"].map(POLE_LEVEL_SHORT)
    out["sru_statut"] = sru_status(out)
    out["sru_soumise"] = out["sru_soumise"].fillna(False).astype(bool)
    out["rang"] = out["centralite"].map({v: i for i, v in enumerate(POLE_LEVELS)})
    out = out.sort_values(["rang", "population", "nom"], ascending=[True, False, True])
    return out[HORS_PROGRAMME_COLUMNS].reset_index(drop=True)


def hors_programme_counts(hors: pd.DataFrame, df: pd.DataFrame,
                          departement: str | None = None) -> pd.DataFrame:
    """Number of pôles hors programme per department (every department, zeros kept),
    or per EPCI of the department when `departement` is given.

    Columns: code, nom, communes, population.
    """
    if departement is None:
        keys, names = "departement", "departement_nom"
        scope = df
    else:
        keys, names = "epci_siren", "epci_nom"
        scope = departement_rows(df, departement).dropna(subset=["epci_siren"])
    places = scope[[keys, names]].drop_duplicates(keys).sort_values(keys)
    counts = hors.groupby(keys).agg(communes=("code_insee", "size"),
                                    population=("population", "sum"))
    out = pd.DataFrame({"code": places[keys].to_numpy(), "nom": places[names].to_numpy()})
    out["communes"] = out["code"].map(counts["communes"]).fillna(0).astype("int64")
    out["population"] = out["code"].map(counts["population"]).fillna(0).astype("int64")
    if departement is not None:
        out = out[out["communes"] > 0]
    return out.reset_index(drop=True)


def hors_programme_summary(hors: pd.DataFrame) -> dict[str, int]:
    """Count, population, levels, SRU-subject communes and signed ORT of a pôle list."""
    return {
        "communes": len(hors),
        "population": int(hors["population"].sum()),
        "structurants": int(hors["niveau"].eq(POLE_LEVEL_SHORT[POLE_LEVELS[0]]).sum()),
        "intermediaires": int(hors["niveau"].eq(POLE_LEVEL_SHORT[POLE_LEVELS[1]]).sum()),
        "sru": int(hors["sru_soumise"].astype(bool).sum()),
        "ort_signee": int(hors["ort_statut"].eq("Signée").sum()),
    }


HORS_PROGRAMME_EXPORT: tuple[ExportColumn, ...] = (
    ExportColumn("nom", "Commune"),
    ExportColumn("code_insee", "Code INSEE"),
    ExportColumn("niveau", "Niveau de centralité"),
    ExportColumn("epci_nom", "Intercommunalité (EPCI)"),
    ExportColumn("type", "Type d'EPCI"),
    ExportColumn("departement_nom", "Département"),
    ExportColumn("population", "Population", "int"),
    ExportColumn("taux_logements_sociaux", "Part de logements sociaux", "pct"),
    ExportColumn("sru_statut", "Loi SRU (inventaire 2025)"),
    ExportColumn("ort_statut", "ORT"),
)
