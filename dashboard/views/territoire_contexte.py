"""Context of an EPCI's key figures: its share of its department and region, its rank.

The profile's KPI cards compare like with like: a count is shown as a share of the
department's and the region's count ("soit 4,2 % de la population de l'Ardèche"),
a share beside the other shares (gaps in points), and both with the EPCI's rank
among the region's intercommunalities ("12e sur 172"). This module computes those
numbers from the app's table, memoised on codes (`store.reset()` forgets them).
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from .. import registry
from ..data import aggregate, store

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


class _Tables(NamedTuple):
    """The region's grouped totals, computed once per region (one pass each)."""

    by_epci_departement: pd.DataFrame  # index (epci_siren, departement)
    by_departement: pd.DataFrame  # index departement
    by_epci_in_region: pd.DataFrame  # index epci_siren: its communes in the region
    region: dict
    epci: pd.DataFrame  # one row per EPCI with a commune in the region, all its communes


@store.memo(maxsize=2)
def _tables(region: str) -> _Tables:
    df = store.communes()
    inside = df[df["region"] == region]
    present = inside["epci_siren"].dropna().unique()
    return _Tables(
        aggregate.by_group(df, ["epci_siren", "departement"]).set_index(
            ["epci_siren", "departement"]),
        aggregate.by_group(df, ["departement"]).set_index("departement"),
        aggregate.by_group(inside, ["epci_siren"]).set_index("epci_siren"),
        aggregate.totals(inside),
        aggregate.by_group(df[df["epci_siren"].isin(present)], ["epci_siren"]),
    )


def _row(frame: pd.DataFrame, key: object) -> pd.Series | None:
    return frame.loc[key] if key in frame.index else None


@store.memo(maxsize=256)
def epci_context(siren: str, departement: str, region: str) -> Context:
    """Shares of the EPCI in its department and region, and its ranks in the region
    (an EPCI astride departments counts its communes in the department named)."""
    t = _tables(region)
    return Context(parts(_row(t.by_epci_departement, (siren, departement)),
                         t.by_departement.loc[departement]),
                   parts(_row(t.by_epci_in_region, siren), t.region),
                   ranks(t.epci, siren))
