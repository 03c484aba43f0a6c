"""Typologies (INRAE-CESAER centralities, INSEE density grid) and EPCI social-stock growth."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..sources import RAW_FILES, SourceError, read_csv
from .common import CENTRALITY_LEVELS, CENTRALITY_UNDEFINED, DENSITY_LEVELS


def _levels(raw_dir: Path, key: str, column: str, allowed: tuple[str, ...],
            undefined: str | None = None) -> pd.Series:
    df = read_csv(raw_dir, key, ["insee_com", column])
    if df["insee_com"].duplicated().any():
        raise SourceError(f"{RAW_FILES[key]} : code "
                          f"{df.loc[df['insee_com'].duplicated(), 'insee_com'].iloc[0]} "
                          "présent deux fois")
    values = df[column].where(df[column] != undefined) if undefined else df[column]
    bad = values.notna() & ~values.isin(allowed)
    if bad.any():
        raise SourceError(f"{RAW_FILES[key]} : niveau inconnu {values[bad].iloc[0]!r} "
                          f"(commune {df.loc[bad, 'insee_com'].iloc[0]})")
    return pd.Series(values.astype("string").to_numpy(),
                     index=pd.Index(df["insee_com"].to_numpy(), name="code_insee"))


def centralities(raw_dir: Path) -> pd.Series:
    """INRAE-CESAER centrality level per commune (COG 2026 code), as written in the source.

    One of `CENTRALITY_LEVELS`; NA where the source prints " - undefined"
    (communes of the DROM).
    """
    return _levels(raw_dir, "centralites", "niveau_centralite", CENTRALITY_LEVELS,
                   CENTRALITY_UNDEFINED).rename("centralite")


def density(raw_dir: Path) -> pd.Series:
    """INSEE communal density grid level (7 levels, `DENSITY_LEVELS`) per commune (COG 2026)."""
    return _levels(raw_dir, "densite", "niveau_densite", DENSITY_LEVELS).rename("densite")


def rpls_growth_epci(raw_dir: Path) -> pd.Series:
    """Average annual growth of the social stock 2019-2023 per EPCI (SIREN), in % per year.

    As published by the Observatoire des territoires (one decimal); NA where
    the source printed "N/A - division par 0". Grand Paris is given by EPT
    and Paris (75056), not by the Métropole du Grand Paris.
    """
    df = read_csv(raw_dir, "rpls_evolution", ["epci_siren", "taux_evolution_annuel_ls_2019_2023"],
                  numeric=("taux_evolution_annuel_ls_2019_2023",))
    if df["epci_siren"].duplicated().any():
        raise SourceError(f"{RAW_FILES['rpls_evolution']} : EPCI "
                          f"{df.loc[df['epci_siren'].duplicated(), 'epci_siren'].iloc[0]} "
                          "présent deux fois")
    return pd.Series(pd.array(df["taux_evolution_annuel_ls_2019_2023"], dtype="Float64"),
                     index=pd.Index(df["epci_siren"].to_numpy(), name="epci_siren"),
                     name="evolution_annuelle_ls_2019_2023")
