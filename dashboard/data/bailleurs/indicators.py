"""Engagement indicators computed from the landlord table and the commune table.

Pure pandas: frames in, frames or dicts out. All indicators count engagement
rows on *programme communes* only; a landlord is "engagé" from the level
`ENGAGED_FROM` ("partenaire de la convention") upwards. The second half gives
the cuts the "Bailleurs" page draws (scope summaries, sorted rates, the capped
landlord × commune matrix).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import NamedTuple

import pandas as pd

from ...registry import programme_mask
from ..aggregate import UnknownCode, rate
from ..official.summary import departement_rows
from .contract import (
    BAILLEUR_TYPES,
    ENGAGED_RANK,
    ENGAGEMENT_LEVELS,
    is_demonstration,
)


def level_rank(levels: pd.Series) -> pd.Series:
    """Rank 0–4 of each level on the ordered scale (NA for an unknown label)."""
    ranks = {label: i for i, label in enumerate(ENGAGEMENT_LEVELS)}
    return levels.map(ranks).astype("Int64")


def engaged(df: pd.DataFrame) -> pd.DataFrame:
    """Rows whose level is `ENGAGED_FROM` ("partenaire de la convention") or beyond."""
    return df[(level_rank(df["niveau_engagement"]) >= ENGAGED_RANK).fillna(False)]


def _programme_communes(communes: pd.DataFrame, epci_siren: str | None = None) -> pd.DataFrame:
    """Programme communes of the region or of one EPCI (UnknownCode if none of its communes)."""
    scope = communes
    if epci_siren is not None:
        scope = communes[communes["epci_siren"] == epci_siren]
        if scope.empty:
            raise UnknownCode(f"EPCI inconnu : {epci_siren!r} (aucune commune de la table)")
    return scope[programme_mask(scope)]


def _scope_rows(engagements: pd.DataFrame, programme_communes: pd.DataFrame) -> pd.DataFrame:
    """Engagement rows on the given programme communes, with commune name and EPCI, rank."""
    info = programme_communes[["code_insee", "nom", "epci_siren", "epci_nom"]].rename(
        columns={"nom": "commune_nom"})
    out = engagements.merge(info, on="code_insee", how="inner")
    out["rang"] = level_rank(out["niveau_engagement"])
    return out


def engagement_by_epci(engagements: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Per EPCI: programme communes, those with an engaged landlord, rate, engaged landlords.

    Columns: epci_siren, epci_nom, communes_programme, communes_engagees,
    taux_engagement (100 × communes_engagees / communes_programme, NaN without
    programme commune), bailleurs_engages (distinct SIREN engaged on its
    programme communes). Every EPCI of the commune table has a row.
    """
    with_epci = communes.dropna(subset=["epci_siren"])
    prog = programme_mask(with_epci)
    rows = engaged(_scope_rows(engagements, with_epci[prog]))
    flags = pd.DataFrame({
        "epci_siren": with_epci["epci_siren"].to_numpy(),
        "epci_nom": with_epci["epci_nom"].to_numpy(),
        "programme": prog.to_numpy(),
        "engagee": (prog & with_epci["code_insee"].isin(rows["code_insee"])).to_numpy(),
    })
    out = flags.groupby(["epci_siren", "epci_nom"], sort=True).agg(
        communes_programme=("programme", "sum"), communes_engagees=("engagee", "sum"),
    ).reset_index()
    landlords = rows.groupby("epci_siren")["bailleur_siren"].nunique()
    out["communes_programme"] = out["communes_programme"].astype("int64")
    out["communes_engagees"] = out["communes_engagees"].astype("int64")
    denominator = out["communes_programme"].where(out["communes_programme"] > 0)
    out["taux_engagement"] = (100 * out["communes_engagees"] / denominator).astype("float64")
    out["bailleurs_engages"] = (out["epci_siren"].map(landlords).fillna(0).astype("int64"))
    return out


