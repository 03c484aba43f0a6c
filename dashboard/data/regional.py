"""Regional data: indicators of the region's EPCI for the map, the KPI cards and
the ranking (its columns; the CSV / Excel files are made by `export.tables`).
The page's assembly is `views.regional`.

Pure pandas: no Dash here. Every rate is a ratio of sums
(`aggregate`), never a mean of commune rates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .. import registry
from ..formatting import plural
from . import aggregate, bailleurs
from .columns import ExportColumn
from .territories import excerpt

REGION_NOM = "Auvergne-Rhône-Alpes"

EPCI_TYPE_LABELS = {"CC": "CC", "CA": "CA", "CU": "CU", "METRO": "Métropole",
                    "MET69": "Métropole"}


# --- map indicators ----------------------------------------------------------------------

@dataclass(frozen=True)
class Indicator:
    """One indicator the map can show (`key` is its value in the URL)."""

    key: str
    label: str  # radio button label
    title: str  # figure title
    column: str  # column of `epci_frame`
    kind: str  # "pct" | "int"
    short: str  # colour bar title
    landlords: bool = False  # built from the landlord engagement table


INDICATORS: dict[str, Indicator] = {
    i.key: i for i in (
        Indicator("logement-social", "Part de logements sociaux",
                  "Part de logements sociaux",
                  "taux_logements_sociaux", "pct", "Logements sociaux (%)"),
        Indicator("communes-programme", "Nombre de communes en programme",
                  "Nombre de communes en programme",
                  "communes_programme", "int", "Communes en programme"),
        Indicator("population-programme", "Part de la population en commune de programme",
                  "Population en commune de programme",
                  "part_population_programme", "pct", "Population en commune de programme (%)"),
        Indicator("engagement-bailleurs", "Engagement des bailleurs sociaux",
                  "Communes de programme avec un bailleur engagé",
                  "taux_engagement", "pct", "Communes avec un bailleur engagé (%)",
                  landlords=True),
    )
}
DEFAULT_INDICATOR = "logement-social"


@dataclass(frozen=True)
class IndicatorLookup:
    """A checked indicator key (always usable) and, if the value was refused, why."""

    key: str
    error: str | None = None


def check_indicator(value: object) -> IndicatorLookup:
    """Check an indicator key from a URL or a control; unknown -> default + French message."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    text = "" if value is None else str(value).strip()
    if not text:
        return IndicatorLookup(DEFAULT_INDICATOR)
    if text in INDICATORS:
        return IndicatorLookup(text)
    default = INDICATORS[DEFAULT_INDICATOR].label.lower()
    return IndicatorLookup(
        DEFAULT_INDICATOR,
        f"« {excerpt(text)} » n'est pas un indicateur de la carte : la carte montre la "
        f"{default}. Indicateurs possibles : "
        + ", ".join(i.label.lower() for i in INDICATORS.values()) + ".",
    )


# --- EPCI table ------------------------------------------------------------------------

