"""Context of an EPCI's key figures: its share of its department and region, its rank.

The profile's KPI cards compare like with like: a count is shown as a share of the
department's and the region's count ("soit 4,2 % de la population de l'Ardèche"),
a share beside the other shares (gaps in points), and both with the EPCI's rank
among the region's intercommunalities ("12e sur 172"). Pure functions of the commune
table: the build precomputes every EPCI's context (`precomputed.py`), and the view
(`views/territoire_contexte.py`) memoises them on codes when it computes live.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from .. import registry
from . import aggregate
from .official.summary import departement_rows

COUNT_KEYS: tuple[str, ...] = ("population", "residences_principales", "logements_sociaux",
                               *(p.total for p in registry.PROGRAMMES))
"""Counts shown as a share of the department's and the region's."""
RANK_KEYS: tuple[str, ...] = ("population", "logements_sociaux", "taux_logements_sociaux",
                              "part_population_programme")
"""Indicators whose rank among the region's EPCI is shown (highest value first)."""


class Part(NamedTuple):
    """The EPCI's communes inside a territory, and the territory's total."""

    part: float
    total: float

    @property
    def percent(self) -> float | None:
        """100 × part / total (None when the total is 0)."""
        return 100 * self.part / self.total if self.total else None


class Rank(NamedTuple):
    """Rank of the EPCI (1 = highest value) among `total` EPCI; None when it has no value."""

    rank: int | None
    total: int


def ranks(table: pd.DataFrame, siren: str, keys: tuple[str, ...] = RANK_KEYS
          ) -> dict[str, Rank]:
    """Rank of `siren` in `table` (one row per EPCI, `epci_siren` and the `keys`), highest
    first; ties share the best rank ("1er, 1er, 3e"); EPCI without value are not ranked."""
    out: dict[str, Rank] = {}
    mine = table[table["epci_siren"] == siren]
    for key in keys:
        values = table[key].dropna()
        own = mine[key].dropna()
        if own.empty:
            out[key] = Rank(None, len(values))
            continue
        out[key] = Rank(int((values > own.iloc[0]).sum()) + 1, len(values))
    return out


def parts(own: pd.Series | None, whole: pd.Series | dict,
          keys: tuple[str, ...] = COUNT_KEYS) -> dict[str, Part]:
    """For each key, the EPCI's communes inside a territory (`own`, a row of
    `aggregate.by_group`; None when it has none there) and that territory's total."""
    return {key: Part(0.0 if own is None else float(own[key]), float(whole[key]))
            for key in keys}


class Context(NamedTuple):
    """What the KPI cards say around the EPCI's own figures."""

    departement: dict[str, Part]
    region: dict[str, Part]
    ranks: dict[str, Rank]


class RegionTables(NamedTuple):
    """The region's grouped totals (one pass each)."""

    by_epci_in_region: pd.DataFrame  # index epci_siren: its communes in the region
    region: dict
    epci: pd.DataFrame  # one row per EPCI with a commune in the region, all its communes
    # (out-of-region ones included: the ranks compare whole EPCI)


def region_tables(df: pd.DataFrame, outside: pd.DataFrame | None, region: str
                  ) -> RegionTables:
    """`RegionTables` of `region` in the commune table `df` (`outside`: the communes of
    its EPCI outside the region)."""
    inside = df[df["region"] == region]
    present = inside["epci_siren"].dropna().unique()
    return RegionTables(
        aggregate.by_group(inside, ["epci_siren"]).set_index("epci_siren"),
        aggregate.totals(inside),
        aggregate.epci_table(df[df["epci_siren"].isin(present)], outside),
    )


def departement_tables(df: pd.DataFrame, code: str) -> tuple[pd.DataFrame, dict]:
    """Per-EPCI totals of a department's communes (index epci_siren), and its totals;
    `code` an INSEE code or `69D` / `69M` (the Rhône's two halves)."""
    rows = departement_rows(df, code)
    return aggregate.by_group(rows, ["epci_siren"]).set_index("epci_siren"), aggregate.totals(rows)


def _row(frame: pd.DataFrame, key: object) -> pd.Series | None:
    return frame.loc[key] if key in frame.index else None


def context(siren: str, region: RegionTables, departement: tuple[pd.DataFrame, dict]
            ) -> Context:
    """Shares of the EPCI in its department and region, and its ranks in the region
    (an EPCI astride departments counts its communes in the department named)."""
    by_epci, whole = departement
    return Context(parts(_row(by_epci, siren), whole),
                   parts(_row(region.by_epci_in_region, siren), region.region),
                   ranks(region.epci, siren))


def contexts(df: pd.DataFrame, outside: pd.DataFrame | None,
             places: dict[str, tuple[str, str]]) -> dict[str, Context]:
    """`context` of every EPCI of `places` (siren -> (department, region) of its profile),
    each department and region grouped once."""
    regions: dict[str, RegionTables] = {}
    departements: dict[str, tuple[pd.DataFrame, dict]] = {}
    out = {}
    for siren, (dep, reg) in places.items():
        if reg not in regions:
            regions[reg] = region_tables(df, outside, reg)
        if dep not in departements:
            departements[dep] = departement_tables(df, dep)
        out[siren] = context(siren, regions[reg], departements[dep])
    return out


def as_record(ctx: Context) -> dict:
    """A context as JSON-ready lists (`from_record` gives it back)."""
    return {"departement": {k: list(v) for k, v in ctx.departement.items()},
            "region": {k: list(v) for k, v in ctx.region.items()},
            "ranks": {k: list(v) for k, v in ctx.ranks.items()}}


def _ordered(values: dict, keys: tuple[str, ...]) -> list[str]:
    """The keys of `values` in the order `keys` gives them (as `context` does)."""
    return list(keys) if set(values) == set(keys) else list(values)


def from_record(record: dict) -> Context:
    """The `Context` of an `as_record` dict (keys in the order `context` gives them)."""
    dep, reg, rank = record["departement"], record["region"], record["ranks"]
    return Context({k: Part(*dep[k]) for k in _ordered(dep, COUNT_KEYS)},
                   {k: Part(*reg[k]) for k in _ordered(reg, COUNT_KEYS)},
                   {k: Rank(*rank[k]) for k in _ordered(rank, RANK_KEYS)})