def with_levels(grid: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """`grid` (landlord × commune cells: `bailleur_siren`, `code_insee`) with the highest
    engagement level of each cell in `rows`: `niveau` (rank 0–4, NA when the landlord
    has no row there) and `niveau_libelle`."""
    best = rows.groupby(["bailleur_siren", "code_insee"], as_index=False)["rang"].max()
    grid = grid.merge(best.rename(columns={"rang": "niveau"}),
                      on=["bailleur_siren", "code_insee"], how="left")
    grid["niveau"] = grid["niveau"].astype("Int64")
    labels = dict(enumerate(ENGAGEMENT_LEVELS))
    grid["niveau_libelle"] = grid["niveau"].map(labels, na_action="ignore").astype("str")
    return grid


def matrix(engagements: pd.DataFrame, communes: pd.DataFrame,
           epci_siren: str | None = None) -> pd.DataFrame:
    """Landlord × programme-commune grid of the highest level, in long form.

    One row per (landlord present on the territory's programme communes,
    programme commune of the territory), whole region when `epci_siren` is
    None. Columns: bailleur_siren, bailleur_nom, bailleur_type, code_insee,
    commune_nom, niveau (rank 0–4, NA when the landlord has no row there) and
    niveau_libelle. `.pivot(index="bailleur_nom", columns="commune_nom",
    values="niveau")` gives the wide matrix.
    """
    pc = _programme_communes(communes, epci_siren)
    rows = _scope_rows(engagements, pc)
    columns = ["bailleur_siren", "bailleur_nom", "bailleur_type", "code_insee", "commune_nom",
               "niveau", "niveau_libelle"]
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "niveau" else "str")
                             for c in columns})
    landlords = (rows.sort_values(["bailleur_siren", "bailleur_nom"])
                 .drop_duplicates("bailleur_siren")[["bailleur_siren", "bailleur_nom",
                                                      "bailleur_type"]])
    places = pc[["code_insee", "nom"]].rename(columns={"nom": "commune_nom"})
    grid = landlords.merge(places, how="cross")
    grid = with_levels(grid, rows)
    return (grid.sort_values(["bailleur_nom", "bailleur_siren", "commune_nom", "code_insee"])
            [columns].reset_index(drop=True))


def counts_by_type(engagements: pd.DataFrame, communes: pd.DataFrame,
                   epci_siren: str | None = None) -> pd.DataFrame:
    """Per landlord type (all four, in order): distinct landlords and engaged rows.

    Columns: bailleur_type, bailleurs (distinct SIREN with a row on the
    territory's programme communes), bailleurs_engages, lignes_engagees.
    """
    rows = _scope_rows(engagements, _programme_communes(communes, epci_siren))
    hot = engaged(rows)
    out = pd.DataFrame({"bailleur_type": list(BAILLEUR_TYPES)})
    out["bailleurs"] = out["bailleur_type"].map(
        rows.groupby("bailleur_type")["bailleur_siren"].nunique())
    out["bailleurs_engages"] = out["bailleur_type"].map(
        hot.groupby("bailleur_type")["bailleur_siren"].nunique())
    out["lignes_engagees"] = out["bailleur_type"].map(hot.groupby("bailleur_type").size())
    for col in ("bailleurs", "bailleurs_engages", "lignes_engagees"):
        out[col] = out[col].fillna(0).astype("int64")
    return out


def summary_epci(engagements: pd.DataFrame, communes: pd.DataFrame, siren: str) -> dict:
    """Engagement indicators of one EPCI (JSON-friendly; NaN rate -> None).

    Keys: epci_siren, epci_nom, communes_programme, communes_engagees,
    taux_engagement, bailleurs (present on its programme communes),
    bailleurs_engages, logements_engages (dwellings of the engaged rows),
    donnees_demonstration.
    """
    pc = _programme_communes(communes, siren)
    epci_nom = communes.loc[communes["epci_siren"] == siren, "epci_nom"].iloc[0]
    rows = _scope_rows(engagements, pc)
    hot = engaged(rows)
    n_prog = len(pc)
    n_eng = int(pc["code_insee"].isin(hot["code_insee"]).sum())
    taux = rate(n_eng, n_prog)
    return {
        "epci_siren": siren,
        "epci_nom": None if pd.isna(epci_nom) else str(epci_nom),
        "communes_programme": n_prog,
        "communes_engagees": n_eng,
        "taux_engagement": None if math.isnan(taux) else taux,
        "bailleurs": int(rows["bailleur_siren"].nunique()),
        "bailleurs_engages": int(hot["bailleur_siren"].nunique()),
        "logements_engages": int(hot["logements_concernes"].sum()),
        "donnees_demonstration": is_demonstration(engagements),
    }



# --- cuts of the "Bailleurs" page ---------------------------------------------------------

MAX_MATRIX_LANDLORDS = 15
MAX_MATRIX_COMMUNES = 25