def epci_frame(communes: pd.DataFrame, engagements: pd.DataFrame | None,
               outside: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per EPCI (sorted by SIREN): indicators, type label and engagement.

    Columns of `aggregate.epci_table` (over all the EPCI's communes: `outside` holds
    the out-of-region ones) plus `type` ("Métropole" for METRO and MET69),
    `hors_region_texte` ("38 communes, 12 345 habitants" for an EPCI that crosses the
    regional border, else empty), `communes_engagees` / `taux_engagement` /
    `bailleurs_engages` (the landlord file covers the region: NaN when no engagement
    table is given).
    """
    out = aggregate.epci_table(communes, outside)
    out["type"] = out["epci_type"].map(EPCI_TYPE_LABELS).fillna(out["epci_type"])
    out["hors_region_texte"] = [
        f"{plural(n, 'commune')}, {plural(p, 'habitant')}" if n else ""
        for n, p in zip(out["nb_communes_hors_region"], out["population_hors_region"],
                        strict=True)]
    if engagements is None:
        for col in ("communes_engagees", "taux_engagement", "bailleurs_engages"):
            out[col] = math.nan
    else:
        eng = bailleurs.engagement_by_epci(engagements, communes)
        out = out.merge(eng[["epci_siren", "communes_engagees", "taux_engagement",
                             "bailleurs_engages"]], on="epci_siren", how="left")
    for col in ("nb_communes", "population", "logements_sociaux", "nb_communes_hors_region",
                "population_hors_region",
                *(p.total for p in registry.PROGRAMMES), "communes_programme",
                "communes_sru_soumises", "communes_sru_deficitaires", "communes_sru_carencees",
                "communes_avec_qpv"):
        out[col] = out[col].astype("int64")
    return out.sort_values("epci_siren").reset_index(drop=True)


def region_kpis(communes: pd.DataFrame, epci: pd.DataFrame) -> dict:
    """Regional totals (ratios of sums) and the engagement rate over the EPCI."""
    out = dict(aggregate.totals(communes))
    programme = out["communes_programme"]  # the region's: not the EPCI's communes outside
    engaged = epci["communes_engagees"].sum(min_count=1)
    out["communes_engagees"] = None if pd.isna(engaged) else int(engaged)
    out["taux_engagement"] = (math.nan if pd.isna(engaged)
                              else aggregate.rate(engaged, programme))
    return out


@dataclass(frozen=True)
class Extremes:
    """Lowest and highest value of a column and the EPCI names that have them."""

    low: float
    low_names: tuple[str, ...]
    high: float
    high_names: tuple[str, ...]
    count: int  # EPCI with a value


def extremes(epci: pd.DataFrame, column: str, digits: int = 1) -> Extremes | None:
    """Min and max of `column` (compared once rounded to `digits`), NaN ignored."""
    valid = epci.dropna(subset=[column])
    if valid.empty:
        return None
    rounded = valid[column].astype(float).round(digits)
    low, high = rounded.min(), rounded.max()
    return Extremes(
        float(low), tuple(sorted(valid.loc[rounded == low, "epci_nom"])),
        float(high), tuple(sorted(valid.loc[rounded == high, "epci_nom"])),
        len(valid),
    )


# --- the EPCI ranking's columns (grid, CSV and Excel) ------------------------------------

RANKING_SORT = "taux_logements_sociaux"
OUTSIDE_HEADER = "S'étend hors région"
OUTSIDE_NOTE = (f"« {OUTSIDE_HEADER} » : communes et habitants qu'une intercommunalité compte "
                "hors d'Auvergne-Rhône-Alpes. Ses chiffres (classement, carte et phrases de "
                "la carte compris) portent sur l'ensemble de ses communes ; seul "
                "l'engagement des bailleurs se limite à ses communes de la région.")


def ranking_columns(demo: bool) -> tuple[ExportColumn, ...]:
    """Columns of the EPCI ranking (grid, CSV and Excel), in display order."""
    engagement = "Communes de programme avec bailleur engagé" + (
        " (démonstration)" if demo else "")
    return (
        ExportColumn("epci_nom", "Intercommunalité (EPCI)"),
        ExportColumn("type", "Type"),
        ExportColumn("departements", "Départements"),
        ExportColumn("population", "Population", "int"),
        ExportColumn("nb_communes", "Communes", "int"),
        ExportColumn("logements_sociaux", "Logements sociaux", "int"),
        ExportColumn("taux_logements_sociaux", "Part de logements sociaux", "pct"),
        ExportColumn("communes_programme", "Communes en programme", "int"),
        ExportColumn("part_population_programme", "Population en commune de programme", "pct"),
        ExportColumn("taux_engagement", engagement, "pct"),
        ExportColumn("hors_region_texte", OUTSIDE_HEADER),
    )


XLSX_EXTRA = (ExportColumn("epci_siren", "SIREN"),)