class MatrixView(NamedTuple):
    """A landlord × commune matrix cut to a readable size, with its row and column order."""

    frame: pd.DataFrame  # rows of `matrix` for the kept landlords and communes
    landlords: list[str]  # SIREN, most engaged first
    communes: list[str]  # INSEE codes, most landlords first
    total_landlords: int
    total_communes: int


def in_departement(communes: pd.DataFrame, departement: str | None) -> pd.DataFrame:
    """The communes of one department (all of them when `departement` is None)."""
    if departement is None:
        return communes
    return departement_rows(communes, departement)  # 69D / 69M: the Rhône's halves


def scope_summary(engagements: pd.DataFrame, communes: pd.DataFrame) -> dict:
    """Engagement indicators of any set of communes (region, department, EPCI).

    Keys: communes_programme, communes_engagees, taux_engagement (ratio of
    the counts, None without programme commune), bailleurs (present on its
    programme communes), bailleurs_engages.
    """
    pc = communes[programme_mask(communes)]
    rows = _scope_rows(engagements, pc)
    hot = engaged(rows)
    n_eng = int(pc["code_insee"].isin(hot["code_insee"]).sum())
    taux = rate(n_eng, len(pc))
    return {
        "communes_programme": len(pc),
        "communes_engagees": n_eng,
        "taux_engagement": None if math.isnan(taux) else taux,
        "bailleurs": int(rows["bailleur_siren"].nunique()),
        "bailleurs_engages": int(hot["bailleur_siren"].nunique()),
    }


def epci_rates(engagements: pd.DataFrame, communes: pd.DataFrame,
               departement: str | None = None) -> pd.DataFrame:
    """`engagement_by_epci` for the EPCI with at least one programme commune.

    Rates are those of the whole EPCI; with `departement`, only the EPCI
    having a commune in it are kept. Sorted by rate (highest first), then
    engaged communes (most first), then name.
    """
    out = engagement_by_epci(engagements, communes)
    out = out[out["communes_programme"] > 0]
    if departement is not None:
        present = set(in_departement(communes, departement)["epci_siren"].dropna())
        out = out[out["epci_siren"].isin(present)]
    return (out.sort_values(["taux_engagement", "communes_engagees", "epci_nom"],
                            ascending=[False, False, True], kind="mergesort")
            .reset_index(drop=True))


def cap_matrix(grid: pd.DataFrame, max_landlords: int = MAX_MATRIX_LANDLORDS,
               max_communes: int = MAX_MATRIX_COMMUNES) -> MatrixView:
    """Keep the most engaged landlords and the communes where most landlords are present.

    `grid` is the output of `matrix`. Landlords are ordered by number of
    communes where they are engaged, then communes where they have a row, then
    name; communes by number of landlords with a row, then engaged
    landlords, then name.
    """
    has_row = grid["niveau"].notna()
    is_engaged = (grid["niveau"] >= ENGAGED_RANK).fillna(False).astype(bool)
    marks = grid.assign(ligne=has_row.astype(int), engage=is_engaged.astype(int))
    landlords = (marks.groupby(["bailleur_siren", "bailleur_nom"], as_index=False)
                 [["engage", "ligne"]].sum()
                 .sort_values(["engage", "ligne", "bailleur_nom", "bailleur_siren"],
                              ascending=[False, False, True, True], kind="mergesort"))
    places = (marks.groupby(["code_insee", "commune_nom"], as_index=False)
              [["ligne", "engage"]].sum()
              .sort_values(["ligne", "engage", "commune_nom", "code_insee"],
                           ascending=[False, False, True, True], kind="mergesort"))
    keep_l = landlords["bailleur_siren"].head(max_landlords).tolist()
    keep_c = places["code_insee"].head(max_communes).tolist()
    frame = grid[grid["bailleur_siren"].isin(keep_l) & grid["code_insee"].isin(keep_c)]
    return MatrixView(frame.reset_index(drop=True), keep_l, keep_c, len(landlords), len(places))


def programme_commune_names(communes: pd.DataFrame) -> list[str]:
    """Names of the programme communes of a set of communes, sorted."""
    return sorted(communes.loc[programme_mask(communes), "nom"].astype(str))


def information_dates(engagements: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    """First and last `date_information` of the table (None, None when empty)."""
    dates = pd.to_datetime(engagements["date_information"]).dropna()
    if dates.empty:
        return None, None
    return dates.min().date(), dates.max().date()
